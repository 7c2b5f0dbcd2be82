import { describe, expect, it } from "vitest";
import { FAILURE_REASON } from "../../../src/local/index";
import { BASE_IMAGE, imageRequest, manualService, ROLE, START, thrown } from "./helpers";

const T = 1000;
const at = (ms: number) => new Date(START + ms);
const ARN = /^arn:aws:lambda:us-east-1:123456789012:microvm-image:mvi-[0-9a-f]{16}$/;

describe("creating an image", () => {
  it("answers with the request's settings, the new version and the state as accepted", () => {
    const { service } = manualService();
    const request = imageRequest("first", {
      description: "d",
      environmentVariables: { A: "1" },
      tags: { team: "a" },
      resources: [{ minimumMemoryInMiB: 2048 }],
      clientToken: "not-a-setting",
    });
    const created = service.createMicrovmImage(request);
    // Strict: a member the request left out is absent, not present as undefined.
    expect(created).toStrictEqual({
      baseImageArn: BASE_IMAGE,
      baseImageVersion: "2026.01.1",
      buildRoleArn: ROLE,
      codeArtifact: { uri: "s3://b/app.zip" },
      description: "d",
      environmentVariables: { A: "1" },
      resources: [{ minimumMemoryInMiB: 2048 }],
      imageArn: expect.stringMatching(ARN),
      name: "first",
      state: "CREATING",
      createdAt: at(0),
      updatedAt: at(0),
      imageVersion: "1",
      tags: { team: "a" },
    });
    expect(service.getMicrovmImage({ imageIdentifier: created.imageArn })).toStrictEqual({
      imageArn: created.imageArn,
      name: "first",
      state: "CREATING",
      createdAt: at(0),
      updatedAt: at(0),
      tags: { team: "a" },
    });
    // The record is a copy: changing the request afterwards changes nothing held.
    request.tags!.team = "b";
    request.environmentVariables!.A = "2";
    expect(service.getMicrovmImage({ imageIdentifier: created.imageArn }).tags).toEqual({ team: "a" });
    expect(service.getMicrovmImageVersion({ imageIdentifier: created.imageArn, imageVersion: "1" }).environmentVariables).toEqual({ A: "1" });
  });

  it("builds each version PENDING → IN_PROGRESS → SUCCESSFUL, one transition apart", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("steps"));
    const seen = () => [
      service.getMicrovmImage({ imageIdentifier: imageArn }).state,
      service.getMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1" }).state,
      service.listMicrovmImageBuilds({ imageIdentifier: imageArn, imageVersion: "1" }).items[0]!.buildState,
    ];
    expect(seen()).toEqual(["CREATING", "PENDING", "PENDING"]);
    advance(T - 1);
    expect(seen()).toEqual(["CREATING", "PENDING", "PENDING"]);
    advance(1);
    expect(seen()).toEqual(["CREATING", "IN_PROGRESS", "IN_PROGRESS"]);
    advance(T - 1);
    expect(seen()).toEqual(["CREATING", "IN_PROGRESS", "IN_PROGRESS"]);
    advance(1);
    expect(seen()).toEqual(["CREATED", "SUCCESSFUL", "SUCCESSFUL"]);
  });

  it("refuses a name that is taken, saying so", () => {
    const { service } = manualService();
    service.createMicrovmImage(imageRequest("taken"));
    const err = thrown(() => service.createMicrovmImage(imageRequest("taken")));
    expect(err.code).toBe("ConflictException");
    expect(err.message).toBe("An image named taken already exists.");
    expect(err.members).toEqual({ resourceType: "MicrovmImage", resourceId: "taken" });
    expect(service.counts().images).toBe(1);
  });

  it("takes up to 50 tags, and refuses more before making anything", () => {
    const { service } = manualService();
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    expect(Object.keys(service.createMicrovmImage(imageRequest("fifty", { tags: tags(50) })).tags!)).toHaveLength(50);
    const err = thrown(() => service.createMicrovmImage(imageRequest("many", { tags: tags(51) })));
    expect(err).toMatchObject({ code: "ValidationException", message: "tags: a resource can have at most 50 tags." });
    expect(service.counts().images).toBe(1);
    // Without tags the image has none.
    expect(service.createMicrovmImage(imageRequest("bare")).tags).toEqual({});
  });
});

describe("reading images", () => {
  it("finds an image by id, ARN or name, and 404s an ARN of another account with the same id", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("named"));
    const id = imageArn.split(":").at(-1)!;
    for (const imageIdentifier of [id, imageArn, "named"]) expect(service.getMicrovmImage({ imageIdentifier }).imageArn).toBe(imageArn);
    for (const imageIdentifier of [`named:microvm-image:${id}`, `x:microvm-image:${id}`]) {
      expect(thrown(() => service.getMicrovmImage({ imageIdentifier })).code).toBe("ResourceNotFoundException");
    }
    const elsewhere = imageArn.replace("123456789012", "210987654321");
    const err = thrown(() => service.getMicrovmImage({ imageIdentifier: elsewhere }));
    expect(err).toMatchObject({ code: "ResourceNotFoundException", message: `MicrovmImage ${elsewhere} does not exist.`, members: { resourceType: "MicrovmImage", resourceId: elsewhere } });
  });

  it("shows the newest SUCCESSFUL, ACTIVE version and the newest FAILED one", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("pointers"));
    const update = (uri: string) => service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("pointers", { codeArtifact: { uri } }) });
    update("s3://b/2.zip?outcome=fail");
    update("s3://b/3.zip");
    update("s3://b/4.zip?outcome=fail");
    update("s3://b/5.zip");
    service.updateMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "5", status: "INACTIVE" });
    expect(service.getMicrovmImage({ imageIdentifier: imageArn })).toMatchObject({ state: "UPDATED", latestActiveImageVersion: "3", latestFailedImageVersion: "4" });
    // A version being deleted is no one's latest.
    service.deleteMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "4" });
    service.deleteMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "3" });
    const image = service.getMicrovmImage({ imageIdentifier: imageArn });
    expect(image).toMatchObject({ latestActiveImageVersion: "1", latestFailedImageVersion: "2" });
    expect(service.images()).toEqual([image]);
  });

  it("lists images oldest first, without tags or updatedAt, filtered by part of the name and paged", () => {
    const { service } = manualService(0);
    const made = ["app-a", "other", "app-b", "app-c"].map((name) => service.createMicrovmImage(imageRequest(name, { tags: { t: "1" } })));
    const all = service.listMicrovmImages({});
    expect(all.items.map((i) => i.name)).toEqual(["app-a", "other", "app-b", "app-c"]);
    expect(all.items[0]).toEqual({ imageArn: made[0]!.imageArn, name: "app-a", state: "CREATED", latestActiveImageVersion: "1", createdAt: at(0) });
    expect(all.nextToken).toBeUndefined();
    const first = service.listMicrovmImages({ nameFilter: "pp-", maxResults: 2 });
    expect(first.items.map((i) => i.name)).toEqual(["app-a", "app-b"]);
    const second = service.listMicrovmImages({ nameFilter: "pp-", maxResults: 2, nextToken: first.nextToken });
    expect(second).toEqual({ items: [expect.objectContaining({ name: "app-c" })] });
    // The token holds the filter: without it, or with another, it is refused.
    expect(thrown(() => service.listMicrovmImages({ maxResults: 2, nextToken: first.nextToken })).code).toBe("ValidationException");
    expect(thrown(() => service.listMicrovmImages({ nameFilter: "app", nextToken: first.nextToken })).code).toBe("ValidationException");
  });

  it("pages 50 at a time by default", () => {
    const { service } = manualService(0);
    for (let i = 0; i < 51; i++) service.createMicrovmImage(imageRequest(`many-${i}`));
    const first = service.listMicrovmImages({});
    expect(first.items).toHaveLength(50);
    const second = service.listMicrovmImages({ nextToken: first.nextToken });
    expect(second.items.map((i) => i.name)).toEqual(["many-50"]);
    expect(second.nextToken).toBeUndefined();
    // A page that ends exactly with the last item has no token.
    expect(service.listMicrovmImages({ maxResults: 51 }).nextToken).toBeUndefined();
  });
});

describe("updating an image", () => {
  it("answers with the new settings only, UPDATING, the new version and the time of the update", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("put", { description: "old", tags: { k: "v" } }));
    advance(2 * T);
    const updated = service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("ignored", { codeArtifact: { uri: "s3://b/v2.zip" } }) });
    expect(updated).toEqual({
      baseImageArn: BASE_IMAGE,
      baseImageVersion: "2026.01.1",
      buildRoleArn: ROLE,
      codeArtifact: { uri: "s3://b/v2.zip" },
      imageArn,
      name: "put",
      state: "UPDATING",
      latestActiveImageVersion: "1",
      createdAt: at(0),
      updatedAt: at(2 * T),
      imageVersion: "2",
    });
    expect(service.getMicrovmImage({ imageIdentifier: imageArn })).toMatchObject({ state: "UPDATING", updatedAt: at(2 * T), latestActiveImageVersion: "1" });
    advance(2 * T);
    expect(service.getMicrovmImage({ imageIdentifier: imageArn })).toMatchObject({ state: "UPDATED", latestActiveImageVersion: "2" });
  });

  it("answers with the latest active version as it was, even when the new one builds at once", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("instant"));
    const updated = service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("instant") });
    expect(updated).toMatchObject({ imageVersion: "2", state: "UPDATING", latestActiveImageVersion: "1" });
    expect(service.getMicrovmImage({ imageIdentifier: imageArn }).latestActiveImageVersion).toBe("2");
  });

  it("answers with the latest failed version as it was, not the new one", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("failing", { codeArtifact: { uri: "s3://b/a.zip?outcome=fail" } }));
    const updated = service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("failing", { codeArtifact: { uri: "s3://b/b.zip?outcome=fail" } }) });
    expect(updated.latestFailedImageVersion).toBe("1");
    expect(updated.latestActiveImageVersion).toBeUndefined();
    expect(service.getMicrovmImage({ imageIdentifier: imageArn })).toMatchObject({ state: "UPDATE_FAILED", latestFailedImageVersion: "2" });
  });

  it("refuses an update while a build runs or the image is being deleted, naming the state", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("busy"));
    const id = imageArn.split(":").at(-1)!;
    const update = () => service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("busy") });
    expect(thrown(update)).toMatchObject({ code: "ConflictException", message: `Image ${id} is CREATING; it can be updated when its build has finished.`, members: { resourceType: "MicrovmImage", resourceId: id } });
    advance(T);
    expect(thrown(update).message).toMatch(/is CREATING/);
    advance(T);
    update();
    expect(thrown(update).message).toBe(`Image ${id} is UPDATING; it can be updated when its build has finished.`);
    expect(thrown(() => service.deleteMicrovmImage({ imageIdentifier: imageArn })).message).toBe(`Image ${id} is UPDATING; it can be deleted when its build has finished.`);
    advance(2 * T);
    service.deleteMicrovmImage({ imageIdentifier: imageArn });
    expect(thrown(update)).toMatchObject({ code: "ConflictException", message: `Image ${id} is being deleted.`, members: { resourceType: "MicrovmImage", resourceId: id } });
  });
});

describe("failed builds", () => {
  it("fail only when the artifact's query asks for it", () => {
    const { service } = manualService(0);
    const state = (name: string, uri: string) => {
      const { imageArn } = service.createMicrovmImage(imageRequest(name, { codeArtifact: { uri } }));
      return service.getMicrovmImage({ imageIdentifier: imageArn }).state;
    };
    expect(state("a", "s3://b/app.zip?outcome=fail")).toBe("CREATE_FAILED");
    expect(state("b", "s3://b/app.zip?x=1&outcome=ok&outcome=fail")).toBe("CREATE_FAILED");
    expect(state("c", "s3://b/outcome=fail.zip")).toBe("CREATED");
    expect(state("d", "s3://b/app.zip?outcome=failed")).toBe("CREATED");
    expect(state("e", "s3://b/app.zip?fail=outcome")).toBe("CREATED");
    expect(state("f", "s3://b/app.zip?")).toBe("CREATED");
    expect(state("h", "outcome=fail")).toBe("CREATED");
    expect(state("i", "?outcome=fail")).toBe("CREATE_FAILED");
    // An artifact of a kind this version does not know (no URI) builds.
    const { imageArn } = service.createMicrovmImage(imageRequest("g", { codeArtifact: { $unknown: ["imageUri", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest"] } }));
    expect(service.getMicrovmImage({ imageIdentifier: imageArn }).state).toBe("CREATED");
  });

  it("fail a transition after they start, with the reason on the version and every build", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("f", { codeArtifact: { uri: "s3://b/app.zip?outcome=fail" } }));
    const version = () => service.getMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1" });
    advance(T);
    expect(version().state).toBe("IN_PROGRESS");
    expect(version().stateReason).toBeUndefined();
    advance(T);
    expect(version()).toMatchObject({ state: "FAILED", stateReason: FAILURE_REASON });
    const [build] = service.listMicrovmImageBuilds({ imageIdentifier: imageArn, imageVersion: "1" }).items;
    expect(build).toMatchObject({ buildState: "FAILED", stateReason: FAILURE_REASON });
    const full = service.getMicrovmImageBuild({ imageIdentifier: imageArn, imageVersion: "1", buildId: build!.buildId });
    expect(full.snapshotBuild).toBeUndefined();
  });
});

describe("versions", () => {
  it("answers a version with its settings, status, dates and the image's tags", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("v", { tags: { a: "b" }, hooks: { port: 8080 } }));
    advance(2 * T);
    expect(service.getMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1" })).toStrictEqual({
      baseImageArn: BASE_IMAGE,
      baseImageVersion: "2026.01.1",
      buildRoleArn: ROLE,
      codeArtifact: { uri: "s3://b/app.zip" },
      hooks: { port: 8080 },
      imageArn,
      imageVersion: "1",
      state: "SUCCESSFUL",
      status: "ACTIVE",
      createdAt: at(0),
      updatedAt: at(0),
      tags: { a: "b" },
    });
    const missing = thrown(() => service.getMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "9" }));
    expect(missing).toMatchObject({
      code: "ResourceNotFoundException",
      message: `Version 9 of image ${imageArn.split(":").at(-1)} does not exist.`,
      members: { resourceType: "MicrovmImageVersion", resourceId: "9" },
    });
  });

  it("lists versions in order and pages them per image", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("listed"));
    const other = service.createMicrovmImage(imageRequest("other")).imageArn;
    for (let i = 0; i < 2; i++) service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("listed") });
    const first = service.listMicrovmImageVersions({ imageIdentifier: imageArn, maxResults: 2 });
    expect(first.items.map((v) => [v.imageVersion, v.state, v.status])).toEqual([
      ["1", "SUCCESSFUL", "ACTIVE"],
      ["2", "SUCCESSFUL", "ACTIVE"],
    ]);
    expect(service.listMicrovmImageVersions({ imageIdentifier: imageArn, nextToken: first.nextToken }).items.map((v) => v.imageVersion)).toEqual(["3"]);
    expect(thrown(() => service.listMicrovmImageVersions({ imageIdentifier: other, nextToken: first.nextToken })).code).toBe("ValidationException");
  });

  it("changes status only when it differs, and then moves updatedAt", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("status"));
    advance(2 * T);
    const set = (status: "ACTIVE" | "INACTIVE") => service.updateMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1", status });
    expect(set("ACTIVE")).toMatchObject({ status: "ACTIVE", updatedAt: at(0), state: "SUCCESSFUL", imageVersion: "1", imageArn });
    advance(T);
    expect(set("INACTIVE")).toMatchObject({ status: "INACTIVE", updatedAt: at(3 * T) });
    advance(T);
    expect(set("INACTIVE").updatedAt).toEqual(at(3 * T));
    expect(service.getMicrovmImage({ imageIdentifier: imageArn }).latestActiveImageVersion).toBeUndefined();
  });

  it("refuses to make a failed version ACTIVE, and any status change while it is deleted", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("failed", { codeArtifact: { uri: "s3://b/x.zip?outcome=fail" } }));
    advance(2 * T);
    const set = (status: "ACTIVE" | "INACTIVE") => () => service.updateMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1", status });
    expect(thrown(set("ACTIVE"))).toMatchObject({
      code: "ConflictException",
      message: "Version 1 failed to build and cannot be made ACTIVE.",
      members: { resourceType: "MicrovmImageVersion", resourceId: "1" },
    });
    expect(set("INACTIVE")().status).toBe("INACTIVE");
    service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("failed") });
    advance(2 * T);
    service.deleteMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1" });
    expect(thrown(set("ACTIVE"))).toMatchObject({ code: "ConflictException", message: "Version 1 is being deleted.", members: { resourceType: "MicrovmImageVersion", resourceId: "1" } });
  });

  it("deletes a version DELETING → DELETED, then it is gone from reads, lists and counts", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("dv"));
    advance(2 * T);
    service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("dv") });
    advance(2 * T);
    expect(service.counts()).toMatchObject({ versions: 2, builds: 2 });
    const del = () => service.deleteMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1" });
    expect(del()).toEqual({ imageIdentifier: imageArn, imageVersion: "1", state: "DELETING" });
    advance(T / 2);
    // Asking again does not start the deletion over.
    expect(del().state).toBe("DELETING");
    expect(service.getMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1" }).state).toBe("DELETING");
    advance(T / 2);
    expect(del().state).toBe("DELETED");
    expect(thrown(() => service.getMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1" })).code).toBe("ResourceNotFoundException");
    expect(service.listMicrovmImageVersions({ imageIdentifier: imageArn }).items.map((v) => v.imageVersion)).toEqual(["2"]);
    expect(service.counts()).toMatchObject({ versions: 1, builds: 1 });
  });

  it("remembers a deleted version as DELETED for the retention period, then not at all", () => {
    const { service, advance } = manualService(0, { retentionMs: 60_000 });
    const { imageArn } = service.createMicrovmImage(imageRequest("forget-v"));
    service.updateMicrovmImage({ imageIdentifier: imageArn, ...imageRequest("forget-v") });
    const del = () => service.deleteMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1" });
    expect(del().state).toBe("DELETED");
    advance(60_000 - 1);
    expect(del().state).toBe("DELETED");
    advance(1);
    expect(thrown(del)).toMatchObject({ code: "ResourceNotFoundException", members: { resourceType: "MicrovmImageVersion", resourceId: "1" } });
    expect(service.listMicrovmImageVersions({ imageIdentifier: imageArn }).items.map((v) => v.imageVersion)).toEqual(["2"]);
  });

  it("refuses to delete a version that is building or that a MicroVM runs", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("dvb"));
    const del = () => service.deleteMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "1" });
    const building = { code: "ConflictException", message: "Version 1 is still building; wait for it to finish.", members: { resourceType: "MicrovmImageVersion", resourceId: "1" } };
    expect(thrown(del)).toMatchObject(building);
    advance(T);
    expect(thrown(del)).toMatchObject(building);
    advance(T);
    const vm = service.runMicrovm({ imageIdentifier: imageArn });
    expect(thrown(del)).toMatchObject({
      code: "ConflictException",
      message: "Version 1 is used by MicroVMs that are not terminated.",
      members: { resourceType: "MicrovmImageVersion", resourceId: "1" },
    });
    service.terminateMicrovm({ microvmIdentifier: vm.microvmId });
    // TERMINATING still counts as in use.
    expect(thrown(del).message).toMatch(/used by MicroVMs/);
    advance(T);
    expect(del().state).toBe("DELETING");
  });

  it("404s a version of an unknown image, and of a deleted one", () => {
    const { service } = manualService(0);
    expect(thrown(() => service.deleteMicrovmImageVersion({ imageIdentifier: "mvi-nope", imageVersion: "1" })).members).toEqual({ resourceType: "MicrovmImage", resourceId: "mvi-nope" });
    expect(thrown(() => service.deleteMicrovmImageVersion({ imageIdentifier: "mvi-nope", imageVersion: "1" })).code).toBe("ResourceNotFoundException");
    const { imageArn } = service.createMicrovmImage(imageRequest("gone"));
    expect(thrown(() => service.deleteMicrovmImageVersion({ imageIdentifier: imageArn, imageVersion: "2" })).members).toEqual({ resourceType: "MicrovmImageVersion", resourceId: "2" });
  });
});

describe("builds", () => {
  it("answers a build with its hardware and, once SUCCESSFUL, its snapshot sizes", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("b"));
    const [summary] = service.listMicrovmImageBuilds({ imageIdentifier: imageArn, imageVersion: "1" }).items;
    expect(summary).toStrictEqual({
      imageArn,
      imageVersion: "1",
      buildId: expect.stringMatching(/^bld-[0-9a-f]{16}$/),
      buildState: "PENDING",
      architecture: "ARM_64",
      chipset: "GRAVITON",
      chipsetGeneration: "graviton4",
      createdAt: at(0),
    });
    const get = () => service.getMicrovmImageBuild({ imageIdentifier: imageArn, imageVersion: "1", buildId: summary!.buildId });
    expect(get()).toStrictEqual(summary);
    advance(2 * T);
    expect(get()).toStrictEqual({
      ...summary,
      buildState: "SUCCESSFUL",
      snapshotBuild: { memorySnapshotSizeInBytes: 536_870_912, codeInstallSizeInBytes: 48_234_496, diskSnapshotSizeInBytes: 2_147_483_648 },
    });
    // The list leaves the snapshot out.
    expect(service.listMicrovmImageBuilds({ imageIdentifier: imageArn, imageVersion: "1" }).items).toEqual([{ ...summary, buildState: "SUCCESSFUL" }]);
  });

  it("404s an unknown build", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("nb"));
    expect(thrown(() => service.getMicrovmImageBuild({ imageIdentifier: imageArn, imageVersion: "1", buildId: "bld-0" }))).toMatchObject({
      code: "ResourceNotFoundException",
      message: "Build bld-0 does not exist.",
      members: { resourceType: "MicrovmImageBuild", resourceId: "bld-0" },
    });
  });

  it("filters builds by each of architecture, chipset and generation, and pages them", () => {
    const { service } = manualService(0);
    const cpu = { architecture: "ARM_64" } as const;
    const { imageArn } = service.createMicrovmImage(imageRequest("bf", { cpuConfigurations: [cpu, cpu, cpu] }));
    const list = (filters: Record<string, unknown>) => service.listMicrovmImageBuilds({ imageIdentifier: imageArn, imageVersion: "1", ...filters });
    expect(list({}).items).toHaveLength(3);
    expect(list({ architecture: "ARM_64", chipset: "GRAVITON", chipsetGeneration: "graviton4" }).items).toHaveLength(3);
    expect(list({ architecture: "X86_64" }).items).toHaveLength(0);
    expect(list({ chipset: "OTHER" }).items).toHaveLength(0);
    expect(list({ chipsetGeneration: "graviton3" }).items).toHaveLength(0);
    const first = list({ maxResults: 2, chipset: "GRAVITON" });
    expect(first.items).toHaveLength(2);
    const rest = list({ chipset: "GRAVITON", nextToken: first.nextToken });
    expect(rest.items.map((b) => b.buildId)).toEqual([list({}).items[2]!.buildId]);
    for (const other of [{}, { chipset: "GRAVITON", architecture: "ARM_64" }, { chipset: "GRAVITON", chipsetGeneration: "graviton4" }]) {
      expect(thrown(() => list({ ...other, nextToken: first.nextToken })).code).toBe("ValidationException");
    }
    // Bound to each filter's value, not only to which filters are set.
    for (const [made, used] of [
      [{ architecture: "ARM_64" }, { architecture: "X86_64" }],
      [{ chipset: "GRAVITON" }, { chipset: "OTHER" }],
      [{ chipsetGeneration: "graviton4" }, { chipsetGeneration: "graviton3" }],
    ]) {
      const token = list({ ...made, maxResults: 1 }).nextToken;
      expect(token).toBeDefined();
      expect(thrown(() => list({ ...used, nextToken: token })).code).toBe("ValidationException");
    }
  });

  it("makes one ARM_64 build when the request names no CPU configuration", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("one", { cpuConfigurations: [] }));
    expect(service.listMicrovmImageBuilds({ imageIdentifier: imageArn, imageVersion: "1" }).items.map((b) => b.architecture)).toEqual(["ARM_64"]);
  });
});

describe("deleting an image", () => {
  it("goes DELETING → DELETED, stops listing it, frees its name, and is forgotten after the retention period", () => {
    const { service, advance } = manualService(T, { retentionMs: 60_000 });
    const { imageArn } = service.createMicrovmImage(imageRequest("del", { tags: { a: "b" } }));
    const id = imageArn.split(":").at(-1)!;
    advance(2 * T);
    expect(service.deleteMicrovmImage({ imageIdentifier: "del" })).toEqual({ imageIdentifier: "del", state: "DELETING" });
    expect(service.getMicrovmImage({ imageIdentifier: imageArn })).toMatchObject({ state: "DELETING", updatedAt: at(2 * T) });
    // Deleting again while DELETING answers the state, by any identifier.
    expect(service.deleteMicrovmImage({ imageIdentifier: id })).toEqual({ imageIdentifier: id, state: "DELETING" });
    expect(service.listMicrovmImages({}).items.map((i) => i.state)).toEqual(["DELETING"]);
    expect(service.listTags({ Resource: imageArn }).Tags).toEqual({ a: "b" });
    expect(thrown(() => service.runMicrovm({ imageIdentifier: imageArn }))).toMatchObject({
      code: "ConflictException",
      message: `Image ${id} is being deleted.`,
      members: { resourceType: "MicrovmImage", resourceId: id },
    });
    advance(T);
    expect(service.deleteMicrovmImage({ imageIdentifier: imageArn })).toEqual({ imageIdentifier: imageArn, state: "DELETED" });
    expect(service.deleteMicrovmImage({ imageIdentifier: id }).state).toBe("DELETED");
    // Its name is free, so by name it is unknown.
    expect(thrown(() => service.deleteMicrovmImage({ imageIdentifier: "del" })).code).toBe("ResourceNotFoundException");
    expect(service.listMicrovmImages({}).items).toEqual([]);
    expect(service.images()).toEqual([]);
    expect(thrown(() => service.getMicrovmImage({ imageIdentifier: "del" })).code).toBe("ResourceNotFoundException");
    expect(thrown(() => service.listTags({ Resource: imageArn })).members).toEqual({ resourceType: "MicrovmImage", resourceId: imageArn });
    expect(thrown(() => service.tagResource({ Resource: imageArn, Tags: { c: "d" } })).code).toBe("ResourceNotFoundException");
    const again = service.createMicrovmImage(imageRequest("del"));
    expect(service.getMicrovmImage({ imageIdentifier: "del" }).imageArn).toBe(again.imageArn);
    // Still remembered as deleted until the retention period ends, then unknown.
    advance(60_000 - 1);
    expect(service.deleteMicrovmImage({ imageIdentifier: imageArn }).state).toBe("DELETED");
    advance(1);
    expect(thrown(() => service.deleteMicrovmImage({ imageIdentifier: imageArn })).code).toBe("ResourceNotFoundException");
    // The new image of that name is untouched by the old one's end.
    expect(service.getMicrovmImage({ imageIdentifier: "del" }).imageArn).toBe(again.imageArn);
  });

  it("with transitions and retention of 0, is gone from views at once and forgotten a millisecond later", () => {
    const { service, advance } = manualService(0, { retentionMs: 0 });
    const { imageArn } = service.createMicrovmImage(imageRequest("instant"));
    expect(service.deleteMicrovmImage({ imageIdentifier: imageArn }).state).toBe("DELETING");
    expect(service.images()).toEqual([]);
    expect(service.counts().images).toBe(0);
    expect(service.deleteMicrovmImage({ imageIdentifier: imageArn }).state).toBe("DELETED");
    advance(1);
    expect(thrown(() => service.deleteMicrovmImage({ imageIdentifier: imageArn })).code).toBe("ResourceNotFoundException");
  });

  it("forgets a deleted image's name when no other image took it", () => {
    const { service, advance } = manualService(0, { retentionMs: 60_000 });
    const { imageArn } = service.createMicrovmImage(imageRequest("lonely"));
    service.deleteMicrovmImage({ imageIdentifier: imageArn });
    advance(60_000);
    expect(thrown(() => service.deleteMicrovmImage({ imageIdentifier: "lonely" })).code).toBe("ResourceNotFoundException");
    expect(service.createMicrovmImage(imageRequest("lonely")).name).toBe("lonely");
  });

  it("refuses to delete an image a MicroVM runs, until it is TERMINATED", () => {
    const { service, advance } = manualService();
    const { imageArn } = service.createMicrovmImage(imageRequest("used"));
    const id = imageArn.split(":").at(-1)!;
    advance(2 * T);
    const vm = service.runMicrovm({ imageIdentifier: imageArn });
    const refused = {
      code: "ConflictException",
      message: `Image ${id} is used by MicroVMs that are not terminated; terminate them first.`,
      members: { resourceType: "MicrovmImage", resourceId: id },
    };
    expect(thrown(() => service.deleteMicrovmImage({ imageIdentifier: imageArn }))).toMatchObject(refused);
    service.terminateMicrovm({ microvmIdentifier: vm.microvmId });
    expect(thrown(() => service.deleteMicrovmImage({ imageIdentifier: imageArn }))).toMatchObject(refused);
    advance(T);
    expect(service.deleteMicrovmImage({ imageIdentifier: imageArn }).state).toBe("DELETING");
  });

  it("is not refused for MicroVMs of another image, nor a version for MicroVMs of another version", () => {
    const { service } = manualService(0);
    const a = service.createMicrovmImage(imageRequest("a")).imageArn;
    const b = service.createMicrovmImage(imageRequest("b")).imageArn;
    service.updateMicrovmImage({ imageIdentifier: a, ...imageRequest("a") });
    service.runMicrovm({ imageIdentifier: a });
    expect(service.deleteMicrovmImage({ imageIdentifier: b }).state).toBe("DELETING");
    expect(service.deleteMicrovmImageVersion({ imageIdentifier: a, imageVersion: "1" }).state).toBe("DELETED");
    expect(thrown(() => service.deleteMicrovmImageVersion({ imageIdentifier: a, imageVersion: "2" })).message).toMatch(/used by MicroVMs/);
  });
});

describe("tags", () => {
  it("merges, replaces and removes tags on an image ARN, within the limit of 50", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("tags", { tags: { a: "1", b: "2" } }));
    expect(service.tagResource({ Resource: imageArn, Tags: { b: "3", c: "4" } })).toEqual({});
    expect(service.listTags({ Resource: imageArn })).toEqual({ Tags: { a: "1", b: "3", c: "4" } });
    expect(service.untagResource({ Resource: imageArn, TagKeys: ["a", "zz"] })).toEqual({});
    expect(service.listTags({ Resource: imageArn }).Tags).toEqual({ b: "3", c: "4" });
    const many = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, "v"]));
    service.tagResource({ Resource: imageArn, Tags: many });
    expect(thrown(() => service.tagResource({ Resource: imageArn, Tags: { one: "more" } })).code).toBe("ValidationException");
    expect(Object.keys(service.listTags({ Resource: imageArn }).Tags!)).toHaveLength(50);
  });

  it("takes only the exact ARN, not an id or an ARN of another account", () => {
    const { service } = manualService(0);
    const { imageArn } = service.createMicrovmImage(imageRequest("exact"));
    for (const Resource of [imageArn.split(":").at(-1)!, imageArn.replace("123456789012", "210987654321")]) {
      expect(thrown(() => service.listTags({ Resource }))).toMatchObject({ code: "ResourceNotFoundException", members: { resourceType: "MicrovmImage", resourceId: Resource } });
    }
  });
});
