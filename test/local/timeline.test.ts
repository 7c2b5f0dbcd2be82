import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetMicrovmCommand, GetMicrovmImageCommand, GetMicrovmImageVersionCommand, RunMicrovmCommand, SuspendMicrovmCommand, TerminateMicrovmCommand, ResumeMicrovmCommand } from "../../src/index";
import { LocalService, LocalServiceError } from "../../src/local/index";
import { BASE_IMAGE, createImage, pollUntil, ROLE, startFixture, type Fixture } from "./helpers";

/** A service on a clock the test moves by hand, so every intermediate state is checked exactly. */
function manualService(transitionMs = 1000) {
  let now = Date.UTC(2026, 0, 1);
  const service = new LocalService({ region: "us-east-1", accountId: "123456789012", transitionMs, now: () => now });
  return { service, advance: (ms: number) => (now += ms) };
}

const imageRequest = (name: string, uri = "s3://b/app.zip") => ({ name, baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri } });

describe("state machines on a manual clock", () => {
  it("walks an image and its version through every state, and refuses updates and deletes mid-build", () => {
    const { service, advance } = manualService();
    const image = service.createMicrovmImage(imageRequest("clocked"));
    const version = () => service.getMicrovmImageVersion({ imageIdentifier: image.imageArn, imageVersion: "1" }).state;
    expect(service.getMicrovmImage({ imageIdentifier: image.imageArn }).state).toBe("CREATING");
    expect(version()).toBe("PENDING");
    expect(() => service.updateMicrovmImage({ imageIdentifier: image.imageArn, ...imageRequest("x") })).toThrow(LocalServiceError);
    expect(() => service.deleteMicrovmImage({ imageIdentifier: image.imageArn })).toThrow(/CREATING/);
    expect(() => service.runMicrovm({ imageIdentifier: image.imageArn })).toThrow(/no SUCCESSFUL and ACTIVE version/);
    advance(1000);
    expect(version()).toBe("IN_PROGRESS");
    advance(1000);
    expect(version()).toBe("SUCCESSFUL");
    expect(service.getMicrovmImage({ imageIdentifier: image.imageArn }).state).toBe("CREATED");
    service.updateMicrovmImage({ imageIdentifier: image.imageArn, ...imageRequest("x", "s3://b/v2.zip?outcome=fail") });
    expect(service.getMicrovmImage({ imageIdentifier: image.imageArn }).state).toBe("UPDATING");
    advance(2000);
    expect(service.getMicrovmImage({ imageIdentifier: image.imageArn }).state).toBe("UPDATE_FAILED");
    expect(service.deleteMicrovmImage({ imageIdentifier: image.imageArn }).state).toBe("DELETING");
    expect(service.getMicrovmImage({ imageIdentifier: image.imageArn }).state).toBe("DELETING");
    advance(1000);
    expect(() => service.getMicrovmImage({ imageIdentifier: image.imageArn })).toThrow(/does not exist/);
  });

  it("walks a MicroVM PENDING → RUNNING → SUSPENDING → SUSPENDED → RUNNING → TERMINATING → TERMINATED", () => {
    const { service, advance } = manualService();
    const image = service.createMicrovmImage(imageRequest("vm-clock"));
    advance(2000);
    const vm = service.runMicrovm({ imageIdentifier: image.imageArn });
    const id = { microvmIdentifier: vm.microvmId };
    const seen = [service.getMicrovm(id).state];
    expect(() => service.suspendMicrovm(id)).toThrow(/PENDING/);
    advance(1000);
    seen.push(service.getMicrovm(id).state);
    service.suspendMicrovm(id);
    seen.push(service.getMicrovm(id).state);
    expect(() => service.resumeMicrovm(id)).toThrow(/SUSPENDING/);
    advance(1000);
    seen.push(service.getMicrovm(id).state);
    service.resumeMicrovm(id);
    service.resumeMicrovm(id); // already resuming: no change
    advance(1000);
    seen.push(service.getMicrovm(id).state);
    service.terminateMicrovm(id);
    seen.push(service.getMicrovm(id).state);
    advance(1000);
    seen.push(service.getMicrovm(id).state);
    expect(seen).toEqual(["PENDING", "RUNNING", "SUSPENDING", "SUSPENDED", "RUNNING", "TERMINATING", "TERMINATED"]);
    expect(service.counts().microvmsByState).toEqual({ TERMINATED: 1 });
  });

  it("terminates at the maximum duration and applies the idle policy", () => {
    const { service, advance } = manualService(0);
    const image = service.createMicrovmImage(imageRequest("auto"));
    const short = service.runMicrovm({ imageIdentifier: image.imageArn, maximumDurationInSeconds: 60 });
    const idle = service.runMicrovm({ imageIdentifier: image.imageArn, idlePolicy: { maxIdleDurationSeconds: 120, suspendedDurationSeconds: 300, autoResumeEnabled: false } });
    advance(61_000);
    const ended = service.getMicrovm({ microvmIdentifier: short.microvmId });
    expect(ended.state).toBe("TERMINATED");
    expect(ended.stateReason).toMatch(/maximum duration/);
    expect(ended.terminatedAt!.getTime() - ended.startedAt.getTime()).toBe(60_000);
    expect(service.getMicrovm({ microvmIdentifier: idle.microvmId }).state).toBe("RUNNING");
    advance(60_000);
    expect(service.getMicrovm({ microvmIdentifier: idle.microvmId })).toMatchObject({ state: "SUSPENDED", stateReason: expect.stringMatching(/idle/) });
    advance(300_000);
    expect(service.getMicrovm({ microvmIdentifier: idle.microvmId }).state).toBe("TERMINATED");
  });
});

/**
 * The states polled must follow the expected order and end in its last state. A loaded machine
 * may poll too late to see a short intermediate state, so skipping one is allowed.
 */
function expectInOrder(seen: string[], order: string[]): void {
  expect(seen.at(-1)).toBe(order.at(-1));
  const positions = seen.map((state) => order.indexOf(state));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
}

describe("visible transitions over HTTP", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ transitionMs: 60 }, { maxAttempts: 1 });
  });
  afterAll(() => fx.close());

  it("shows states changing in order with real time", async () => {
    const created = await createImage(fx.client);
    const image = await pollUntil(
      () => fx.client.send(new GetMicrovmImageCommand({ imageIdentifier: created.imageArn })),
      (i) => i.state === "CREATED",
      (i) => i.state,
    );
    expectInOrder(image.seen, ["CREATING", "CREATED"]);
    const version = await fx.client.send(new GetMicrovmImageVersionCommand({ imageIdentifier: created.imageArn, imageVersion: "1" }));
    expect(version.state).toBe("SUCCESSFUL");

    const vm = await fx.client.send(new RunMicrovmCommand({ imageIdentifier: created.imageArn }));
    const get = () => fx.client.send(new GetMicrovmCommand({ microvmIdentifier: vm.microvmId }));
    const running = await pollUntil(get, (v) => v.state === "RUNNING", (v) => v.state);
    expectInOrder(running.seen, ["PENDING", "RUNNING"]);
    await fx.client.send(new SuspendMicrovmCommand({ microvmIdentifier: vm.microvmId }));
    const suspended = await pollUntil(get, (v) => v.state === "SUSPENDED", (v) => v.state);
    expectInOrder(suspended.seen, ["SUSPENDING", "SUSPENDED"]);
    await fx.client.send(new ResumeMicrovmCommand({ microvmIdentifier: vm.microvmId }));
    await pollUntil(get, (v) => v.state === "RUNNING", (v) => v.state);
    await fx.client.send(new TerminateMicrovmCommand({ microvmIdentifier: vm.microvmId }));
    const terminated = await pollUntil(get, (v) => v.state === "TERMINATED", (v) => v.state);
    expectInOrder(terminated.seen, ["TERMINATING", "TERMINATED"]);
  });
});

describe("reset", () => {
  it("forgets everything but the managed catalogue", () => {
    const { service } = manualService(0);
    const image = service.createMicrovmImage({ ...imageRequest("to-forget"), clientToken: "t" });
    service.runMicrovm({ imageIdentifier: image.imageArn });
    expect(service.counts()).toMatchObject({ images: 1, microvms: 1, idempotencyRecords: 1 });
    service.reset();
    expect(service.counts()).toEqual({ images: 0, versions: 0, builds: 0, microvms: 0, microvmsByState: {}, idempotencyRecords: 0 });
    expect(service.listManagedMicrovmImages({}).items.length).toBeGreaterThan(0);
    expect(service.createMicrovmImage({ ...imageRequest("to-forget"), clientToken: "t" }).imageArn).not.toBe(image.imageArn);
  });
});
