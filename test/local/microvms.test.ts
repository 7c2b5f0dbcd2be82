import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConflictException,
  CreateMicrovmAuthTokenCommand,
  CreateMicrovmShellAuthTokenCommand,
  GetMicrovmCommand,
  ListMicrovmsCommand,
  ListTagsCommand,
  ResourceNotFoundException,
  ResumeMicrovmCommand,
  RunMicrovmCommand,
  SuspendMicrovmCommand,
  TagResourceCommand,
  TerminateMicrovmCommand,
  UntagResourceCommand,
  ValidationException,
} from "../../src/index";
import { createImage, startFixture, type Fixture } from "./helpers";

let fx: Fixture;
let imageArn: string;
beforeAll(async () => {
  fx = await startFixture({ transitionMs: 0 }, { maxAttempts: 1 });
  imageArn = (await createImage(fx.client)).imageArn!;
});
afterAll(() => fx.close());

const run = (extra: Record<string, unknown> = {}) => fx.client.send(new RunMicrovmCommand({ imageIdentifier: imageArn, ...extra }));
const state = async (id: string) => (await fx.client.send(new GetMicrovmCommand({ microvmIdentifier: id }))).state;

describe("MicroVM lifecycle", () => {
  it("runs PENDING → RUNNING with an endpoint, keeping connectors, idle policy and maximum duration", async () => {
    const vm = await run({
      ingressNetworkConnectors: ["SHELL_INGRESS"],
      egressNetworkConnectors: ["INTERNET_EGRESS"],
      idlePolicy: { maxIdleDurationSeconds: 600, suspendedDurationSeconds: 3600, autoResumeEnabled: true },
      maximumDurationInSeconds: 900,
      executionRoleArn: "arn:aws:iam::123456789012:role/exec",
    });
    expect(vm.state).toBe("PENDING");
    expect(vm.endpoint).toMatch(/^https:\/\/mvm-[0-9a-f]+\./);
    const got = await fx.client.send(new GetMicrovmCommand({ microvmIdentifier: vm.microvmId }));
    expect(got).toMatchObject({
      state: "RUNNING",
      imageArn,
      imageVersion: "1",
      maximumDurationInSeconds: 900,
      ingressNetworkConnectors: ["SHELL_INGRESS"],
      egressNetworkConnectors: ["INTERNET_EGRESS"],
      idlePolicy: { maxIdleDurationSeconds: 600, suspendedDurationSeconds: 3600, autoResumeEnabled: true },
      executionRoleArn: "arn:aws:iam::123456789012:role/exec",
    });
    expect(got.startedAt).toBeInstanceOf(Date);
    expect(got.terminatedAt).toBeUndefined();
  });

  it("suspends, resumes and terminates; repeats are harmless; invalid transitions conflict", async () => {
    const { microvmId } = await run();
    await fx.client.send(new SuspendMicrovmCommand({ microvmIdentifier: microvmId }));
    expect(await state(microvmId!)).toBe("SUSPENDED");
    await fx.client.send(new SuspendMicrovmCommand({ microvmIdentifier: microvmId }));
    await fx.client.send(new ResumeMicrovmCommand({ microvmIdentifier: microvmId }));
    expect(await state(microvmId!)).toBe("RUNNING");
    await fx.client.send(new ResumeMicrovmCommand({ microvmIdentifier: microvmId }));
    await fx.client.send(new TerminateMicrovmCommand({ microvmIdentifier: microvmId }));
    const terminated = await fx.client.send(new GetMicrovmCommand({ microvmIdentifier: microvmId }));
    expect(terminated.state).toBe("TERMINATED");
    expect(terminated.terminatedAt).toBeInstanceOf(Date);
    const again = await fx.client.send(new TerminateMicrovmCommand({ microvmIdentifier: microvmId }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    for (const command of [new SuspendMicrovmCommand({ microvmIdentifier: microvmId }), new ResumeMicrovmCommand({ microvmIdentifier: microvmId })]) {
      const err = await fx.client.send(command as SuspendMicrovmCommand).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictException);
      expect((err as ConflictException).resourceId).toBe(microvmId);
      expect((err as ConflictException).$metadata.httpStatusCode).toBe(409);
    }
  });

  it("404s unknown MicroVMs with the resource type and id", async () => {
    for (const send of [
      () => fx.client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-nope" })),
      () => fx.client.send(new SuspendMicrovmCommand({ microvmIdentifier: "mvm-nope" })),
      () => fx.client.send(new TerminateMicrovmCommand({ microvmIdentifier: "mvm-nope" })),
    ]) {
      const err = (await send().catch((e: unknown) => e)) as ResourceNotFoundException;
      expect(err).toBeInstanceOf(ResourceNotFoundException);
      expect(err).toMatchObject({ resourceType: "Microvm", resourceId: "mvm-nope" });
      expect(err.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    await expect(run({ imageIdentifier: "mvi-nope" })).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(run({ imageVersion: "42" })).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe("auth tokens", () => {
  it("mints an auth token for a RUNNING MicroVM, and a shell token only with SHELL_INGRESS", async () => {
    const plain = await run();
    const token = await fx.client.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier: plain.microvmId, expirationInMinutes: 15, allowedPorts: [{ port: 8080 }, { range: { startPort: 9000, endPort: 9010 } }, { allPorts: {} }] }));
    expect(Object.keys(token.authToken!).length).toBeGreaterThan(0);
    const shellRefused = await fx.client.send(new CreateMicrovmShellAuthTokenCommand({ microvmIdentifier: plain.microvmId, expirationInMinutes: 5 })).catch((e: unknown) => e);
    expect(shellRefused).toBeInstanceOf(ConflictException);
    expect((shellRefused as Error).message).toMatch(/SHELL_INGRESS/);
    const shell = await run({ ingressNetworkConnectors: ["SHELL_INGRESS"] });
    const shellToken = await fx.client.send(new CreateMicrovmShellAuthTokenCommand({ microvmIdentifier: shell.microvmId, expirationInMinutes: 5 }));
    expect(Object.keys(shellToken.authToken!).length).toBeGreaterThan(0);
  });

  it("refuses tokens for a suspended MicroVM without auto-resume, and bad expirations or port ranges", async () => {
    const vm = await run();
    await fx.client.send(new SuspendMicrovmCommand({ microvmIdentifier: vm.microvmId }));
    await expect(fx.client.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier: vm.microvmId, expirationInMinutes: 5, allowedPorts: [{ port: 80 }] }))).rejects.toBeInstanceOf(ConflictException);
    await fx.client.send(new ResumeMicrovmCommand({ microvmIdentifier: vm.microvmId }));
    await expect(fx.client.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier: vm.microvmId, expirationInMinutes: 61, allowedPorts: [{ port: 80 }] }))).rejects.toBeInstanceOf(ValidationException);
    await expect(fx.client.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier: vm.microvmId, expirationInMinutes: 5, allowedPorts: [{ range: { startPort: 10, endPort: 9 } }] }))).rejects.toBeInstanceOf(ValidationException);
  });
});

describe("listing MicroVMs", () => {
  it("pages with opaque tokens and filters by image and version", async () => {
    const other = (await createImage(fx.client)).imageArn;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await fx.client.send(new RunMicrovmCommand({ imageIdentifier: other }))).microvmId!);
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await fx.client.send(new ListMicrovmsCommand({ imageIdentifier: other, maxResults: 2, nextToken }));
      seen.push(...page.items!.map((i) => i.microvmId!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    expect((await fx.client.send(new ListMicrovmsCommand({ imageIdentifier: other, imageVersion: "2" }))).items).toHaveLength(0);
    await expect(fx.client.send(new ListMicrovmsCommand({ imageIdentifier: "mvi-unknown" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("refuses forged tokens and tokens reused with other filters", async () => {
    await run();
    await run();
    const page = await fx.client.send(new ListMicrovmsCommand({ maxResults: 1 }));
    expect(page.nextToken).toBeDefined();
    const forged = page.nextToken!.replace(/^./, (c) => (c === "e" ? "f" : "e"));
    await expect(fx.client.send(new ListMicrovmsCommand({ nextToken: forged }))).rejects.toBeInstanceOf(ValidationException);
    await expect(fx.client.send(new ListMicrovmsCommand({ nextToken: "garbage" }))).rejects.toBeInstanceOf(ValidationException);
    await expect(fx.client.send(new ListMicrovmsCommand({ nextToken: page.nextToken, imageIdentifier: imageArn }))).rejects.toBeInstanceOf(ValidationException);
  });
});

describe("idempotency", () => {
  it("returns the first result for a repeated clientToken and conflicts on other input", async () => {
    const before = fx.server.service.counts().microvms;
    const first = await run({ clientToken: "token-1" });
    const second = await run({ clientToken: "token-1" });
    expect(second.microvmId).toBe(first.microvmId);
    expect(second.state).toBe("PENDING");
    expect(fx.server.service.counts().microvms).toBe(before + 1);
    await expect(run({ clientToken: "token-1", maximumDurationInSeconds: 60 })).rejects.toBeInstanceOf(ConflictException);
    const image = await createImage(fx.client, { clientToken: "img-token", name: "idem-image" });
    const again = await createImage(fx.client, { clientToken: "img-token", name: "idem-image" });
    expect(again.imageArn).toBe(image.imageArn);
  });

  it("keeps a token per operation: the same token on CreateMicrovmImage and RunMicrovm makes an image and a MicroVM", async () => {
    const image = await createImage(fx.client, { clientToken: "shared-token", name: "idem-per-operation" });
    const vm = await run({ imageIdentifier: image.imageArn, clientToken: "shared-token" });
    expect(vm.microvmId).toMatch(/^mvm-/);
    expect(vm.imageArn).toBe(image.imageArn);
    // Each operation still answers a repeat with its own first result.
    expect((await run({ imageIdentifier: image.imageArn, clientToken: "shared-token" })).microvmId).toBe(vm.microvmId);
    expect((await createImage(fx.client, { clientToken: "shared-token", name: "idem-per-operation" })).imageArn).toBe(image.imageArn);
  });
});

describe("tags", () => {
  it("tags, lists and untags image ARNs", async () => {
    const image = await createImage(fx.client, { tags: { owner: "me" } });
    const tagged = await fx.client.send(new TagResourceCommand({ Resource: image.imageArn, Tags: { env: "test", "cost:center": "42" } }));
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    expect((await fx.client.send(new ListTagsCommand({ Resource: image.imageArn }))).Tags).toEqual({ owner: "me", env: "test", "cost:center": "42" });
    const untagged = await fx.client.send(new UntagResourceCommand({ Resource: image.imageArn, TagKeys: ["owner", "cost:center", "absent"] }));
    expect(untagged.$metadata.httpStatusCode).toBe(204);
    expect((await fx.client.send(new ListTagsCommand({ Resource: image.imageArn }))).Tags).toEqual({ env: "test" });
  });

  it("404s an unknown image ARN and rejects too many tags", async () => {
    const missing = "arn:aws:lambda:us-east-1:123456789012:microvm-image:mvi-0000000000000000";
    const err = await fx.client.send(new ListTagsCommand({ Resource: missing })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).resourceId).toBe(missing);
    const image = await createImage(fx.client);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    await expect(fx.client.send(new TagResourceCommand({ Resource: image.imageArn, Tags: many }))).rejects.toBeInstanceOf(ValidationException);
  });

  it("applies one limit of 50 tags on create and on TagResource", async () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    const refused = await createImage(fx.client, { tags: tags(51) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationException);
    expect((refused as Error).message).toMatch(/at most 50 tags/);
    const image = await createImage(fx.client, { tags: tags(50) });
    await expect(fx.client.send(new TagResourceCommand({ Resource: image.imageArn, Tags: { k0: "replaced" } }))).resolves.toBeDefined();
    await expect(fx.client.send(new TagResourceCommand({ Resource: image.imageArn, Tags: { extra: "v" } }))).rejects.toBeInstanceOf(ValidationException);
    expect(Object.keys((await fx.client.send(new ListTagsCommand({ Resource: image.imageArn }))).Tags!)).toHaveLength(50);
  });
});
