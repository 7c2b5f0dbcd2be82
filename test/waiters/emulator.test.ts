/** Each waiter against the local emulator: success, failure (outcome=fail), timeout, abort. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateMicrovmImageCommand,
  DeleteMicrovmImageCommand,
  LambdaMicrovmsClient,
  ListMicrovmImageBuildsCommand,
  RunMicrovmCommand,
  SuspendMicrovmCommand,
  TerminateMicrovmCommand,
  UpdateMicrovmImageCommand,
  WaiterError,
  WaiterState,
  waitForMicrovmRunning,
  waitUntilMicrovmImageBuildSuccessful,
  waitUntilMicrovmImageCreated,
  waitUntilMicrovmImageDeleted,
  waitUntilMicrovmImageUpdated,
  waitUntilMicrovmImageVersionSuccessful,
  waitUntilMicrovmRunning,
  waitUntilMicrovmSuspended,
  waitUntilMicrovmTerminated,
} from "../../src/index";
import { startLocalServer, type LocalServer } from "../../src/local/index";

const TRANSITION_MS = 30;
const BASE = "arn:aws:lambda:us-east-1:aws:microvm-image:al2023";
const ROLE = "arn:aws:iam::123456789012:role/build";
let server: LocalServer;
let client: LambdaMicrovmsClient;
let n = 0;
// Short pauses so that the waits take a few hundred milliseconds.
const fast = () => ({ client, maxWaitTime: 10, minDelay: 0.01, maxDelay: 0.05 });

beforeAll(async () => {
  server = await startLocalServer({ transitionMs: TRANSITION_MS });
  client = new LambdaMicrovmsClient({ region: server.region, endpoint: server.endpoint, credentials: server.credentials });
});
afterAll(async () => {
  client.destroy();
  await server.stop();
});

const createImage = (uri = "s3://bucket/app.zip") =>
  client.send(new CreateMicrovmImageCommand({ name: `w-${n++}`, baseImageArn: BASE, buildRoleArn: ROLE, codeArtifact: { uri } }));

describe("image waiters", () => {
  it("build, version and image reach success; update and delete too", async () => {
    const image = await createImage();
    const states: string[] = [];
    await waitUntilMicrovmImageCreated({ ...fast(), onPoll: (e) => states.push(String((e.response as { state?: string } | undefined)?.state)) }, { imageIdentifier: image.imageArn });
    expect(states.at(-1)).toBe("CREATED");
    const version = await waitUntilMicrovmImageVersionSuccessful(fast(), { imageIdentifier: image.imageArn, imageVersion: image.imageVersion });
    expect(version.lastResponse?.state).toBe("SUCCESSFUL");
    const builds = await client.send(new ListMicrovmImageBuildsCommand({ imageIdentifier: image.imageArn, imageVersion: image.imageVersion }));
    const build = await waitUntilMicrovmImageBuildSuccessful(fast(), { imageIdentifier: image.imageArn, imageVersion: image.imageVersion, buildId: builds.items![0]!.buildId });
    expect(build.state).toBe(WaiterState.SUCCESS);
    await client.send(new UpdateMicrovmImageCommand({ imageIdentifier: image.imageArn, baseImageArn: BASE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://bucket/v2.zip" } }));
    expect((await waitUntilMicrovmImageUpdated(fast(), { imageIdentifier: image.imageArn })).lastResponse?.state).toBe("UPDATED");
    await client.send(new DeleteMicrovmImageCommand({ imageIdentifier: image.imageArn }));
    expect((await waitUntilMicrovmImageDeleted(fast(), { imageIdentifier: image.imageArn })).state).toBe(WaiterState.SUCCESS);
  });

  it("an outcome=fail build makes the waiters fail with the reason", async () => {
    const image = await createImage("s3://bucket/app.zip?outcome=fail");
    const error = (await waitUntilMicrovmImageCreated(fast(), { imageIdentifier: image.imageArn }).catch((e: unknown) => e)) as WaiterError;
    expect(error).toBeInstanceOf(WaiterError);
    expect(error.state).toBe(WaiterState.FAILURE);
    expect(error.message).toContain("CREATE_FAILED");
    const version = (await waitUntilMicrovmImageVersionSuccessful(fast(), { imageIdentifier: image.imageArn, imageVersion: image.imageVersion }).catch((e: unknown) => e)) as WaiterError;
    expect(version.state).toBe(WaiterState.FAILURE);
    const builds = await client.send(new ListMicrovmImageBuildsCommand({ imageIdentifier: image.imageArn, imageVersion: image.imageVersion }));
    const build = (await waitUntilMicrovmImageBuildSuccessful(fast(), { imageIdentifier: image.imageArn, imageVersion: image.imageVersion, buildId: builds.items![0]!.buildId }).catch((e: unknown) => e)) as WaiterError;
    expect(build.state).toBe(WaiterState.FAILURE);
  });
});

describe("MicroVM waiters", () => {
  it("running, suspended and terminated succeed; a terminated VM fails the running waiter", async () => {
    const image = await createImage();
    await waitUntilMicrovmImageCreated(fast(), { imageIdentifier: image.imageArn });
    const vm = await client.send(new RunMicrovmCommand({ imageIdentifier: image.imageArn }));
    const id = { microvmIdentifier: vm.microvmId };
    expect((await waitUntilMicrovmRunning(fast(), id)).lastResponse?.state).toBe("RUNNING");
    await client.send(new SuspendMicrovmCommand(id));
    expect((await waitUntilMicrovmSuspended(fast(), id)).lastResponse?.state).toBe("SUSPENDED");
    await client.send(new TerminateMicrovmCommand(id));
    expect((await waitUntilMicrovmTerminated(fast(), id)).state).toBe(WaiterState.SUCCESS);
    const error = (await waitUntilMicrovmRunning(fast(), id).catch((e: unknown) => e)) as WaiterError;
    expect(error.state).toBe(WaiterState.FAILURE);
  });

  it("times out, and aborts at once with no request after the abort", async () => {
    const image = await createImage();
    await waitUntilMicrovmImageCreated(fast(), { imageIdentifier: image.imageArn });
    const vm = await client.send(new RunMicrovmCommand({ imageIdentifier: image.imageArn }));
    await waitUntilMicrovmRunning(fast(), { microvmIdentifier: vm.microvmId });
    const missing = await waitForMicrovmRunning({ ...fast(), maxWaitTime: 0.2 }, { microvmIdentifier: "mvm-does-not-exist" }).catch((e: unknown) => e);
    expect((missing as { state: WaiterState }).state).toBe(WaiterState.FAILURE);
    const suspendWait = await waitForMicrovmRunning({ ...fast(), maxWaitTime: 0.3 }, { microvmIdentifier: vm.microvmId });
    expect(suspendWait.state).toBe(WaiterState.SUCCESS);
    await client.send(new SuspendMicrovmCommand({ microvmIdentifier: vm.microvmId }));
    await waitUntilMicrovmSuspended(fast(), { microvmIdentifier: vm.microvmId });
    const timeout = await waitForMicrovmRunning({ ...fast(), maxWaitTime: 0.3 }, { microvmIdentifier: vm.microvmId });
    expect(timeout.state).toBe(WaiterState.TIMEOUT);
    const controller = new AbortController();
    const pending = waitForMicrovmRunning({ client, maxWaitTime: 60, minDelay: 5, abortSignal: controller.signal }, { microvmIdentifier: vm.microvmId });
    await new Promise((r) => setTimeout(r, 100));
    const before = server.requestCount();
    const abortedAt = Date.now();
    controller.abort();
    expect((await pending).state).toBe(WaiterState.ABORTED);
    expect(Date.now() - abortedAt).toBeLessThan(100);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requestCount()).toBe(before);
  });
});
