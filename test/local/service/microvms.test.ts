import { describe, expect, it } from "vitest";
import { imageRequest, manualService, START, thrown } from "./helpers";

const T = 1000;
const at = (ms: number) => new Date(START + ms);

/** A service with a built image; MicroVMs run from it once `advance` has moved past the build. */
function withImage(transitionMs = T, settings = {}) {
  const fx = manualService(transitionMs, settings);
  const { imageArn } = fx.service.createMicrovmImage(imageRequest("base"));
  fx.advance(2 * transitionMs);
  const imageId = imageArn.split(":").at(-1)!;
  const run = (extra: Record<string, unknown> = {}) => fx.service.runMicrovm({ imageIdentifier: imageArn, ...extra });
  const get = (microvmIdentifier: string) => fx.service.getMicrovm({ microvmIdentifier });
  return { ...fx, imageArn, imageId, run, get, started: 2 * transitionMs };
}

describe("running a MicroVM", () => {
  it("answers PENDING with what it was given and the defaults, then becomes RUNNING one transition later", () => {
    const { run, get, advance, imageArn, started } = withImage();
    const vm = run();
    expect(vm).toStrictEqual({
      microvmId: expect.stringMatching(/^mvm-[0-9a-f]{16}$/),
      state: "PENDING",
      endpoint: `https://${vm.microvmId}.microvm.lambda.us-east-1.on.aws`,
      imageArn,
      imageVersion: "1",
      maximumDurationInSeconds: 28_800,
      startedAt: at(started),
      ingressNetworkConnectors: [],
      egressNetworkConnectors: [],
    });
    // Strict: no role, idle policy or reason was given or reached, so none is shown, not even as undefined.
    expect(get(vm.microvmId)).toStrictEqual(vm);
    advance(T - 1);
    expect(get(vm.microvmId).state).toBe("PENDING");
    advance(1);
    expect(get(vm.microvmId)).toStrictEqual({ ...vm, state: "RUNNING" });
  });

  it("keeps its role, idle policy and connectors as copies", () => {
    const { run, get } = withImage(0);
    const idlePolicy = { maxIdleDurationSeconds: 600, suspendedDurationSeconds: 60, autoResumeEnabled: true };
    const ingress = ["SHELL_INGRESS"];
    const vm = run({ executionRoleArn: "arn:aws:iam::123456789012:role/exec", idlePolicy, ingressNetworkConnectors: ingress, egressNetworkConnectors: ["e"], logging: { logGroup: "g" } });
    idlePolicy.maxIdleDurationSeconds = 1;
    ingress.push("other");
    expect(get(vm.microvmId)).toMatchObject({
      executionRoleArn: "arn:aws:iam::123456789012:role/exec",
      idlePolicy: { maxIdleDurationSeconds: 600, suspendedDurationSeconds: 60, autoResumeEnabled: true },
      ingressNetworkConnectors: ["SHELL_INGRESS"],
      egressNetworkConnectors: ["e"],
    });
  });

  it("runs a named version, or the newest SUCCESSFUL, ACTIVE one", () => {
    const { service, run, imageArn, advance } = withImage();
    service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("base") });
    expect(run().imageVersion).toBe("1");
    advance(2 * T);
    expect(run().imageVersion).toBe("2");
    expect(run({ imageVersion: "1" }).imageVersion).toBe("1");
  });

  it("refuses a version that is not SUCCESSFUL and ACTIVE, saying why", () => {
    const { service, run, imageArn, imageId, advance } = withImage();
    service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("base") });
    const refused = (version: string, why: string) => ({
      code: "ConflictException",
      message: `Version ${version} of image ${imageId} is ${why}; only a SUCCESSFUL, ACTIVE version can run.`,
      members: { resourceType: "MicrovmImageVersion", resourceId: version },
    });
    expect(thrown(() => run({ imageVersion: "2" }))).toMatchObject(refused("2", "in state PENDING"));
    advance(T);
    expect(thrown(() => run({ imageVersion: "2" }))).toMatchObject(refused("2", "in state IN_PROGRESS"));
    advance(T);
    service.updateMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "2", status: "INACTIVE" });
    expect(thrown(() => run({ imageVersion: "2" }))).toMatchObject(refused("2", "INACTIVE"));
    service.deleteMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "2" });
    expect(thrown(() => run({ imageVersion: "2" }))).toMatchObject(refused("2", "being deleted"));
    expect(service.counts().microvms).toBe(0);
  });

  it("refuses an image with nothing to run", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("f", { codeArtifact: { uri: "s3://b/a.zip?outcome=fail" } }));
    const id = imageArn.split(":").at(-1)!;
    expect(thrown(() => service.runMicrovm({ imageIdentifier: imageArn }))).toMatchObject({
      code: "ConflictException",
      message: `Image ${id} has no SUCCESSFUL and ACTIVE version to run yet.`,
      members: { resourceType: "MicrovmImage", resourceId: id },
    });
  });
});

describe("suspending, resuming and terminating", () => {
  it("walks RUNNING → SUSPENDING → SUSPENDED → RUNNING → TERMINATING → TERMINATED, one transition a step", () => {
    const { service, run, get, advance, started } = withImage();
    const id = run().microvmId;
    const ref = { microvmIdentifier: id };
    advance(T);
    expect(service.suspendMicrovm(ref)).toEqual({});
    expect(get(id).state).toBe("SUSPENDING");
    service.suspendMicrovm(ref); // already suspending: nothing changes
    advance(T - 1);
    expect(get(id).state).toBe("SUSPENDING");
    advance(1);
    expect(get(id).state).toBe("SUSPENDED");
    service.suspendMicrovm(ref);
    expect(service.resumeMicrovm(ref)).toEqual({});
    advance(T - 1);
    expect(get(id).state).toBe("SUSPENDED");
    advance(1);
    expect(get(id).state).toBe("RUNNING");
    expect(service.terminateMicrovm(ref)).toEqual({});
    expect(get(id).state).toBe("TERMINATING");
    service.terminateMicrovm(ref);
    advance(T - 1);
    expect(get(id).state).toBe("TERMINATING");
    advance(1);
    const ended = get(id);
    expect(ended).toMatchObject({ state: "TERMINATED", terminatedAt: at(started + 4 * T) });
    expect(ended.stateReason).toBeUndefined();
    service.terminateMicrovm(ref);
    expect(get(id).terminatedAt).toEqual(at(started + 4 * T));
  });

  it("refuses transitions from states that do not allow them, naming both", () => {
    const { service, run, advance } = withImage();
    const id = run().microvmId;
    const ref = { microvmIdentifier: id };
    const refused = (state: string, verb: string, needed: string) => ({
      code: "ConflictException",
      message: `MicroVM ${id} is ${state}; it can be ${verb} only when ${needed}.`,
      members: { resourceType: "Microvm", resourceId: id },
    });
    expect(thrown(() => service.suspendMicrovm(ref))).toMatchObject(refused("PENDING", "suspended", "RUNNING"));
    expect(thrown(() => service.resumeMicrovm(ref))).toMatchObject(refused("PENDING", "resumed", "SUSPENDED"));
    advance(T);
    service.resumeMicrovm(ref); // RUNNING: nothing to do
    service.suspendMicrovm(ref);
    expect(thrown(() => service.resumeMicrovm(ref))).toMatchObject(refused("SUSPENDING", "resumed", "SUSPENDED"));
    advance(T);
    service.resumeMicrovm(ref);
    expect(thrown(() => service.suspendMicrovm(ref))).toMatchObject({
      code: "ConflictException",
      message: `MicroVM ${id} is being resumed; it can be suspended once it is RUNNING.`,
      members: { resourceType: "Microvm", resourceId: id },
    });
    advance(T / 2);
    service.resumeMicrovm(ref); // a second resume changes nothing: still RUNNING one transition after the first
    advance(T / 2);
    expect(service.getMicrovm(ref).state).toBe("RUNNING");
    service.terminateMicrovm(ref);
    advance(T / 2);
    service.terminateMicrovm(ref); // nor does a second terminate
    advance(T / 2);
    expect(service.getMicrovm(ref).state).toBe("TERMINATED");
    expect(thrown(() => service.resumeMicrovm(ref))).toMatchObject(refused("TERMINATED", "resumed", "SUSPENDED"));
    expect(thrown(() => service.suspendMicrovm(ref))).toMatchObject(refused("TERMINATED", "suspended", "RUNNING"));
  });

  it("terminates a PENDING MicroVM", () => {
    const { service, run, get, advance } = withImage();
    const id = run().microvmId;
    service.terminateMicrovm({ microvmIdentifier: id });
    expect(get(id).state).toBe("TERMINATING");
    advance(T);
    expect(get(id).state).toBe("TERMINATED");
  });

  it("404s an unknown MicroVM for every operation on one", () => {
    const { service } = withImage(0);
    const ref = { microvmIdentifier: "mvm-nope" };
    for (const call of [
      () => service.getMicrovm(ref),
      () => service.suspendMicrovm(ref),
      () => service.resumeMicrovm(ref),
      () => service.terminateMicrovm(ref),
      () => service.createMicrovmShellAuthToken({ ...ref, expirationInMinutes: 5 }),
      () => service.createMicrovmAuthToken({ ...ref, expirationInMinutes: 5, allowedPorts: [] }),
    ]) {
      expect(thrown(call)).toMatchObject({ code: "ResourceNotFoundException", message: "Microvm mvm-nope does not exist.", members: { resourceType: "Microvm", resourceId: "mvm-nope" } });
    }
  });
});

describe("automatic transitions", () => {
  it("terminates at the maximum duration, counted from the start, with the reason", () => {
    const { run, get, advance, started } = withImage();
    const id = run({ maximumDurationInSeconds: 60 }).microvmId;
    advance(60_000 - 1);
    expect(get(id).state).toBe("RUNNING");
    advance(1);
    expect(get(id)).toMatchObject({ state: "TERMINATED", stateReason: "The MicroVM reached its maximum duration.", terminatedAt: at(started + 60_000) });
  });

  it("terminates a suspended MicroVM at the maximum duration too", () => {
    const { service, run, get, advance, started } = withImage();
    const id = run({ maximumDurationInSeconds: 10 }).microvmId;
    advance(T);
    service.suspendMicrovm({ microvmIdentifier: id });
    advance(9_000);
    expect(get(id)).toMatchObject({ state: "TERMINATED", terminatedAt: at(started + 10_000) });
  });

  it("suspends after the idle time counted from RUNNING, then terminates after the suspended time", () => {
    const { run, get, advance, started } = withImage();
    const id = run({ idlePolicy: { maxIdleDurationSeconds: 120, suspendedDurationSeconds: 300, autoResumeEnabled: false } }).microvmId;
    advance(T + 120_000 - 1);
    expect(get(id).state).toBe("RUNNING");
    advance(1);
    expect(get(id)).toMatchObject({ state: "SUSPENDED", stateReason: "The MicroVM was idle for longer than its idle policy allows." });
    advance(300_000 - 1);
    expect(get(id).state).toBe("SUSPENDED");
    advance(1);
    expect(get(id)).toMatchObject({
      state: "TERMINATED",
      stateReason: "The MicroVM stayed suspended for longer than its idle policy allows.",
      terminatedAt: at(started + T + 420_000),
    });
  });

  it("takes the maximum duration when the idle time ends at the same moment", () => {
    const { run, get, advance } = withImage();
    // RUNNING after one transition (1 s), idle 60 s later: exactly at the 61 s maximum.
    const id = run({ maximumDurationInSeconds: 61, idlePolicy: { maxIdleDurationSeconds: 60, suspendedDurationSeconds: 300, autoResumeEnabled: false } }).microvmId;
    advance(61_000);
    expect(get(id)).toMatchObject({ state: "TERMINATED", stateReason: "The MicroVM reached its maximum duration." });
  });

  it("lets a transition already planned happen before an automatic one that falls due during it", () => {
    // The maximum duration (1 s) ends while the MicroVM is still starting (5 s): it starts, then ends.
    const { run, get, advance, started } = withImage(5_000);
    const id = run({ maximumDurationInSeconds: 1 }).microvmId;
    advance(5_000 - 1);
    expect(get(id).state).toBe("PENDING");
    advance(1);
    expect(get(id)).toMatchObject({ state: "TERMINATED", stateReason: "The MicroVM reached its maximum duration.", terminatedAt: at(started + 5_000) });
  });

  it("lets a resume accepted before the suspended time ends take effect, and counts idle time again from RUNNING", () => {
    const { service, run, get, advance } = withImage();
    const id = run({ idlePolicy: { maxIdleDurationSeconds: 60, suspendedDurationSeconds: 30, autoResumeEnabled: false } }).microvmId;
    advance(T + 60_000);
    expect(get(id).state).toBe("SUSPENDED");
    advance(29_500);
    service.resumeMicrovm({ microvmIdentifier: id });
    // Not read again until well after both the resume and the end of the suspended time.
    advance(5_000);
    expect(get(id)).toMatchObject({ state: "RUNNING" });
    expect(get(id).stateReason).toBeUndefined();
    advance(60_000 - 5_000 + 1_000 - 1);
    expect(get(id).state).toBe("RUNNING");
    advance(1);
    expect(get(id)).toMatchObject({ state: "SUSPENDED", stateReason: "The MicroVM was idle for longer than its idle policy allows." });
  });

  it("suspends on request without a reason, and the idle time then no longer applies", () => {
    const { service, run, get, advance } = withImage();
    const id = run({ idlePolicy: { maxIdleDurationSeconds: 60, suspendedDurationSeconds: 3600, autoResumeEnabled: false } }).microvmId;
    advance(T + 30_000);
    service.suspendMicrovm({ microvmIdentifier: id });
    advance(100_000);
    const vm = get(id);
    expect(vm.state).toBe("SUSPENDED");
    expect(vm.stateReason).toBeUndefined();
  });

  it("takes whichever comes first: the maximum duration before the idle time", () => {
    const { run, get, advance } = withImage();
    const id = run({ maximumDurationInSeconds: 60, idlePolicy: { maxIdleDurationSeconds: 120, suspendedDurationSeconds: 300, autoResumeEnabled: false } }).microvmId;
    advance(120_000 + T);
    expect(get(id)).toMatchObject({ state: "TERMINATED", stateReason: "The MicroVM reached its maximum duration." });
  });

  it("counts the suspended time from a suspension on request too", () => {
    const { service, run, get, advance } = withImage();
    const id = run({ idlePolicy: { maxIdleDurationSeconds: 3600, suspendedDurationSeconds: 30, autoResumeEnabled: false } }).microvmId;
    advance(T);
    service.suspendMicrovm({ microvmIdentifier: id });
    advance(T + 30_000 - 1);
    expect(get(id).state).toBe("SUSPENDED");
    advance(1);
    expect(get(id).stateReason).toMatch(/stayed suspended/);
  });

  it("does not apply an idle policy while PENDING or SUSPENDING", () => {
    const { service, run, get, advance } = withImage(60_000);
    const id = run({ idlePolicy: { maxIdleDurationSeconds: 1, suspendedDurationSeconds: 1, autoResumeEnabled: false } }).microvmId;
    advance(59_000);
    expect(get(id).state).toBe("PENDING");
    advance(1_000);
    service.suspendMicrovm({ microvmIdentifier: id });
    advance(59_000);
    expect(get(id).state).toBe("SUSPENDING");
    advance(1_000);
    expect(get(id).state).toBe("SUSPENDED");
    advance(1_000);
    expect(get(id).state).toBe("TERMINATED");
  });
});

describe("listing MicroVMs", () => {
  it("lists in the order run, as items, filtered by image and by version, and pages", () => {
    const { service, run, advance, imageArn, started } = withImage(0);
    const other = service.createMicrovmImage(imageRequest("other")).imageArn;
    service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("base") });
    const a = run({ imageVersion: "1" }).microvmId;
    const b = service.runMicrovm({ imageIdentifier: other }).microvmId;
    const c = run().microvmId;
    advance(5);
    const ids = (input: Record<string, unknown>) => service.listMicrovms(input).items.map((vm) => vm.microvmId);
    expect(service.listMicrovms({})).toEqual({
      items: [
        { microvmId: a, state: "RUNNING", imageArn, imageVersion: "1", startedAt: at(started) },
        { microvmId: b, state: "RUNNING", imageArn: other, imageVersion: "1", startedAt: at(started) },
        { microvmId: c, state: "RUNNING", imageArn, imageVersion: "2", startedAt: at(started) },
      ],
    });
    expect(ids({ imageIdentifier: imageArn })).toEqual([a, c]);
    expect(ids({ imageIdentifier: "base" })).toEqual([a, c]);
    expect(ids({ imageIdentifier: imageArn, imageVersion: "2" })).toEqual([c]);
    expect(ids({ imageVersion: "1" })).toEqual([a, b]);
    const first = service.listMicrovms({ imageIdentifier: imageArn, maxResults: 1 });
    expect(first.items.map((vm) => vm.microvmId)).toEqual([a]);
    expect(ids({ imageIdentifier: imageArn, maxResults: 1, nextToken: first.nextToken })).toEqual([c]);
    for (const changed of [{}, { imageIdentifier: other }, { imageIdentifier: imageArn, imageVersion: "1" }]) {
      expect(thrown(() => service.listMicrovms({ ...changed, nextToken: first.nextToken })).code).toBe("ValidationException");
    }
    // Bound to the version's value too.
    const byVersion = service.listMicrovms({ imageVersion: "1", maxResults: 1 });
    expect(byVersion.nextToken).toBeDefined();
    expect(thrown(() => service.listMicrovms({ imageVersion: "2", nextToken: byVersion.nextToken })).code).toBe("ValidationException");
    // An image without MicroVMs lists none; an unknown one is a 404.
    const empty = service.createMicrovmImage(imageRequest("empty")).imageArn;
    expect(ids({ imageIdentifier: empty })).toEqual([]);
    expect(thrown(() => service.listMicrovms({ imageIdentifier: "mvi-nope" })).code).toBe("ResourceNotFoundException");
  });

  it("shows the states the MicroVMs have reached on their own", () => {
    const { service, run, advance } = withImage();
    run({ maximumDurationInSeconds: 1 });
    advance(1_000);
    expect(service.listMicrovms({}).items.map((vm) => vm.state)).toEqual(["TERMINATED"]);
    expect(service.microvms().map((vm) => vm.stateReason)).toEqual(["The MicroVM reached its maximum duration."]);
    expect(service.counts().microvmsByState).toEqual({ TERMINATED: 1 });
  });
});

describe("retention of MicroVMs", () => {
  it("forgets a TERMINATED MicroVM when the retention period has passed, not before", () => {
    const { service, run, get, advance } = withImage(T, { retentionMs: 60_000 });
    const keep = run().microvmId;
    const id = run().microvmId;
    service.terminateMicrovm({ microvmIdentifier: id });
    advance(T + 60_000 - 1);
    expect(get(id).state).toBe("TERMINATED");
    expect(service.counts()).toMatchObject({ microvms: 2, microvmsByState: { RUNNING: 1, TERMINATED: 1 } });
    advance(1);
    expect(thrown(() => get(id)).code).toBe("ResourceNotFoundException");
    expect(service.listMicrovms({}).items.map((vm) => vm.microvmId)).toEqual([keep]);
    expect(service.counts()).toMatchObject({ microvms: 1, microvmsByState: { RUNNING: 1 } });
  });

  it("forgets MicroVMs that end on their own, in the order they end, whether or not they are read", () => {
    const { service, run, advance, imageArn } = withImage(0, { retentionMs: 60_000 });
    const late = run({ maximumDurationInSeconds: 300 }).microvmId;
    run({ maximumDurationInSeconds: 100 });
    run({ maximumDurationInSeconds: 200 });
    run({ idlePolicy: { maxIdleDurationSeconds: 10, suspendedDurationSeconds: 10, autoResumeEnabled: false } });
    run({ maximumDurationInSeconds: 150 });
    advance(20_000 + 60_000 - 1);
    expect(service.counts().microvms).toBe(5);
    advance(1);
    expect(service.counts().microvms).toBe(4);
    advance(100_000 + 60_000 - 80_000 - 1);
    expect(service.counts().microvms).toBe(4);
    advance(1);
    expect(service.counts().microvms).toBe(3);
    advance(50_000);
    expect(service.counts().microvms).toBe(2);
    advance(50_000);
    expect(service.listMicrovms({ imageIdentifier: imageArn }).items.map((vm) => vm.microvmId)).toEqual([late]);
    advance(100_000);
    expect(service.counts().microvms).toBe(0);
    // With every MicroVM forgotten the image can go.
    expect(service.listMicrovms({ imageIdentifier: imageArn }).items).toEqual([]);
    expect(service.deleteMicrovmImage({ imageIdentifier: imageArn }).state).toBe("DELETING");
  });

  it("keeps a MicroVM that is not TERMINATED however long it has been in its state", () => {
    const { service, run, get, advance } = withImage(T, { retentionMs: 60_000 });
    const id = run().microvmId;
    // Nothing reads the service until long after it started RUNNING.
    advance(10 * 60_000);
    expect(get(id).state).toBe("RUNNING");
    expect(service.counts().microvms).toBe(1);
  });

  it("keeps a MicroVM whose termination was replaced by nothing: a running one lives to its maximum duration", () => {
    const { service, run, advance } = withImage(0, { retentionMs: 60_000 });
    run({ maximumDurationInSeconds: 28_800 });
    advance(28_800_000 - 1);
    expect(service.counts().microvmsByState).toEqual({ RUNNING: 1 });
    advance(1);
    expect(service.counts().microvmsByState).toEqual({ TERMINATED: 1 });
    advance(60_000);
    expect(service.counts().microvms).toBe(0);
  });
});

describe("auth tokens", () => {
  it("issues a proxy token for a RUNNING MicroVM, valid for the minutes asked", () => {
    const { service, run, advance, started } = withImage();
    const id = run().microvmId;
    advance(T);
    const { authToken } = service.createMicrovmAuthToken({ microvmIdentifier: id, expirationInMinutes: 60, allowedPorts: [{ port: 80 }, { range: { startPort: 9, endPort: 9 } }] });
    expect(authToken).toEqual({ "X-aws-proxy-auth": expect.stringMatching(new RegExp(`^lmv1\\.${id}\\.[A-Za-z0-9_-]{32}$`)), expiresAt: at(started + T + 3_600_000).toISOString() });
    const again = service.createMicrovmAuthToken({ microvmIdentifier: id, expirationInMinutes: 1, allowedPorts: [] }).authToken;
    expect(again["X-aws-proxy-auth"]).not.toBe(authToken["X-aws-proxy-auth"]);
  });

  it("refuses more than 60 minutes and a port range that runs backwards, naming the member", () => {
    const { service, run, advance } = withImage();
    const id = run().microvmId;
    advance(T);
    expect(thrown(() => service.createMicrovmAuthToken({ microvmIdentifier: id, expirationInMinutes: 61, allowedPorts: [] }))).toMatchObject({
      code: "ValidationException",
      message: "expirationInMinutes: must be at most 60",
    });
    expect(thrown(() => service.createMicrovmShellAuthToken({ microvmIdentifier: id, expirationInMinutes: 61 })).message).toBe("expirationInMinutes: must be at most 60");
    const ports = [{ port: 1 }, { range: { startPort: 10, endPort: 9 } }];
    expect(thrown(() => service.createMicrovmAuthToken({ microvmIdentifier: id, expirationInMinutes: 5, allowedPorts: ports }))).toMatchObject({
      code: "ValidationException",
      message: "allowedPorts[1].range: startPort must not be greater than endPort",
    });
  });

  it("issues tokens only for RUNNING MicroVMs, or suspended ones that resume on traffic", () => {
    const { service, run, advance } = withImage();
    const plain = run().microvmId;
    const auto = run({ idlePolicy: { maxIdleDurationSeconds: 3600, suspendedDurationSeconds: 3600, autoResumeEnabled: true } }).microvmId;
    const token = (microvmIdentifier: string) => () => service.createMicrovmAuthToken({ microvmIdentifier, expirationInMinutes: 5, allowedPorts: [] });
    expect(thrown(token(plain))).toMatchObject({
      code: "ConflictException",
      message: `MicroVM ${plain} is PENDING; tokens are issued for RUNNING MicroVMs.`,
      members: { resourceType: "Microvm", resourceId: plain },
    });
    expect(thrown(token(auto)).message).toMatch(/is PENDING/);
    advance(T);
    for (const id of [plain, auto]) service.suspendMicrovm({ microvmIdentifier: id });
    expect(thrown(token(plain)).message).toMatch(/is SUSPENDING/);
    expect(token(auto)().authToken.expiresAt).toBeDefined();
    advance(T);
    expect(thrown(token(plain)).message).toMatch(/is SUSPENDED/);
    expect(token(auto)().authToken.expiresAt).toBeDefined();
    service.terminateMicrovm({ microvmIdentifier: auto });
    expect(thrown(token(auto)).message).toMatch(/is TERMINATING/);
  });

  it("issues shell tokens only to MicroVMs run with the shell connector, by name or ARN", () => {
    const { service, run, advance, started } = withImage();
    const shell = (ingressNetworkConnectors: string[]) => run({ ingressNetworkConnectors }).microvmId;
    const ids = [
      shell(["SHELL_INGRESS"]),
      shell(["other", "arn:aws:lambda:us-east-1:123456789012:network-connector:SHELL_INGRESS"]),
      shell(["arn:aws:lambda:us-east-1:123456789012:network-connector/SHELL_INGRESS"]),
    ];
    const refused = [shell([]), shell(["SHELL_INGRESS_2"]), shell(["MY_SHELL_INGRESS"]), shell(["SHELL_INGRESS:x"])];
    advance(T);
    for (const id of ids) {
      const { authToken } = service.createMicrovmShellAuthToken({ microvmIdentifier: id, expirationInMinutes: 5 });
      expect(authToken).toEqual({ "X-aws-proxy-shell-auth": expect.stringMatching(new RegExp(`^lmv1\\.${id}\\.`)), expiresAt: at(started + T + 300_000).toISOString() });
    }
    for (const id of refused) {
      expect(thrown(() => service.createMicrovmShellAuthToken({ microvmIdentifier: id, expirationInMinutes: 5 }))).toMatchObject({
        code: "ConflictException",
        message: `MicroVM ${id} was not run with the SHELL_INGRESS ingress network connector, so it takes no shell sessions.`,
        members: { resourceType: "Microvm", resourceId: id },
      });
    }
    service.suspendMicrovm({ microvmIdentifier: ids[0]! });
    expect(thrown(() => service.createMicrovmShellAuthToken({ microvmIdentifier: ids[0]!, expirationInMinutes: 5 })).message).toMatch(/is SUSPENDING/);
  });
});
