/** Images, their versions and builds: create, update (PUT), read, list, delete. */
import type {
  CreateMicrovmImageRequest,
  CreateMicrovmImageResponse,
  CpuConfiguration,
  DeleteMicrovmImageOutput,
  DeleteMicrovmImageVersionOutput,
  GetMicrovmImageOutput,
  MicrovmImageVersionStatus,
  UpdateMicrovmImageRequest,
  UpdateMicrovmImageResponse,
} from "./models";
import { conflict, invalid, notFound } from "../errors";
import { findManaged, latestAvailable } from "./catalogue";
import type { ServiceContext } from "./context";
import { imageArn, imageIdFromIdentifier, newBuildId, newImageId } from "./ids";
import {
  imageOutput,
  imageState,
  isBuilding,
  isGone,
  latestActiveVersion,
  latestFailedVersion,
  pickConfig,
  versionState,
  type BuildRecord,
  type BuildStage,
  type DeletionStage,
  type ImageConfig,
  type ImageRecord,
  type VersionRecord,
} from "./imageRecords";
import { buildShouldFail, FAILURE_REASON } from "./outcome";
import { where } from "./paging";
import { SeqList } from "./seqList";
import { Timeline, type PlannedStep } from "./timeline";

/** Answers whether any MicroVM that is not terminated uses an image (or one of its versions). */
export type InUse = (imageId: string, version?: string) => boolean;

const CHIPSET_GENERATION = "graviton4";

/** The one tag limit, applied wherever tags are set (create and TagResource). */
export const MAX_TAGS = 50;

export class ImageStore {
  private readonly images = new Map<string, ImageRecord>();
  /** Every image held, in the order they were made: what ListMicrovmImages pages through. */
  private readonly ordered = new SeqList<ImageRecord>();
  /** The newest image of each name (a deleted one until its name is taken again). */
  private readonly byName = new Map<string, ImageRecord>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly inUse: InUse,
  ) {}

  /** All images that are not gone, oldest first. */
  live(): ImageRecord[] {
    const now = this.ctx.now();
    return this.ordered.values().filter((image) => !isGone(image, now));
  }

  /**
   * Images made after the one numbered `after` that are not gone, in order. A deleted image
   * leaves the list when it is DELETED, so a filtered page does not wade through the deleted.
   */
  liveAfter(after: number): IterableIterator<ImageRecord> {
    const now = this.ctx.now();
    return where(this.ordered.after(after), (image) => !isGone(image, now));
  }

  /** Finds a live image by id, ARN or name; 404 otherwise. */
  find(identifier: string): ImageRecord {
    const found = this.lookup(identifier);
    if (!found || isGone(found, this.ctx.now())) throw notFound("MicrovmImage", identifier);
    return found;
  }

  private lookup(identifier: string): ImageRecord | undefined {
    const byId = this.images.get(imageIdFromIdentifier(identifier));
    if (byId && (!identifier.startsWith("arn:") || byId.arn === identifier)) return byId;
    const byName = this.byName.get(identifier);
    return byName && !isGone(byName, this.ctx.now()) ? byName : undefined;
  }

  findByArn(arn: string): ImageRecord {
    const image = this.images.get(imageIdFromIdentifier(arn));
    if (!image || image.arn !== arn || isGone(image, this.ctx.now())) throw notFound("MicrovmImage", arn);
    return image;
  }

  findVersion(image: ImageRecord, version: string): VersionRecord {
    const found = image.versions.find((v) => v.version === version);
    if (!found || isGone(found, this.ctx.now())) throw notFound("MicrovmImageVersion", version, `Version ${version} of image ${image.id} does not exist.`);
    return found;
  }

  create(input: CreateMicrovmImageRequest): CreateMicrovmImageResponse {
    const now = this.ctx.now();
    const sameName = this.byName.get(input.name);
    if (sameName && !isGone(sameName, now)) {
      throw conflict("MicrovmImage", input.name, `An image named ${input.name} already exists.`);
    }
    ImageStore.checkTagCount(Object.keys(input.tags ?? {}).length);
    const config = this.resolveBase(pickConfig(input));
    const id = newImageId();
    const image: ImageRecord = {
      seq: this.ctx.nextSeq(),
      id,
      arn: imageArn(this.ctx.scope, id),
      name: input.name,
      createdAt: new Date(now),
      updatedAt: new Date(now),
      tags: { ...input.tags },
      versions: [],
      versionCount: 0,
    };
    const version = this.addVersion(image, config, "create", now);
    this.images.set(id, image);
    this.ordered.add(image);
    this.byName.set(image.name, image);
    return { ...this.writeResponse(image, version), tags: { ...image.tags } };
  }

  update(input: UpdateMicrovmImageRequest): UpdateMicrovmImageResponse {
    const now = this.ctx.now();
    const image = this.find(input.imageIdentifier);
    this.assertSettled(image, now, "updated");
    const config = this.resolveBase(pickConfig(input));
    // Stryker disable next-line StringLiteral: a version's kind is only ever compared with "create"
    const version = this.addVersion(image, config, "update", now);
    image.updatedAt = new Date(now);
    return { ...this.writeResponse(image, version), updatedAt: image.updatedAt };
  }

  get(identifier: string): GetMicrovmImageOutput {
    return imageOutput(this.find(identifier), this.ctx.now());
  }

  delete(identifier: string): DeleteMicrovmImageOutput {
    const now = this.ctx.now();
    const record = this.lookup(identifier);
    if (record && isGone(record, now)) return { imageIdentifier: identifier, state: "DELETED" };
    const image = this.find(identifier);
    if (image.deletion) return { imageIdentifier: identifier, state: imageState(image, now) };
    this.assertSettled(image, now, "deleted");
    if (this.inUse(image.id)) {
      throw conflict("MicrovmImage", image.id, `Image ${image.id} is used by MicroVMs that are not terminated; terminate them first.`);
    }
    image.deletion = this.deletionTimeline(now);
    image.updatedAt = new Date(now);
    // Once DELETED it is no longer listed; after the retention period it is forgotten.
    // Stryker disable next-line ArrowFunction: only spares later pages a walk past the image: every list and view skips a DELETED image anyway
    this.forgetLater(image.deletion, () => this.ordered.remove(image), 0);
    this.forgetLater(image.deletion, () => this.forget(image));
    return { imageIdentifier: identifier, state: "DELETING" };
  }

  deleteVersion(identifier: string, versionName: string): DeleteMicrovmImageVersionOutput {
    const now = this.ctx.now();
    const image = this.find(identifier);
    const record = image.versions.find((v) => v.version === versionName);
    if (record && isGone(record, now)) return { imageIdentifier: identifier, imageVersion: versionName, state: "DELETED" };
    const version = this.findVersion(image, versionName);
    if (!version.deletion) {
      const stage = version.timeline.current(now).state;
      if (stage === "PENDING" || stage === "IN_PROGRESS") {
        throw conflict("MicrovmImageVersion", versionName, `Version ${versionName} is still building; wait for it to finish.`);
      }
      if (this.inUse(image.id, versionName)) {
        throw conflict("MicrovmImageVersion", versionName, `Version ${versionName} is used by MicroVMs that are not terminated.`);
      }
      version.deletion = this.deletionTimeline(now);
      version.updatedAt = new Date(now);
      this.forgetLater(version.deletion, () => {
        const at = image.versions.indexOf(version);
        if (at >= 0) image.versions.splice(at, 1);
      });
    }
    return { imageIdentifier: identifier, imageVersion: versionName, state: versionState(version, now) };
  }

  setStatus(identifier: string, versionName: string, status: MicrovmImageVersionStatus): VersionRecord {
    const now = this.ctx.now();
    const image = this.find(identifier);
    const version = this.findVersion(image, versionName);
    if (version.deletion) throw conflict("MicrovmImageVersion", versionName, `Version ${versionName} is being deleted.`);
    if (status === "ACTIVE" && version.timeline.current(now).state === "FAILED") {
      throw conflict("MicrovmImageVersion", versionName, `Version ${versionName} failed to build and cannot be made ACTIVE.`);
    }
    if (version.status !== status) {
      version.status = status;
      version.updatedAt = new Date(now);
    }
    return version;
  }

  private assertSettled(image: ImageRecord, now: number, verb: string): void {
    if (image.deletion) throw conflict("MicrovmImage", image.id, `Image ${image.id} is being deleted.`);
    if (isBuilding(image, now)) {
      throw conflict("MicrovmImage", image.id, `Image ${image.id} is ${imageState(image, now)}; it can be ${verb} when its build has finished.`);
    }
  }

  /** Checks the base image and fills in its version when the request leaves it out. */
  private resolveBase(config: ImageConfig): ImageConfig {
    const base = findManaged(this.ctx.catalogue, config.baseImageArn);
    if (!base) throw notFound("ManagedMicrovmImage", config.baseImageArn, `Base image ${config.baseImageArn} does not exist; see ListManagedMicrovmImages.`);
    if (config.baseImageVersion === undefined) {
      const latest = latestAvailable(base);
      return latest ? { ...config, baseImageVersion: latest.version } : config;
    }
    if (!base.versions.some((v) => v.version === config.baseImageVersion)) {
      throw notFound("ManagedMicrovmImageVersion", config.baseImageVersion, `Base image ${base.name} has no version ${config.baseImageVersion}.`);
    }
    return config;
  }

  private addVersion(image: ImageRecord, config: ImageConfig, kind: "create" | "update", now: number): VersionRecord {
    const fail = buildShouldFail(config.codeArtifact);
    const plan = (): PlannedStep<BuildStage>[] => [
      { state: "IN_PROGRESS", after: this.ctx.transitionMs },
      fail ? { state: "FAILED", after: this.ctx.transitionMs, reason: FAILURE_REASON } : { state: "SUCCESSFUL", after: this.ctx.transitionMs },
    ];
    const cpus: CpuConfiguration[] = config.cpuConfigurations?.length ? config.cpuConfigurations : [{ architecture: "ARM_64" }];
    const builds: BuildRecord[] = cpus.map((cpu) => ({
      seq: this.ctx.nextSeq(),
      buildId: newBuildId(),
      architecture: cpu.architecture,
      chipset: "GRAVITON",
      chipsetGeneration: CHIPSET_GENERATION,
      createdAt: new Date(now),
      timeline: new Timeline<BuildStage>("PENDING", now, plan()),
    }));
    const version: VersionRecord = {
      seq: this.ctx.nextSeq(),
      version: String(++image.versionCount),
      kind,
      config,
      status: "ACTIVE",
      createdAt: new Date(now),
      updatedAt: new Date(now),
      timeline: new Timeline<BuildStage>("PENDING", now, plan()),
      builds,
    };
    image.versions.push(version);
    return version;
  }

  /** Runs `forget` once a deleted record has been DELETED for `after` (the retention period). */
  private forgetLater(deletion: Timeline<DeletionStage>, forget: () => void, after = this.ctx.retentionMs): void {
    const deleted = deletion.step(1)!.at;
    this.ctx.schedule.at(Math.max(deleted + after, this.ctx.now() + 1), forget);
  }

  private forget(image: ImageRecord): void {
    this.images.delete(image.id);
    if (this.byName.get(image.name) === image) this.byName.delete(image.name);
  }

  private deletionTimeline(now: number): Timeline<"DELETING" | "DELETED"> {
    return new Timeline<"DELETING" | "DELETED">("DELETING", now, [{ state: "DELETED", after: this.ctx.transitionMs }]);
  }

  /** The answer to a create or update: the state as it was when the call was accepted. */
  private writeResponse(image: ImageRecord, version: VersionRecord): CreateMicrovmImageResponse & UpdateMicrovmImageResponse {
    // The new version has not built yet as far as this answer goes, whatever the clock says.
    const now = this.ctx.now();
    const active = latestActiveVersion(image, now, version);
    const failed = latestFailedVersion(image, now, version);
    return {
      ...structuredClone(version.config),
      imageArn: image.arn,
      name: image.name,
      state: version.kind === "create" ? "CREATING" : "UPDATING",
      ...(active !== undefined ? { latestActiveImageVersion: active } : {}),
      ...(failed !== undefined ? { latestFailedImageVersion: failed } : {}),
      createdAt: image.createdAt,
      updatedAt: image.updatedAt,
      imageVersion: version.version,
    };
  }

  /** The validation the model cannot express: at most 50 tags, on create as on TagResource. */
  static checkTagCount(count: number): void {
    if (count > MAX_TAGS) throw invalid(`tags: a resource can have at most ${MAX_TAGS} tags.`);
  }
}
