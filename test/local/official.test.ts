/**
 * The walk-through with the official `@aws-sdk/client-lambda-microvms`: the emulator must not
 * depend on quirks of this SDK's client.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LambdaMicrovmsClient as OfficialClient,
  CreateMicrovmAuthTokenCommand,
  CreateMicrovmImageCommand,
  CreateMicrovmShellAuthTokenCommand,
  DeleteMicrovmImageCommand,
  DeleteMicrovmImageVersionCommand,
  GetMicrovmCommand,
  GetMicrovmImageBuildCommand,
  GetMicrovmImageCommand,
  GetMicrovmImageVersionCommand,
  ListManagedMicrovmImageVersionsCommand,
  ListManagedMicrovmImagesCommand,
  ListMicrovmImageBuildsCommand,
  ListMicrovmImageVersionsCommand,
  ListMicrovmImagesCommand,
  ListMicrovmsCommand,
  ListTagsCommand,
  ResourceNotFoundException,
  ConflictException,
  ValidationException,
  ResumeMicrovmCommand,
  RunMicrovmCommand,
  SuspendMicrovmCommand,
  TagResourceCommand,
  TerminateMicrovmCommand,
  UntagResourceCommand,
  UpdateMicrovmImageCommand,
  UpdateMicrovmImageVersionCommand,
  paginateListMicrovms,
} from "@aws-sdk/client-lambda-microvms";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { BASE_IMAGE, ROLE, uniqueName } from "./helpers";

let server: LocalServer;
let client: OfficialClient;
beforeAll(async () => {
  server = await startLocalServer({ transitionMs: 0 });
  client = new OfficialClient({ region: server.region, endpoint: server.endpoint, credentials: server.credentials, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await server.stop();
});

describe("the official client against the emulator", () => {
  it("walks through all 24 operations", async () => {
    const managed = await client.send(new ListManagedMicrovmImagesCommand({ maxResults: 2 }));
    expect(managed.items?.length).toBe(2);
    const managedVersions = await client.send(new ListManagedMicrovmImageVersionsCommand({ imageIdentifier: BASE_IMAGE }));
    expect(managedVersions.items?.length).toBeGreaterThan(0);

    const name = uniqueName("official");
    const created = await client.send(new CreateMicrovmImageCommand({ name, baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/app.zip" }, tags: { a: "1" }, environmentVariables: { K: "V" } }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.state).toBe("CREATING");
    expect(created.createdAt).toBeInstanceOf(Date);
    const imageArn = created.imageArn!;
    expect((await client.send(new GetMicrovmImageCommand({ imageIdentifier: imageArn }))).state).toBe("CREATED");
    const updated = await client.send(new UpdateMicrovmImageCommand({ imageIdentifier: imageArn, baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/v2.zip" } }));
    expect(updated.imageVersion).toBe("2");
    const versions = await client.send(new ListMicrovmImageVersionsCommand({ imageIdentifier: imageArn }));
    expect(versions.items?.map((v) => v.imageVersion)).toEqual(["1", "2"]);
    const version = await client.send(new GetMicrovmImageVersionCommand({ imageIdentifier: imageArn, imageVersion: "1" }));
    expect(version.environmentVariables).toEqual({ K: "V" });
    const builds = await client.send(new ListMicrovmImageBuildsCommand({ imageIdentifier: imageArn, imageVersion: "2", architecture: "ARM_64" }));
    const build = await client.send(new GetMicrovmImageBuildCommand({ imageIdentifier: imageArn, imageVersion: "2", buildId: builds.items![0]!.buildId! }));
    expect(build.buildState).toBe("SUCCESSFUL");
    await client.send(new UpdateMicrovmImageVersionCommand({ imageIdentifier: imageArn, imageVersion: "1", status: "INACTIVE" }));
    expect((await client.send(new DeleteMicrovmImageVersionCommand({ imageIdentifier: imageArn, imageVersion: "1" }))).state).toBe("DELETED");
    expect((await client.send(new ListMicrovmImagesCommand({ nameFilter: name }))).items?.map((i) => i.name)).toEqual([name]);

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const vm = await client.send(new RunMicrovmCommand({ imageIdentifier: imageArn, ingressNetworkConnectors: ["SHELL_INGRESS"], idlePolicy: { maxIdleDurationSeconds: 600, suspendedDurationSeconds: 60, autoResumeEnabled: true } }));
      expect(vm.state).toBe("PENDING");
      ids.push(vm.microvmId!);
    }
    expect((await client.send(new GetMicrovmCommand({ microvmIdentifier: ids[0]! }))).state).toBe("RUNNING");
    const paged: string[] = [];
    for await (const page of paginateListMicrovms({ client, pageSize: 2 }, { imageIdentifier: imageArn })) paged.push(...(page.items ?? []).map((i) => i.microvmId!));
    expect(paged).toEqual(ids);

    const token = await client.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier: ids[0]!, expirationInMinutes: 10, allowedPorts: [{ port: 8080 }, { allPorts: {} }, { range: { startPort: 1, endPort: 10 } }] }));
    expect(Object.keys(token.authToken ?? {}).length).toBeGreaterThan(0);
    const shell = await client.send(new CreateMicrovmShellAuthTokenCommand({ microvmIdentifier: ids[0]!, expirationInMinutes: 10 }));
    expect(Object.keys(shell.authToken ?? {}).length).toBeGreaterThan(0);

    await client.send(new SuspendMicrovmCommand({ microvmIdentifier: ids[1]! }));
    expect((await client.send(new GetMicrovmCommand({ microvmIdentifier: ids[1]! }))).state).toBe("SUSPENDED");
    await client.send(new ResumeMicrovmCommand({ microvmIdentifier: ids[1]! }));
    expect((await client.send(new GetMicrovmCommand({ microvmIdentifier: ids[1]! }))).state).toBe("RUNNING");

    await client.send(new TagResourceCommand({ Resource: imageArn, Tags: { b: "2" } }));
    await client.send(new UntagResourceCommand({ Resource: imageArn, TagKeys: ["a"] }));
    expect((await client.send(new ListTagsCommand({ Resource: imageArn }))).Tags).toEqual({ b: "2" });

    for (const id of ids) await client.send(new TerminateMicrovmCommand({ microvmIdentifier: id }));
    await client.send(new TerminateMicrovmCommand({ microvmIdentifier: ids[0]! }));
    expect((await client.send(new ListMicrovmsCommand({ imageIdentifier: imageArn }))).items?.every((i) => i.state === "TERMINATED")).toBe(true);
    expect((await client.send(new DeleteMicrovmImageCommand({ imageIdentifier: imageArn }))).state).toBe("DELETING");
    await expect(client.send(new GetMicrovmImageCommand({ imageIdentifier: imageArn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("gets the modeled error classes with their members", async () => {
    const missing = await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-missing" })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as ResourceNotFoundException).resourceId).toBe("mvm-missing");
    expect((missing as ResourceNotFoundException).$metadata.requestId).toBeDefined();
    const created = await client.send(new CreateMicrovmImageCommand({ name: uniqueName("dup"), baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/a.zip" } }));
    const dup = await client.send(new CreateMicrovmImageCommand({ name: created.name!, baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/a.zip" } })).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConflictException);
    const invalid = await client.send(new ListMicrovmsCommand({ maxResults: 500 })).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationException);
  });

  it("is refused with a wrong secret", async () => {
    const bad = new OfficialClient({ region: server.region, endpoint: server.endpoint, credentials: { ...server.credentials, secretAccessKey: "nope" }, maxAttempts: 1 });
    const error = await bad.send(new ListMicrovmsCommand({})).catch((e: unknown) => e);
    expect((error as Error).name).toBe("InvalidSignatureException");
    bad.destroy();
  });
});
