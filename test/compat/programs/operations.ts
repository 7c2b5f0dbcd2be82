/**
 * A program written for the official client: every operation, errors, metadata, paginators and
 * the aggregated client (promises and callbacks). The compat tests compile it against both
 * packages (after swapping the import) and run it against the emulator with both.
 */
import {
  CreateMicrovmAuthTokenCommand,
  CreateMicrovmImageCommand,
  CreateMicrovmShellAuthTokenCommand,
  DeleteMicrovmImageCommand,
  DeleteMicrovmImageVersionCommand,
  GetMicrovmCommand,
  GetMicrovmImageBuildCommand,
  GetMicrovmImageCommand,
  GetMicrovmImageVersionCommand,
  LambdaMicrovms,
  LambdaMicrovmsClient,
  LambdaMicrovmsServiceException,
  ListManagedMicrovmImageVersionsCommand,
  ListManagedMicrovmImagesCommand,
  ListMicrovmImageBuildsCommand,
  ListMicrovmImageVersionsCommand,
  ListMicrovmImagesCommand,
  ListMicrovmsCommand,
  ListTagsCommand,
  MicrovmState,
  ResourceNotFoundException,
  ResumeMicrovmCommand,
  RunMicrovmCommand,
  SuspendMicrovmCommand,
  TagResourceCommand,
  TerminateMicrovmCommand,
  UntagResourceCommand,
  UpdateMicrovmImageCommand,
  UpdateMicrovmImageVersionCommand,
  ValidationException,
  ConflictException,
  paginateListMicrovms,
  type CodeArtifact,
  type GetMicrovmCommandOutput,
  type LambdaMicrovmsClientConfig,
  type ListMicrovmsCommandOutput,
  type MicrovmItem,
  type RunMicrovmCommandInput,
  type __MetadataBearer,
} from "@aws-sdk/client-lambda-microvms";

export interface Target {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

type Observations = Record<string, unknown>;

/** What a caller can see of an error: its class, fields and how it serializes. */
function describeError(error: unknown): Observations {
  const e = error as Error & { $fault?: string; $metadata?: Record<string, unknown>; $response?: unknown };
  return {
    name: e.name,
    constructorName: e.constructor.name,
    message: e.message,
    fault: e.$fault,
    metadataKeys: Object.keys(e.$metadata ?? {}).sort(),
    status: e.$metadata?.httpStatusCode,
    hasRequestId: typeof e.$metadata?.requestId === "string",
    attempts: e.$metadata?.attempts,
    keys: Object.keys(e).sort(),
    json: JSON.parse(JSON.stringify(e)) as unknown,
    responseEnumerable: Object.getOwnPropertyDescriptor(e, "$response")?.enumerable ?? null,
    isServiceException: e instanceof LambdaMicrovmsServiceException,
    isNotFound: e instanceof ResourceNotFoundException,
    isValidation: e instanceof ValidationException,
    isConflict: e instanceof ConflictException,
  };
}

async function failure(call: Promise<unknown>): Promise<Observations> {
  try {
    await call;
    return { failed: false };
  } catch (error) {
    return describeError(error);
  }
}

/** The metadata of an output, with the request id reduced to its type. */
function metadataOf(output: __MetadataBearer): Observations {
  const { requestId, ...rest } = output.$metadata;
  return { ...rest, requestId: typeof requestId, keys: Object.keys(output.$metadata).sort() };
}

/** The state of a MicroVM, written as code would use the enum (exhaustively). */
function describeState(state: MicrovmState | undefined): string {
  switch (state) {
    case MicrovmState.PENDING:
    case MicrovmState.RUNNING:
    case MicrovmState.SUSPENDING:
    case MicrovmState.SUSPENDED:
    case MicrovmState.TERMINATING:
    case MicrovmState.TERMINATED:
      return state;
    case undefined:
      return "none";
    default: {
      const unknown: never = state;
      return `unknown ${String(unknown)}`;
    }
  }
}

/** Which member of the union is set, through the official Visitor shape. */
function artifactKind(artifact: CodeArtifact | undefined): string {
  if (!artifact) return "none";
  const visitor: CodeArtifact.Visitor<string> = { uri: () => "uri", _: (name) => `unknown:${name}` };
  return artifact.uri !== undefined ? visitor.uri(artifact.uri) : visitor._("?", artifact.$unknown);
}

export async function run(target: Target): Promise<Observations> {
  const config: LambdaMicrovmsClientConfig = { region: target.region, endpoint: target.endpoint, credentials: target.credentials };
  const client = new LambdaMicrovmsClient(config);
  const seen: Observations = {};

  const managed = await client.send(new ListManagedMicrovmImagesCommand({}));
  const base = managed.items?.[0]?.imageArn;
  const versions = await client.send(new ListManagedMicrovmImageVersionsCommand({ imageIdentifier: base, maxResults: 2 }));
  seen.managed = { count: managed.items?.length, versions: versions.items?.length, metadata: metadataOf(managed) };

  const created = await client.send(
    new CreateMicrovmImageCommand({
      name: "compat-image",
      baseImageArn: base,
      buildRoleArn: "arn:aws:iam::123456789012:role/build",
      codeArtifact: { uri: "s3://bucket/app.zip" },
      environmentVariables: { MODE: "compat" },
      tags: { team: "platform" },
    }),
  );
  const imageArn = created.imageArn;
  seen.created = { state: created.state, version: created.imageVersion, createdAt: created.createdAt instanceof Date, artifact: artifactKind(created.codeArtifact), metadata: metadataOf(created) };

  const image = await client.send(new GetMicrovmImageCommand({ imageIdentifier: imageArn }));
  const images = await client.send(new ListMicrovmImagesCommand({ nameFilter: "compat-image" }));
  const imageVersions = await client.send(new ListMicrovmImageVersionsCommand({ imageIdentifier: imageArn }));
  const version = await client.send(new GetMicrovmImageVersionCommand({ imageIdentifier: imageArn, imageVersion: "1" }));
  const builds = await client.send(new ListMicrovmImageBuildsCommand({ imageIdentifier: imageArn, imageVersion: "1" }));
  const build = await client.send(new GetMicrovmImageBuildCommand({ imageIdentifier: imageArn, imageVersion: "1", buildId: builds.items?.[0]?.buildId }));
  seen.image = { state: image.state, listed: images.items?.map((i) => i.name), versions: imageVersions.items?.length, version: version.state, builds: builds.items?.length, build: build.buildState };

  const updatedVersion = await client.send(new UpdateMicrovmImageVersionCommand({ imageIdentifier: imageArn, imageVersion: "1", status: "ACTIVE" }));
  const updated = await client.send(
    new UpdateMicrovmImageCommand({ imageIdentifier: imageArn, baseImageArn: base, buildRoleArn: "arn:aws:iam::123456789012:role/build", codeArtifact: { uri: "s3://bucket/v2.zip" } }),
  );
  seen.updated = { version: updatedVersion.status, image: updated.state, next: updated.imageVersion };

  await client.send(new TagResourceCommand({ Resource: imageArn, Tags: { stage: "test" } }));
  const tags = await client.send(new ListTagsCommand({ Resource: imageArn }));
  await client.send(new UntagResourceCommand({ Resource: imageArn, TagKeys: ["stage"] }));
  const untagged = await client.send(new ListTagsCommand({ Resource: imageArn }));
  seen.tags = { tagged: tags.Tags, untagged: untagged.Tags };

  // A required member given a value that may be undefined, as callers often do.
  const maybeVersion: string | undefined = process.env.COMPAT_IMAGE_VERSION;
  const runInput: RunMicrovmCommandInput = { imageIdentifier: imageArn, imageVersion: maybeVersion, maximumDurationInSeconds: 3600, runHookPayload: "payload" };
  const vm = await client.send(new RunMicrovmCommand(runInput));
  const microvmIdentifier = vm.microvmId;
  const got: GetMicrovmCommandOutput = await client.send(new GetMicrovmCommand({ microvmIdentifier }));
  const suspended = await client.send(new SuspendMicrovmCommand({ microvmIdentifier }));
  const afterSuspend = await client.send(new GetMicrovmCommand({ microvmIdentifier }));
  const resumed = await client.send(new ResumeMicrovmCommand({ microvmIdentifier }));
  const afterResume = await client.send(new GetMicrovmCommand({ microvmIdentifier }));
  const token = await client.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier, expirationInMinutes: 5, allowedPorts: [{ port: 8080 }, { range: { startPort: 9000, endPort: 9010 } }] }));
  seen.microvm = {
    run: describeState(vm.state),
    get: describeState(got.state),
    startedAt: got.startedAt instanceof Date,
    suspended: { output: Object.keys(suspended), state: describeState(afterSuspend.state) },
    resumed: { output: Object.keys(resumed), state: describeState(afterResume.state) },
    tokenKeys: Object.keys(token.authToken ?? {}).sort(),
  };
  seen.shellToken = await failure(client.send(new CreateMicrovmShellAuthTokenCommand({ microvmIdentifier, expirationInMinutes: 5 })));

  for (let i = 0; i < 4; i++) await client.send(new RunMicrovmCommand({ imageIdentifier: imageArn }));
  const pages: ListMicrovmsCommandOutput[] = [];
  for await (const page of paginateListMicrovms({ client, pageSize: 2 }, { imageIdentifier: imageArn })) pages.push(page);
  const items: MicrovmItem[] = pages.flatMap((page) => page.items ?? []);
  seen.paginated = { pages: pages.length, items: items.length, sizes: pages.map((p) => p.items?.length), lastToken: pages.at(-1)?.nextToken ?? null };

  const terminated = await client.send(new TerminateMicrovmCommand({ microvmIdentifier }));
  seen.terminated = { output: Object.keys(terminated), metadata: metadataOf(terminated), state: describeState((await client.send(new GetMicrovmCommand({ microvmIdentifier }))).state) };

  seen.aborted = {
    beforeSending: await failure(client.send(new GetMicrovmCommand({ microvmIdentifier }), { abortSignal: AbortSignal.abort() })),
    withReason: await failure(client.send(new GetMicrovmCommand({ microvmIdentifier }), { abortSignal: AbortSignal.abort("changed my mind") })),
  };
  seen.errors = {
    notFound: await failure(client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-does-not-exist" }))),
    // maxResults above the model's maximum: the service answers (the client sends it).
    validation: await failure(client.send(new ListMicrovmsCommand({ maxResults: 51 }))),
    conflict: await failure(client.send(new SuspendMicrovmCommand({ microvmIdentifier }))),
  };

  const aggregated = new LambdaMicrovms(config);
  const listed = await aggregated.listMicrovms();
  const viaCallback = await new Promise<Observations>((resolve) => {
    aggregated.getMicrovm({ microvmIdentifier }, (err, data) => resolve({ err: err === null ? null : describeError(err), state: data?.state }));
  });
  const callbackError = await new Promise<Observations>((resolve) => {
    aggregated.getMicrovm({ microvmIdentifier: "mvm-missing" }, {}, (err, data) => resolve({ err: describeError(err), data: data ?? null }));
  });
  let aggregatedPages = 0;
  for await (const page of aggregated.paginateListMicrovms({ imageIdentifier: imageArn }, { pageSize: 3 })) aggregatedPages += page.items?.length ? 1 : 0;
  seen.aggregated = { listed: listed.items?.length, viaCallback, callbackError, aggregatedPages, isClient: aggregated instanceof LambdaMicrovmsClient };

  for (const item of items) await client.send(new TerminateMicrovmCommand({ microvmIdentifier: item.microvmId }));
  const deletedVersion = await failure(client.send(new DeleteMicrovmImageVersionCommand({ imageIdentifier: imageArn, imageVersion: "1" })));
  const deleted = await client.send(new DeleteMicrovmImageCommand({ imageIdentifier: imageArn }));
  seen.deleted = { version: deletedVersion, image: deleted.state };

  client.destroy();
  aggregated.destroy();
  return seen;
}
