/**
 * What the emulator keeps per image, version and build, and how their visible states follow
 * from the planned timelines. Image state and the "latest" version pointers are derived on
 * read, so they can never disagree with the versions.
 */
import type {
  Architecture,
  CreateMicrovmImageRequest,
  GetMicrovmImageBuildOutput,
  GetMicrovmImageOutput,
  GetMicrovmImageVersionOutput,
  MicrovmImageState,
  MicrovmImageVersionStatus,
} from "./models";
import { Timeline } from "./timeline";

export type BuildStage = "PENDING" | "IN_PROGRESS" | "SUCCESSFUL" | "FAILED";
export type DeletionStage = "DELETING" | "DELETED";

/** The members of an image request that describe one version (PUT replaces them all). */
export const CONFIG_KEYS = [
  "baseImageArn",
  "baseImageVersion",
  "buildRoleArn",
  "description",
  "codeArtifact",
  "logging",
  "egressNetworkConnectors",
  "cpuConfigurations",
  "resources",
  "additionalOsCapabilities",
  "hooks",
  "environmentVariables",
] as const;

export type ImageConfig = Pick<CreateMicrovmImageRequest, (typeof CONFIG_KEYS)[number]>;

export function pickConfig(input: ImageConfig): ImageConfig {
  const config: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) if (input[key] !== undefined) config[key] = structuredClone(input[key]);
  return config as unknown as ImageConfig;
}

export interface BuildRecord {
  readonly seq: number;
  readonly buildId: string;
  readonly architecture: Architecture;
  readonly chipset: "GRAVITON";
  readonly chipsetGeneration: string;
  readonly createdAt: Date;
  readonly timeline: Timeline<BuildStage>;
}

export interface VersionRecord {
  readonly seq: number;
  readonly version: string;
  /** The first version creates the image; later ones update it. */
  readonly kind: "create" | "update";
  readonly config: ImageConfig;
  status: MicrovmImageVersionStatus;
  readonly createdAt: Date;
  updatedAt: Date;
  readonly timeline: Timeline<BuildStage>;
  deletion?: Timeline<DeletionStage>;
  readonly builds: BuildRecord[];
}

export interface ImageRecord {
  readonly seq: number;
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly createdAt: Date;
  updatedAt: Date;
  tags: Record<string, string>;
  /** Versions held, deleted ones until they are forgotten. */
  readonly versions: VersionRecord[];
  /** Versions ever made: the next one is numbered one more, whatever was forgotten. */
  versionCount: number;
  deletion?: Timeline<DeletionStage>;
}

export const isGone = (record: { deletion?: Timeline<DeletionStage> }, now: number): boolean =>
  record.deletion?.current(now).state === "DELETED";

/** A version's state: its deletion if it is being deleted, else its build. */
export function versionState(version: VersionRecord, now: number): BuildStage | DeletionStage {
  return version.deletion ? version.deletion.current(now).state : version.timeline.current(now).state;
}

const settled = (stage: BuildStage): boolean => stage === "SUCCESSFUL" || stage === "FAILED";

export function buildStage(version: VersionRecord, now: number): BuildStage {
  return version.timeline.current(now).state;
}

export function imageState(image: ImageRecord, now: number): MicrovmImageState {
  if (image.deletion) return image.deletion.current(now).state;
  const latest = image.versions.at(-1)!;
  const stage = buildStage(latest, now);
  const create = latest.kind === "create";
  if (stage === "SUCCESSFUL") return create ? "CREATED" : "UPDATED";
  if (stage === "FAILED") return create ? "CREATE_FAILED" : "UPDATE_FAILED";
  return create ? "CREATING" : "UPDATING";
}

/** True while a version is still building, when the image takes no update or delete. */
export const isBuilding = (image: ImageRecord, now: number): boolean => !settled(buildStage(image.versions.at(-1)!, now));

export const liveVersions = (image: ImageRecord, now: number): VersionRecord[] => image.versions.filter((v) => !isGone(v, now));

function latestWhere(image: ImageRecord, now: number, test: (v: VersionRecord) => boolean): string | undefined {
  const found = liveVersions(image, now).filter((v) => !v.deletion && test(v)).at(-1);
  return found?.version;
}

/** The newest SUCCESSFUL, ACTIVE version not being deleted: what RunMicrovm uses by default. */
export const latestActiveVersion = (image: ImageRecord, now: number, except?: VersionRecord): string | undefined =>
  latestWhere(image, now, (v) => v !== except && buildStage(v, now) === "SUCCESSFUL" && v.status === "ACTIVE");

export const latestFailedVersion = (image: ImageRecord, now: number, except?: VersionRecord): string | undefined =>
  latestWhere(image, now, (v) => v !== except && buildStage(v, now) === "FAILED");

export function imageOutput(image: ImageRecord, now: number): GetMicrovmImageOutput {
  const out: GetMicrovmImageOutput = {
    imageArn: image.arn,
    name: image.name,
    state: imageState(image, now),
    createdAt: image.createdAt,
    updatedAt: image.updatedAt,
    tags: { ...image.tags },
  };
  const active = latestActiveVersion(image, now);
  const failed = latestFailedVersion(image, now);
  if (active !== undefined) out.latestActiveImageVersion = active;
  if (failed !== undefined) out.latestFailedImageVersion = failed;
  return out;
}

export function versionOutput(image: ImageRecord, version: VersionRecord, now: number): GetMicrovmImageVersionOutput {
  const step = version.timeline.current(now);
  const out: GetMicrovmImageVersionOutput = {
    ...structuredClone(version.config),
    imageArn: image.arn,
    imageVersion: version.version,
    state: versionState(version, now),
    status: version.status,
    createdAt: version.createdAt,
    updatedAt: version.updatedAt,
    tags: { ...image.tags },
  };
  if (step.reason !== undefined) out.stateReason = step.reason;
  return out;
}

export function buildOutput(image: ImageRecord, version: VersionRecord, build: BuildRecord, now: number): GetMicrovmImageBuildOutput {
  const step = build.timeline.current(now);
  const out: GetMicrovmImageBuildOutput = {
    imageArn: image.arn,
    imageVersion: version.version,
    buildId: build.buildId,
    buildState: step.state,
    architecture: build.architecture,
    chipset: build.chipset,
    chipsetGeneration: build.chipsetGeneration,
    createdAt: build.createdAt,
  };
  if (step.reason !== undefined) out.stateReason = step.reason;
  if (step.state === "SUCCESSFUL") {
    out.snapshotBuild = { memorySnapshotSizeInBytes: 536_870_912, codeInstallSizeInBytes: 48_234_496, diskSnapshotSizeInBytes: 2_147_483_648 };
  }
  return out;
}
