import { describe, expect, it } from "vitest";
import { LocalService } from "../../../src/local/index";
import { imageRequest, manualService, thrown } from "./helpers";

/** A service with a built image, on a clock that stands still unless moved. */
function withImage(retentionMs = 60_000) {
  const fx = manualService(0, { retentionMs });
  const { imageArn } = fx.service.createMicrovmImage(imageRequest("base"));
  const run = (extra: Record<string, unknown>) => fx.service.runMicrovm({ imageIdentifier: imageArn, ...extra });
  return { ...fx, imageArn, run };
}

describe("client tokens", () => {
  it("give a retry the first answer, as it was, without doing the work again", () => {
    const { service, run, advance } = withImage();
    const first = run({ clientToken: "t" });
    advance(5);
    const retry = run({ clientToken: "t" });
    expect(retry).toEqual(first);
    expect(retry.state).toBe("PENDING");
    expect(service.counts()).toMatchObject({ microvms: 1, idempotencyRecords: 1 });
    // Without a token every call does the work.
    run({});
    run({});
    expect(service.counts()).toMatchObject({ microvms: 3, idempotencyRecords: 1 });
  });

  it("refuse the same token with other input, naming the operation", () => {
    const { run } = withImage();
    run({ clientToken: "t", ingressNetworkConnectors: ["a", "b"] });
    for (const other of [{ maximumDurationInSeconds: 60 }, { ingressNetworkConnectors: ["b", "a"] }, { ingressNetworkConnectors: ["a"] }, { ingressNetworkConnectors: ["a", "b"], idlePolicy: { maxIdleDurationSeconds: 1, suspendedDurationSeconds: 1, autoResumeEnabled: false } }]) {
      const input = { ingressNetworkConnectors: ["a", "b"], ...other, clientToken: "t" };
      expect(thrown(() => run(input))).toMatchObject({
        code: "ConflictException",
        message: "The clientToken was already used for a RunMicrovm request with different parameters.",
      });
    }
  });

  it("compare inputs by value: member order and members left undefined do not matter", () => {
    const { service } = manualService(0);
    const first = service.createMicrovmImage(imageRequest("same", { clientToken: "t", tags: { a: "1", b: "2" }, environmentVariables: { X: "1", Y: "2" } }));
    const reordered = {
      clientToken: "t",
      environmentVariables: { Y: "2", X: "1" },
      tags: { b: "2", a: "1" },
      description: undefined,
      codeArtifact: { uri: "s3://b/app.zip" },
      buildRoleArn: imageRequest("same").buildRoleArn,
      baseImageArn: imageRequest("same").baseImageArn,
      name: "same",
    };
    expect(service.createMicrovmImage(reordered).imageArn).toBe(first.imageArn);
    expect(thrown(() => service.createMicrovmImage({ ...reordered, tags: { a: "1", b: "3" } })).code).toBe("ConflictException");
    expect(thrown(() => service.createMicrovmImage({ ...reordered, tags: { a: "1" } })).code).toBe("ConflictException");
    expect(thrown(() => service.createMicrovmImage({ ...reordered, description: "now set" }))).toMatchObject({
      code: "ConflictException",
      message: "The clientToken was already used for a CreateMicrovmImage request with different parameters.",
    });
    expect(service.counts().images).toBe(1);
  });

  it("are kept per operation: one token may serve a create, an update and a run", () => {
    const { service, imageArn } = withImage();
    const created = service.createMicrovmImage(imageRequest("other", { clientToken: "shared" }));
    const updated = service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("base"), clientToken: "shared" });
    expect(updated.imageVersion).toBe("2");
    const vm = service.runMicrovm({ imageIdentifier: created.imageArn, clientToken: "shared" });
    expect(vm.imageArn).toBe(created.imageArn);
    expect(service.counts()).toMatchObject({ images: 2, versions: 3, microvms: 1, idempotencyRecords: 3 });
    // And each retry gets its own operation's answer back.
    expect(service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("base"), clientToken: "shared" }).imageVersion).toBe("2");
    expect(service.counts().versions).toBe(3);
    expect(thrown(() => service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("base"), description: "d", clientToken: "shared" })).message).toBe(
      "The clientToken was already used for a UpdateMicrovmImage request with different parameters.",
    );
  });

  it("compare every member but the token itself, such as a variable that happens to be named clientToken", () => {
    const { service } = manualService(0);
    service.createMicrovmImage(imageRequest("vars", { clientToken: "t", environmentVariables: { clientToken: "a" } }));
    const retry = () => service.createMicrovmImage(imageRequest("vars", { clientToken: "t", environmentVariables: { clientToken: "b" } }));
    expect(thrown(retry).code).toBe("ConflictException");
  });

  it("are not spent by a call that fails: the retry does the work", () => {
    const { service } = manualService(0);
    const bad = imageRequest("late", { clientToken: "t", baseImageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:nope" });
    expect(thrown(() => service.createMicrovmImage(bad)).code).toBe("ResourceNotFoundException");
    expect(service.counts().idempotencyRecords).toBe(0);
    expect(service.createMicrovmImage(imageRequest("late", { clientToken: "t" })).name).toBe("late");
  });

  it("last for the retention period: at its end a retry is a new call", () => {
    const { service, run, advance } = withImage(60_000);
    const first = run({ clientToken: "a" });
    advance(30_000);
    const second = run({ clientToken: "b" });
    advance(30_000 - 1);
    expect(run({ clientToken: "a" }).microvmId).toBe(first.microvmId);
    expect(service.counts().idempotencyRecords).toBe(2);
    advance(1);
    // The first has expired; the second, made later, lasts 30 s more.
    expect(service.counts().idempotencyRecords).toBe(1);
    const again = run({ clientToken: "a", maximumDurationInSeconds: 60 });
    expect(again.microvmId).not.toBe(first.microvmId);
    expect(run({ clientToken: "b" }).microvmId).toBe(second.microvmId);
    advance(30_000);
    expect(service.counts().idempotencyRecords).toBe(1);
    expect(run({ clientToken: "b" }).microvmId).not.toBe(second.microvmId);
  });

  it("expire at the retry itself when the record runs out between the sweep and the lookup", () => {
    // A clock that moves 1 ms at every read once set going: the sweep that starts the call reads
    // the last moment the record is valid, the lookup after it the first moment it is not.
    let now = Date.UTC(2026, 0, 1);
    let tick = 0;
    const service = new LocalService({ region: "us-east-1", accountId: "123456789012", transitionMs: 0, retentionMs: 60_000, now: () => (now += tick) - tick });
    const { imageArn } = service.createMicrovmImage(imageRequest("base"));
    const first = service.runMicrovm({ imageIdentifier: imageArn, clientToken: "t" });
    now += 60_000 - 1;
    tick = 1;
    const retry = service.runMicrovm({ imageIdentifier: imageArn, clientToken: "t" });
    expect(retry.microvmId).not.toBe(first.microvmId);
  });
});
