import { describe, expect, it } from "vitest";
import { LocalService } from "../../../src/local/index";
import type { OperationName } from "../../../src/protocol/schema.generated";
import { imageRequest, manualService, thrown } from "./helpers";

describe("invoke", () => {
  it("runs each of the 24 operations by its name", () => {
    const { service } = manualService(0);
    const call = (op: OperationName, input: Record<string, unknown>) => service.invoke(op, input) as Record<string, unknown>;
    const created = call("CreateMicrovmImage", imageRequest("by-name", { tags: { a: "1" } }));
    const imageArn = created.imageArn as string;
    const image = { imageIdentifier: imageArn };
    expect(service.getMicrovmImage(image).name).toBe("by-name");
    expect(call("UpdateMicrovmImage", { ...image, ...imageRequest("by-name") }).imageVersion).toBe("2");
    expect(call("GetMicrovmImage", image)).toEqual(service.getMicrovmImage(image));
    expect(call("ListMicrovmImages", {})).toEqual(service.listMicrovmImages({}));
    expect(call("GetMicrovmImageVersion", { ...image, imageVersion: "2" })).toEqual(service.getMicrovmImageVersion({ ...image, imageVersion: "2" }));
    expect(call("ListMicrovmImageVersions", image)).toEqual(service.listMicrovmImageVersions(image));
    const builds = call("ListMicrovmImageBuilds", { ...image, imageVersion: "1" });
    expect(builds).toEqual(service.listMicrovmImageBuilds({ ...image, imageVersion: "1" }));
    const buildId = (builds.items as { buildId: string }[])[0]!.buildId;
    expect(call("GetMicrovmImageBuild", { ...image, imageVersion: "1", buildId })).toEqual(service.getMicrovmImageBuild({ ...image, imageVersion: "1", buildId }));
    expect(call("UpdateMicrovmImageVersion", { ...image, imageVersion: "1", status: "INACTIVE" }).status).toBe("INACTIVE");
    expect(call("DeleteMicrovmImageVersion", { ...image, imageVersion: "1" }).state).toBe("DELETED");
    expect(call("ListManagedMicrovmImages", {})).toEqual(service.listManagedMicrovmImages({}));
    expect(call("ListManagedMicrovmImageVersions", { imageIdentifier: "al2023" })).toEqual(service.listManagedMicrovmImageVersions({ imageIdentifier: "al2023" }));
    expect(call("TagResource", { Resource: imageArn, Tags: { b: "2" } })).toEqual({});
    expect(call("UntagResource", { Resource: imageArn, TagKeys: ["a"] })).toEqual({});
    expect(call("ListTags", { Resource: imageArn })).toEqual({ Tags: { b: "2" } });

    const vm = call("RunMicrovm", { imageIdentifier: imageArn, ingressNetworkConnectors: ["SHELL_INGRESS"] });
    const id = { microvmIdentifier: vm.microvmId as string };
    expect(call("GetMicrovm", id)).toEqual(service.getMicrovm(id));
    expect(call("ListMicrovms", {})).toEqual(service.listMicrovms({}));
    expect((call("CreateMicrovmAuthToken", { ...id, expirationInMinutes: 5, allowedPorts: [] }).authToken as object)).toHaveProperty("X-aws-proxy-auth");
    expect((call("CreateMicrovmShellAuthToken", { ...id, expirationInMinutes: 5 }).authToken as object)).toHaveProperty("X-aws-proxy-shell-auth");
    expect(call("SuspendMicrovm", id)).toEqual({});
    expect(service.getMicrovm(id).state).toBe("SUSPENDED");
    expect(call("ResumeMicrovm", id)).toEqual({});
    expect(service.getMicrovm(id).state).toBe("RUNNING");
    expect(call("TerminateMicrovm", id)).toEqual({});
    expect(service.getMicrovm(id).state).toBe("TERMINATED");
    expect(call("DeleteMicrovmImage", image)).toEqual({ imageIdentifier: imageArn, state: "DELETING" });
    expect(thrown(() => service.getMicrovmImage(image)).code).toBe("ResourceNotFoundException");
  });
});

describe("views for tests", () => {
  it("count live images, their live versions and builds, MicroVMs per state and client tokens", () => {
    const { service, advance } = manualService(1000);
    expect(service.counts()).toEqual({ images: 0, versions: 0, builds: 0, microvms: 0, microvmsByState: {}, idempotencyRecords: 0 });
    const cpu = { architecture: "ARM_64" } as const;
    const a = service.createMicrovmImage(imageRequest("a", { cpuConfigurations: [cpu, cpu], clientToken: "t" })).imageArn;
    service.createMicrovmImage(imageRequest("b"));
    advance(2000);
    service.updateMicrovmImage({ imageIdentifier: a, ...imageRequest("a") });
    advance(2000);
    const vms = [1, 2, 3].map(() => service.runMicrovm({ imageIdentifier: a }).microvmId);
    advance(1000);
    service.suspendMicrovm({ microvmIdentifier: vms[0]! });
    service.runMicrovm({ imageIdentifier: a });
    expect(service.counts()).toEqual({ images: 2, versions: 3, builds: 4, microvms: 4, microvmsByState: { SUSPENDING: 1, RUNNING: 2, PENDING: 1 }, idempotencyRecords: 1 });
    service.deleteMicrovmImageVersion({ imageIdentifier: a, imageVersion: "1" });
    // DELETING still counts; DELETED does not.
    expect(service.counts()).toMatchObject({ versions: 3, builds: 4 });
    advance(1000);
    expect(service.counts()).toMatchObject({ images: 2, versions: 2, builds: 2 });
  });

  it("show images and MicroVMs as their reads do, as copies", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("seen", { tags: { a: "1" } }));
    const { microvmId } = service.runMicrovm({ imageIdentifier: imageArn, ingressNetworkConnectors: ["i"] });
    expect(service.images()).toEqual([service.getMicrovmImage({ imageIdentifier: imageArn })]);
    expect(service.microvms()).toEqual([service.getMicrovm({ microvmIdentifier: microvmId })]);
    service.images()[0]!.tags!.a = "changed";
    service.microvms()[0]!.ingressNetworkConnectors!.push("changed");
    expect(service.getMicrovmImage({ imageIdentifier: imageArn }).tags).toEqual({ a: "1" });
    expect(service.getMicrovm({ microvmIdentifier: microvmId }).ingressNetworkConnectors).toEqual(["i"]);
    expect(service.listTags({ Resource: imageArn }).Tags).toEqual({ a: "1" });
  });

  it("reset forgets what the service holds but keeps the catalogue and settings", () => {
    const { service, advance } = manualService(1000, { retentionMs: 5000 });
    service.createMicrovmImage(imageRequest("x", { clientToken: "t" }));
    service.reset();
    expect(service.counts()).toEqual({ images: 0, versions: 0, builds: 0, microvms: 0, microvmsByState: {}, idempotencyRecords: 0 });
    expect(service.listManagedMicrovmImages({}).items).toHaveLength(5);
    // The same clock and transition time as before.
    const { imageArn } = service.createMicrovmImage(imageRequest("x", { clientToken: "t" }));
    expect(service.getMicrovmImage({ imageIdentifier: imageArn }).state).toBe("CREATING");
    advance(2000);
    expect(service.getMicrovmImage({ imageIdentifier: imageArn }).state).toBe("CREATED");
    advance(5000);
    expect(service.counts().idempotencyRecords).toBe(0);
  });
});

describe("settings", () => {
  it("takes a negative transition time as 0", () => {
    const service = new LocalService({ region: "us-east-1", accountId: "123456789012", transitionMs: -5 });
    const { imageArn } = service.createMicrovmImage(imageRequest("neg"));
    expect(service.getMicrovmImage({ imageIdentifier: imageArn }).state).toBe("CREATED");
  });

  it("keeps what ended for at least a minute by default, and 3600 transitions when that is longer", () => {
    for (const [transitionMs, retention] of [
      [0, 60_000],
      [10, 60_000],
      [100, 360_000],
    ] as const) {
      const { service, advance } = manualService(transitionMs);
      const { imageArn } = service.createMicrovmImage(imageRequest("kept"));
      advance(2 * transitionMs);
      const { microvmId } = service.runMicrovm({ imageIdentifier: imageArn });
      service.terminateMicrovm({ microvmIdentifier: microvmId });
      advance(transitionMs + retention - 1);
      expect(service.getMicrovm({ microvmIdentifier: microvmId }).state).toBe("TERMINATED");
      advance(1);
      expect(service.counts().microvms).toBe(0);
    }
  });

  it("with a retention of 0, forgets what ends as soon as time moves on", () => {
    const { service, advance } = manualService(0, { retentionMs: 0 });
    const { imageArn } = service.createMicrovmImage(imageRequest("short"));
    const { microvmId } = service.runMicrovm({ imageIdentifier: imageArn });
    service.terminateMicrovm({ microvmIdentifier: microvmId });
    expect(service.getMicrovm({ microvmIdentifier: microvmId }).state).toBe("TERMINATED");
    advance(1);
    expect(thrown(() => service.getMicrovm({ microvmIdentifier: microvmId })).code).toBe("ResourceNotFoundException");
  });

  it("reads the real clock when given none", () => {
    const before = Date.now();
    const service = new LocalService({ region: "us-east-1", accountId: "123456789012", transitionMs: 0 });
    const { createdAt } = service.createMicrovmImage(imageRequest("real"));
    expect(createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(createdAt.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
