/** Operation name → LocalService method, for requests that arrive over HTTP. */
import type { OperationName } from "../../protocol/schema.generated";
import type { LocalService } from "./LocalService";

type Handler = (service: LocalService, input: never) => unknown;

/** Runs `operation`; the input was read from the wire and validated against its shape. */
export function dispatch(service: LocalService, operation: OperationName, input: Record<string, unknown>): unknown {
  const handler = handlers[operation] as unknown as (service: LocalService, input: Record<string, unknown>) => unknown;
  return handler(service, input);
}

/** The record type keeps the table complete: a new operation in the model fails to compile here. */
const handlers: Record<OperationName, Handler> = {
  CreateMicrovmAuthToken: (s, i) => s.createMicrovmAuthToken(i),
  CreateMicrovmImage: (s, i) => s.createMicrovmImage(i),
  CreateMicrovmShellAuthToken: (s, i) => s.createMicrovmShellAuthToken(i),
  DeleteMicrovmImage: (s, i) => s.deleteMicrovmImage(i),
  DeleteMicrovmImageVersion: (s, i) => s.deleteMicrovmImageVersion(i),
  GetMicrovm: (s, i) => s.getMicrovm(i),
  GetMicrovmImage: (s, i) => s.getMicrovmImage(i),
  GetMicrovmImageBuild: (s, i) => s.getMicrovmImageBuild(i),
  GetMicrovmImageVersion: (s, i) => s.getMicrovmImageVersion(i),
  ListManagedMicrovmImageVersions: (s, i) => s.listManagedMicrovmImageVersions(i),
  ListManagedMicrovmImages: (s, i) => s.listManagedMicrovmImages(i),
  ListMicrovmImageBuilds: (s, i) => s.listMicrovmImageBuilds(i),
  ListMicrovmImageVersions: (s, i) => s.listMicrovmImageVersions(i),
  ListMicrovmImages: (s, i) => s.listMicrovmImages(i),
  ListMicrovms: (s, i) => s.listMicrovms(i),
  ListTags: (s, i) => s.listTags(i),
  ResumeMicrovm: (s, i) => s.resumeMicrovm(i),
  RunMicrovm: (s, i) => s.runMicrovm(i),
  SuspendMicrovm: (s, i) => s.suspendMicrovm(i),
  TagResource: (s, i) => s.tagResource(i),
  TerminateMicrovm: (s, i) => s.terminateMicrovm(i),
  UntagResource: (s, i) => s.untagResource(i),
  UpdateMicrovmImage: (s, i) => s.updateMicrovmImage(i),
  UpdateMicrovmImageVersion: (s, i) => s.updateMicrovmImageVersion(i),
};
