/**
 * The in-process service behind the local emulator: one method per operation, taking and
 * returning the SDK's own input and output types, plus read-only views for tests. The HTTP
 * server calls it through `invoke`; tests may call it directly.
 */
import type * as M from "../../models/models.generated";
import type { OperationName } from "../../protocol/schema.generated";
import { LocalServiceError } from "../errors";
import type { Validated } from "./validated";
import { dispatch } from "./dispatch";
import { findManaged } from "./catalogue";
import { ServiceContext, type ServiceSettings } from "./context";
import { ImageStore } from "./images";
import { buildOutput, imageOutput, isGone, liveVersions, versionOutput, type ImageRecord } from "./imageRecords";
import { MicrovmStore } from "./microvms";
import { microvmItem, microvmOutput } from "./microvmRecords";
import { where, type Page } from "./paging";

export type { ServiceSettings } from "./context";

/** Counts of what the service holds, for assertions in tests. */
export interface ServiceCounts {
  readonly images: number;
  readonly versions: number;
  readonly builds: number;
  readonly microvms: number;
  /** MicroVMs per state. */
  readonly microvmsByState: Readonly<Record<string, number>>;
  readonly idempotencyRecords: number;
}

type Json = Record<string, unknown>;

const listed = <T, U>(page: Page<T>, map: (item: T) => U): { items: U[]; nextToken?: string } =>
  page.nextToken === undefined ? { items: page.items.map(map) } : { items: page.items.map(map), nextToken: page.nextToken };

export class LocalService {
  private ctx!: ServiceContext;
  private imageStore!: ImageStore;
  private microvmStore!: MicrovmStore;

  constructor(private readonly settings: ServiceSettings) {
    this.reset();
  }

  /** Forgets every image, MicroVM, tag, page token and client token, e.g. between tests. */
  reset(): void {
    this.ctx = new ServiceContext(this.settings);
    this.imageStore = new ImageStore(this.ctx, (imageId, version) => this.microvmStore.inUse(imageId, version));
    this.microvmStore = new MicrovmStore(this.ctx, this.imageStore);
  }

  get region(): string {
    return this.ctx.scope.region;
  }

  get accountId(): string {
    return this.ctx.scope.accountId;
  }

  /** Runs an operation by name with an input already read from the wire and validated. */
  invoke(operation: OperationName, input: Json): unknown {
    return dispatch(this, operation, input);
  }

  /** Forgets what has outlived the retention period; every operation and view starts with it. */
  private sweep(): void {
    this.ctx.sweep();
  }

  // Managed images

  listManagedMicrovmImages(input: Validated<M.ListManagedMicrovmImagesInput>): Validated<M.ListManagedMicrovmImagesOutput> {
    this.sweep();
    // Stryker disable next-line StringLiteral: the operation name in a page token (see PageTokens.page)
    const page = this.ctx.tokens.page(this.ctx.catalogue, input, "ListManagedMicrovmImages", {});
    return listed(page, (image) => ({ imageArn: image.arn, createdAt: image.createdAt, updatedAt: image.updatedAt }));
  }

  listManagedMicrovmImageVersions(input: Validated<M.ListManagedMicrovmImageVersionsInput>): Validated<M.ListManagedMicrovmImageVersionsOutput> {
    this.sweep();
    const image = findManaged(this.ctx.catalogue, input.imageIdentifier);
    if (!image) throw new LocalServiceError("ResourceNotFoundException", `Managed image ${input.imageIdentifier} does not exist.`, { resourceType: "ManagedMicrovmImage", resourceId: input.imageIdentifier });
    // Stryker disable next-line StringLiteral: the operation name in a page token (see PageTokens.page)
    const page = this.ctx.tokens.page(image.versions, input, "ListManagedMicrovmImageVersions", { image: image.name });
    return listed(page, (v) => ({ imageArn: image.arn, imageVersion: v.version, status: v.status, createdAt: v.createdAt, updatedAt: v.updatedAt }));
  }

  // Images

  createMicrovmImage(input: Validated<M.CreateMicrovmImageRequest>): Validated<M.CreateMicrovmImageResponse> {
    this.sweep();
    return this.ctx.idempotency.run("CreateMicrovmImage", input, () => this.imageStore.create(input));
  }

  updateMicrovmImage(input: Validated<M.UpdateMicrovmImageRequest>): Validated<M.UpdateMicrovmImageResponse> {
    this.sweep();
    return this.ctx.idempotency.run("UpdateMicrovmImage", input, () => this.imageStore.update(input));
  }

  getMicrovmImage(input: Validated<M.GetMicrovmImageInput>): Validated<M.GetMicrovmImageOutput> {
    this.sweep();
    return this.imageStore.get(input.imageIdentifier);
  }

  listMicrovmImages(input: Validated<M.ListMicrovmImagesRequest>): Validated<M.ListMicrovmImagesResponse> {
    this.sweep();
    const filter = input.nameFilter;
    const images = (after: number) => where(this.imageStore.liveAfter(after), (image) => filter === undefined || image.name.includes(filter));
    const now = this.ctx.now();
    // Stryker disable next-line StringLiteral: the operation name in a page token (see PageTokens.page)
    const page = this.ctx.tokens.page(images, input, "ListMicrovmImages", { nameFilter: filter ?? null });
    return listed(page, (image) => {
      const { tags: _tags, updatedAt: _updated, ...summary } = imageOutput(image, now);
      return summary;
    });
  }

  deleteMicrovmImage(input: Validated<M.DeleteMicrovmImageInput>): Validated<M.DeleteMicrovmImageOutput> {
    this.sweep();
    return this.imageStore.delete(input.imageIdentifier);
  }

  // Versions and builds

  getMicrovmImageVersion(input: Validated<M.GetMicrovmImageVersionInput>): Validated<M.GetMicrovmImageVersionOutput> {
    this.sweep();
    const image = this.imageStore.find(input.imageIdentifier);
    return versionOutput(image, this.imageStore.findVersion(image, input.imageVersion), this.ctx.now());
  }

  listMicrovmImageVersions(input: Validated<M.ListMicrovmImageVersionsInput>): Validated<M.ListMicrovmImageVersionsOutput> {
    this.sweep();
    const image = this.imageStore.find(input.imageIdentifier);
    const now = this.ctx.now();
    // Stryker disable next-line StringLiteral: the operation name in a page token (see PageTokens.page)
    const page = this.ctx.tokens.page(liveVersions(image, now), input, "ListMicrovmImageVersions", { image: image.id });
    return listed(page, (version) => versionOutput(image, version, now));
  }

  updateMicrovmImageVersion(input: Validated<M.UpdateMicrovmImageVersionRequest>): Validated<M.UpdateMicrovmImageVersionResponse> {
    this.sweep();
    const version = this.imageStore.setStatus(input.imageIdentifier, input.imageVersion, input.status);
    return versionOutput(this.imageStore.find(input.imageIdentifier), version, this.ctx.now());
  }

  deleteMicrovmImageVersion(input: Validated<M.DeleteMicrovmImageVersionInput>): Validated<M.DeleteMicrovmImageVersionOutput> {
    this.sweep();
    return this.imageStore.deleteVersion(input.imageIdentifier, input.imageVersion);
  }

  getMicrovmImageBuild(input: Validated<M.GetMicrovmImageBuildInput>): Validated<M.GetMicrovmImageBuildOutput> {
    this.sweep();
    const image = this.imageStore.find(input.imageIdentifier);
    const version = this.imageStore.findVersion(image, input.imageVersion);
    const build = version.builds.find((b) => b.buildId === input.buildId);
    if (!build) throw new LocalServiceError("ResourceNotFoundException", `Build ${input.buildId} does not exist.`, { resourceType: "MicrovmImageBuild", resourceId: input.buildId });
    return buildOutput(image, version, build, this.ctx.now());
  }

  listMicrovmImageBuilds(input: Validated<M.ListMicrovmImageBuildsInput>): Validated<M.ListMicrovmImageBuildsOutput> {
    this.sweep();
    const image = this.imageStore.find(input.imageIdentifier);
    const version = this.imageStore.findVersion(image, input.imageVersion);
    const now = this.ctx.now();
    const builds = version.builds.filter(
      (b) =>
        (input.architecture === undefined || b.architecture === input.architecture) &&
        (input.chipset === undefined || b.chipset === input.chipset) &&
        (input.chipsetGeneration === undefined || b.chipsetGeneration === input.chipsetGeneration),
    );
    const filters = { image: image.id, version: version.version, a: input.architecture ?? null, c: input.chipset ?? null, g: input.chipsetGeneration ?? null };
    // Stryker disable next-line StringLiteral: the operation name in a page token (see PageTokens.page)
    const page = this.ctx.tokens.page(builds, input, "ListMicrovmImageBuilds", filters);
    return listed(page, (build) => {
      const { snapshotBuild: _snapshot, ...summary } = buildOutput(image, version, build, now);
      return summary;
    });
  }

  // MicroVMs

  runMicrovm(input: Validated<M.RunMicrovmRequest>): Validated<M.RunMicrovmResponse> {
    this.sweep();
    return this.ctx.idempotency.run("RunMicrovm", input, () => this.microvmStore.run(input));
  }

  getMicrovm(input: Validated<M.GetMicrovmRequest>): Validated<M.GetMicrovmResponse> {
    this.sweep();
    return this.microvmStore.get(input.microvmIdentifier);
  }

  listMicrovms(input: Validated<M.ListMicrovmsRequest>): Validated<M.ListMicrovmsResponse> {
    this.sweep();
    const image = input.imageIdentifier === undefined ? undefined : this.imageStore.find(input.imageIdentifier);
    const version = input.imageVersion;
    const vms = (after: number) => where(this.microvmStore.listAfter(after, image?.id), (vm) => version === undefined || vm.imageVersion === version);
    const now = this.ctx.now();
    // Stryker disable next-line StringLiteral: the operation name in a page token (see PageTokens.page)
    const page = this.ctx.tokens.page(vms, input, "ListMicrovms", { image: image?.id ?? null, version: input.imageVersion ?? null });
    return listed(page, (vm) => microvmItem(vm, now));
  }

  suspendMicrovm(input: Validated<M.SuspendMicrovmRequest>): Validated<M.SuspendMicrovmResponse> {
    this.sweep();
    this.microvmStore.suspend(input.microvmIdentifier);
    return {};
  }

  resumeMicrovm(input: Validated<M.ResumeMicrovmRequest>): Validated<M.ResumeMicrovmResponse> {
    this.sweep();
    this.microvmStore.resume(input.microvmIdentifier);
    return {};
  }

  terminateMicrovm(input: Validated<M.TerminateMicrovmRequest>): Validated<M.TerminateMicrovmResponse> {
    this.sweep();
    this.microvmStore.terminate(input.microvmIdentifier);
    return {};
  }

  createMicrovmAuthToken(input: Validated<M.CreateMicrovmAuthTokenRequest>): Validated<M.CreateMicrovmAuthTokenResponse> {
    this.sweep();
    return { authToken: this.microvmStore.authToken(input) };
  }

  createMicrovmShellAuthToken(input: Validated<M.CreateMicrovmShellAuthTokenRequest>): Validated<M.CreateMicrovmShellAuthTokenResponse> {
    this.sweep();
    return { authToken: this.microvmStore.shellAuthToken(input.microvmIdentifier, input.expirationInMinutes) };
  }

  // Tags (on image ARNs)

  tagResource(input: Validated<M.TagResourceRequest>): Validated<M.Unit> {
    this.sweep();
    const image = this.imageStore.findByArn(input.Resource);
    const merged = { ...image.tags, ...input.Tags };
    ImageStore.checkTagCount(Object.keys(merged).length);
    image.tags = merged;
    return {};
  }

  untagResource(input: Validated<M.UntagResourceRequest>): Validated<M.Unit> {
    this.sweep();
    const image = this.imageStore.findByArn(input.Resource);
    const tags = { ...image.tags };
    for (const key of input.TagKeys) delete tags[key];
    image.tags = tags;
    return {};
  }

  listTags(input: Validated<M.ListTagsRequest>): Validated<M.ListTagsResponse> {
    this.sweep();
    return { Tags: { ...this.imageStore.findByArn(input.Resource).tags } };
  }

  // Views for tests: snapshots, never the live records.

  /** Images that are not deleted, as GetMicrovmImage shows them. */
  images(): M.GetMicrovmImageOutput[] {
    this.sweep();
    const now = this.ctx.now();
    return this.imageStore.live().map((image) => imageOutput(image, now));
  }

  /** Every MicroVM held (terminated ones too, until the retention period ends), as GetMicrovm shows them. */
  microvms(): M.GetMicrovmResponse[] {
    this.sweep();
    const now = this.ctx.now();
    return this.microvmStore.all().map((vm) => microvmOutput(vm, now));
  }

  counts(): ServiceCounts {
    this.sweep();
    const now = this.ctx.now();
    const live: ImageRecord[] = this.imageStore.live();
    const versions = live.flatMap((image) => image.versions.filter((v) => !isGone(v, now)));
    const byState: Record<string, number> = {};
    const vms = this.microvms();
    // Stryker disable next-line StringLiteral: every MicroVM answer has a state, so the default is never taken
    for (const { state = "UNKNOWN" } of vms) byState[state] = (byState[state] ?? 0) + 1;
    return {
      images: live.length,
      versions: versions.length,
      builds: versions.reduce((n, v) => n + v.builds.length, 0),
      microvms: vms.length,
      microvmsByState: byState,
      idempotencyRecords: this.ctx.idempotency.size,
    };
  }
}
