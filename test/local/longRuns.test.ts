/**
 * Over HTTP, on a clock the test moves by hand: transitions and timers give the same result
 * whatever is read in between, an accepted request takes effect (or is refused with 409), and
 * what the service forgets (terminated MicroVMs, deleted images and versions, client tokens) is
 * forgotten after the retention period, so that a long run stays small.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  ConflictException,
  CreateMicrovmImageCommand,
  DeleteMicrovmImageCommand,
  DeleteMicrovmImageVersionCommand,
  GetMicrovmCommand,
  GetMicrovmImageVersionCommand,
  ListMicrovmImagesCommand,
  ListMicrovmImageVersionsCommand,
  ListMicrovmsCommand,
  ResumeMicrovmCommand,
  RunMicrovmCommand,
  SuspendMicrovmCommand,
  TerminateMicrovmCommand,
  UpdateMicrovmImageCommand,
  type LambdaMicrovmsClient,
} from "../../src/index";
import { imageInput, startFixture, type Fixture } from "./helpers";

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const T = 1000;

/** A server whose service clock only moves when the test says so. */
async function clocked(retentionMs?: number) {
  let now = Date.UTC(2026, 0, 1);
  fx = await startFixture({ transitionMs: T, now: () => now, ...(retentionMs !== undefined ? { retentionMs } : {}) }, { maxAttempts: 1 });
  return { client: fx.client, server: fx.server, advance: (ms: number) => (now += ms) };
}

async function readyImage(client: LambdaMicrovmsClient, advance: (ms: number) => void, name?: string) {
  const image = await client.send(new CreateMicrovmImageCommand(imageInput(name ? { name } : {})));
  advance(2 * T);
  return image.imageArn!;
}

const state = async (client: LambdaMicrovmsClient, id: string) => (await client.send(new GetMicrovmCommand({ microvmIdentifier: id }))).state;

describe("the state machine", () => {
  it("refuses to suspend a MicroVM whose resume is under way, and the resume takes effect", async () => {
    const { client, advance } = await clocked();
    const imageArn = await readyImage(client, advance);
    const { microvmId } = await client.send(new RunMicrovmCommand({ imageIdentifier: imageArn }));
    advance(T);
    await client.send(new SuspendMicrovmCommand({ microvmIdentifier: microvmId }));
    advance(T);
    await client.send(new ResumeMicrovmCommand({ microvmIdentifier: microvmId }));
    expect(await state(client, microvmId!)).toBe("SUSPENDED");
    const refused = await client.send(new SuspendMicrovmCommand({ microvmIdentifier: microvmId })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictException);
    expect((refused as Error).message).toMatch(/being resumed/);
    advance(T);
    expect(await state(client, microvmId!)).toBe("RUNNING");
    // Once RUNNING it can be suspended again, and the suspension sticks.
    await client.send(new SuspendMicrovmCommand({ microvmIdentifier: microvmId }));
    advance(10 * T);
    expect(await state(client, microvmId!)).toBe("SUSPENDED");
  });

  it("gives the idle policy the same outcome whether or not the MicroVM is read in between", async () => {
    const { client, advance } = await clocked();
    const imageArn = await readyImage(client, advance);
    const idlePolicy = { maxIdleDurationSeconds: 60, suspendedDurationSeconds: 30, autoResumeEnabled: false };
    const [a, b] = await Promise.all([1, 2].map(() => client.send(new RunMicrovmCommand({ imageIdentifier: imageArn, idlePolicy }))));
    const ids = [a!.microvmId!, b!.microvmId!];
    // RUNNING after one transition, then idle for 60 s: suspended by the policy.
    advance(T + 60_000);
    expect(await state(client, ids[0]!)).toBe("SUSPENDED");
    // A resume accepted 29.5 s into the 30 s the policy allows; it completes after that limit.
    advance(29_500);
    for (const id of ids) await client.send(new ResumeMicrovmCommand({ microvmIdentifier: id }));
    advance(700);
    expect(await state(client, ids[0]!)).toBe("SUSPENDED"); // only the first is looked at mid-resume
    advance(1_000);
    const outcomes = await Promise.all(ids.map((id) => client.send(new GetMicrovmCommand({ microvmIdentifier: id }))));
    expect(outcomes.map((vm) => vm.state)).toEqual(["RUNNING", "RUNNING"]);
    // And the timers that follow agree too: idle again 60 s after running, then too long suspended.
    advance(60_000);
    expect(await state(client, ids[1]!)).toBe("SUSPENDED");
    advance(31_000);
    const ended = await Promise.all(ids.map((id) => client.send(new GetMicrovmCommand({ microvmIdentifier: id }))));
    expect(ended.map((vm) => [vm.state, vm.stateReason])).toEqual([
      ["TERMINATED", expect.stringMatching(/suspended for longer/)],
      ["TERMINATED", expect.stringMatching(/suspended for longer/)],
    ]);
  });
});

describe("retention", () => {
  it("forgets terminated MicroVMs after the retention period, and lists only what it holds", async () => {
    const { client, server, advance } = await clocked(10 * 60_000);
    const imageArn = await readyImage(client, advance);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await client.send(new RunMicrovmCommand({ imageIdentifier: imageArn }))).microvmId!);
    for (const id of ids.slice(0, 20)) await client.send(new TerminateMicrovmCommand({ microvmIdentifier: id }));
    advance(T);
    expect(await state(client, ids[0]!)).toBe("TERMINATED");
    expect(server.service.counts().microvms).toBe(30);
    advance(10 * 60_000);
    expect(server.service.counts()).toMatchObject({ microvms: 10, microvmsByState: { RUNNING: 10 } });
    const gone = await client.send(new GetMicrovmCommand({ microvmIdentifier: ids[0]! })).catch((e: unknown) => e);
    expect((gone as Error).name).toBe("ResourceNotFoundException");
    const page = await client.send(new ListMicrovmsCommand({ maxResults: 50 }));
    expect(page.items!.map((vm) => vm.microvmId)).toEqual(ids.slice(20));
    const byImage = await client.send(new ListMicrovmsCommand({ imageIdentifier: imageArn, maxResults: 1 }));
    expect(byImage.items!.map((vm) => vm.microvmId)).toEqual([ids[20]]);
  });

  it("forgets MicroVMs that end on their own (maximum duration) without anyone reading them", async () => {
    const { client, server, advance } = await clocked(60_000);
    const imageArn = await readyImage(client, advance);
    await client.send(new RunMicrovmCommand({ imageIdentifier: imageArn, maximumDurationInSeconds: 120 }));
    advance(120_000 + 60_000);
    expect(server.service.counts().microvms).toBe(0);
  });

  it("forgets deleted images and versions, frees their names, and keeps numbering versions", async () => {
    const { client, server, advance } = await clocked(60_000);
    const imageArn = await readyImage(client, advance, "kept-name");
    await client.send(new UpdateMicrovmImageCommand({ imageIdentifier: imageArn, ...imageInput({ name: "kept-name" }) }));
    advance(2 * T);
    await client.send(new DeleteMicrovmImageVersionCommand({ imageIdentifier: imageArn, imageVersion: "1" }));
    advance(T + 60_000);
    const versions = await client.send(new ListMicrovmImageVersionsCommand({ imageIdentifier: imageArn }));
    expect(versions.items!.map((v) => v.imageVersion)).toEqual(["2"]);
    await client.send(new UpdateMicrovmImageCommand({ imageIdentifier: imageArn, ...imageInput({ name: "kept-name" }) }));
    const third = await client.send(new GetMicrovmImageVersionCommand({ imageIdentifier: imageArn, imageVersion: "3" }));
    expect(third.imageVersion).toBe("3");
    advance(2 * T);
    await client.send(new DeleteMicrovmImageCommand({ imageIdentifier: imageArn }));
    advance(T);
    expect((await client.send(new DeleteMicrovmImageCommand({ imageIdentifier: imageArn }))).state).toBe("DELETED");
    advance(60_000);
    expect(server.service.counts().images).toBe(0);
    const again = await client.send(new DeleteMicrovmImageCommand({ imageIdentifier: imageArn })).catch((e: unknown) => e);
    expect((again as Error).name).toBe("ResourceNotFoundException");
    const reused = await readyImage(client, advance, "kept-name");
    expect(reused).not.toBe(imageArn);
    const listed = await client.send(new ListMicrovmImagesCommand({ nameFilter: "kept-name" }));
    expect(listed.items!.map((i) => i.imageArn)).toEqual([reused]);
  });

  it("expires client tokens: within the period a retry gets the first result, after it a new call", async () => {
    const { client, server, advance } = await clocked(60_000);
    const imageArn = await readyImage(client, advance);
    const first = await client.send(new RunMicrovmCommand({ imageIdentifier: imageArn, clientToken: "token-1" }));
    advance(59_000);
    expect((await client.send(new RunMicrovmCommand({ imageIdentifier: imageArn, clientToken: "token-1" }))).microvmId).toBe(first.microvmId);
    expect(server.service.counts().idempotencyRecords).toBe(1);
    advance(1_000);
    expect(server.service.counts().idempotencyRecords).toBe(0);
    const later = await client.send(new RunMicrovmCommand({ imageIdentifier: imageArn, clientToken: "token-1" }));
    expect(later.microvmId).not.toBe(first.microvmId);
  });

  it("scales the default retention with transitionMs", async () => {
    const { client, server, advance } = await clocked();
    const imageArn = await readyImage(client, advance);
    const { microvmId } = await client.send(new RunMicrovmCommand({ imageIdentifier: imageArn }));
    await client.send(new TerminateMicrovmCommand({ microvmIdentifier: microvmId }));
    advance(T + 3600 * T - 1);
    expect(await state(client, microvmId!)).toBe("TERMINATED");
    advance(1);
    expect(server.service.counts().microvms).toBe(0);
  });
});
