/**
 * The model types as the emulator's service code uses them. The inputs it reads are validated,
 * and the outputs it makes always carry their required members, so both are {@link Validated}:
 * required members present, although the public types allow `undefined` for them.
 */
import type * as M from "../../models/models.generated";
import type { Validated } from "./validated";

export type { Architecture, ManagedMicrovmImageVersionStatus, MicrovmImageState, MicrovmImageVersionStatus } from "../../models/models.generated";
export type { Validated };

export type CodeArtifact = Validated<M.CodeArtifact>;
export type CpuConfiguration = Validated<M.CpuConfiguration>;
export type CreateMicrovmAuthTokenRequest = Validated<M.CreateMicrovmAuthTokenRequest>;
export type CreateMicrovmImageRequest = Validated<M.CreateMicrovmImageRequest>;
export type CreateMicrovmImageResponse = Validated<M.CreateMicrovmImageResponse>;
export type DeleteMicrovmImageOutput = Validated<M.DeleteMicrovmImageOutput>;
export type DeleteMicrovmImageVersionOutput = Validated<M.DeleteMicrovmImageVersionOutput>;
export type GetMicrovmImageBuildOutput = Validated<M.GetMicrovmImageBuildOutput>;
export type GetMicrovmImageOutput = Validated<M.GetMicrovmImageOutput>;
export type GetMicrovmImageVersionOutput = Validated<M.GetMicrovmImageVersionOutput>;
export type GetMicrovmResponse = Validated<M.GetMicrovmResponse>;
export type IdlePolicy = Validated<M.IdlePolicy>;
export type Logging = Validated<M.Logging>;
export type MicrovmItem = Validated<M.MicrovmItem>;
export type PortSpecification = Validated<M.PortSpecification>;
export type RunMicrovmRequest = Validated<M.RunMicrovmRequest>;
export type RunMicrovmResponse = Validated<M.RunMicrovmResponse>;
export type UpdateMicrovmImageRequest = Validated<M.UpdateMicrovmImageRequest>;
export type UpdateMicrovmImageResponse = Validated<M.UpdateMicrovmImageResponse>;
