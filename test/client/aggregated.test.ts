/**
 * The aggregated client: every one of its 24 operation methods and 6 paginator methods runs
 * against the emulator and gives what the command gives; the no-argument and callback forms.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LambdaMicrovms, LambdaMicrovmsClient, ResourceNotFoundException, type GetMicrovmCommandOutput } from "../../src/index";
import { BASE_IMAGE, ROLE } from "../local/helpers";
import { startLocalServer, type LocalServer } from "../../src/local/index";

let server: LocalServer;
let microvms: LambdaMicrovms;
beforeAll(async () => {
  server = await startLocalServer({ transitionMs: 0 });
  microvms = new LambdaMicrovms({ region: server.region, endpoint: server.endpoint, credentials: server.credentials });
});
afterAll(async () => {
  microvms.destroy();
  await server.stop();
});

describe("LambdaMicrovms", () => {
  it("is a LambdaMicrovmsClient with a method per operation and per paginator", () => {
    expect(microvms).toBeInstanceOf(LambdaMicrovmsClient);
    const methods = Object.getOwnPropertyNames(LambdaMicrovms.prototype).filter((n) => n !== "constructor");
    expect(methods.filter((n) => !n.startsWith("paginate"))).toHaveLength(24);
    expect(methods.filter((n) => n.startsWith("paginate"))).toHaveLength(6);
  });

  it("runs every operation", async () => {
    const managed = await microvms.listManagedMicrovmImages();
    expect(managed.items!.length).toBeGreaterThan(0);
    const versions = await microvms.listManagedMicrovmImageVersions({ imageIdentifier: BASE_IMAGE });
    expect(versions.items!.length).toBeGreaterThan(0);
    const image = await microvms.createMicrovmImage({ name: "aggregated", baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/app.zip" } });
    const imageIdentifier = image.imageArn;
    expect((await microvms.getMicrovmImage({ imageIdentifier })).state).toBe("CREATED");
    expect((await microvms.listMicrovmImages()).items!.map((i) => i.name)).toContain("aggregated");
    expect((await microvms.listMicrovmImageVersions({ imageIdentifier })).items).toHaveLength(1);
    expect((await microvms.getMicrovmImageVersion({ imageIdentifier, imageVersion: "1" })).state).toBe("SUCCESSFUL");
    const builds = await microvms.listMicrovmImageBuilds({ imageIdentifier, imageVersion: "1" });
    expect((await microvms.getMicrovmImageBuild({ imageIdentifier, imageVersion: "1", buildId: builds.items![0]!.buildId })).buildState).toBe("SUCCESSFUL");
    expect((await microvms.updateMicrovmImageVersion({ imageIdentifier, imageVersion: "1", status: "ACTIVE" })).status).toBe("ACTIVE");
    await microvms.tagResource({ Resource: imageIdentifier, Tags: { team: "a" } });
    expect((await microvms.listTags({ Resource: imageIdentifier })).Tags).toEqual({ team: "a" });
    await microvms.untagResource({ Resource: imageIdentifier, TagKeys: ["team"] });
    expect((await microvms.listTags({ Resource: imageIdentifier })).Tags).toEqual({});

    const vm = await microvms.runMicrovm({ imageIdentifier });
    const microvmIdentifier = vm.microvmId;
    expect((await microvms.getMicrovm({ microvmIdentifier })).state).toBe("RUNNING");
    expect((await microvms.listMicrovms({ imageIdentifier })).items!.map((i) => i.microvmId)).toEqual([microvmIdentifier]);
    expect(Object.keys((await microvms.createMicrovmAuthToken({ microvmIdentifier, expirationInMinutes: 5, allowedPorts: [{ port: 80 }] })).authToken!)).not.toHaveLength(0);
    await expect(microvms.createMicrovmShellAuthToken({ microvmIdentifier, expirationInMinutes: 5 })).rejects.toThrow(/SHELL_INGRESS/);
    await microvms.suspendMicrovm({ microvmIdentifier });
    expect((await microvms.getMicrovm({ microvmIdentifier })).state).toBe("SUSPENDED");
    await microvms.resumeMicrovm({ microvmIdentifier });
    await microvms.terminateMicrovm({ microvmIdentifier });
    expect((await microvms.getMicrovm({ microvmIdentifier })).state).toBe("TERMINATED");

    const updated = await microvms.updateMicrovmImage({ imageIdentifier, baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/v2.zip" } });
    expect(updated.imageVersion).toBe("2");
    expect((await microvms.deleteMicrovmImageVersion({ imageIdentifier, imageVersion: "1" })).state).toMatch(/DELET/);
    expect((await microvms.deleteMicrovmImage({ imageIdentifier })).state).toMatch(/DELET/);
  });

  it("pages through every list operation with its paginator method", async () => {
    const image = await microvms.createMicrovmImage({ name: "aggregated-pages", baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/app.zip" } });
    const imageIdentifier = image.imageArn!;
    for (let i = 0; i < 3; i++) await microvms.runMicrovm({ imageIdentifier });
    const count = async (pages: AsyncIterable<{ items?: unknown[] }>) => {
      let items = 0;
      for await (const page of pages) items += page.items?.length ?? 0;
      return items;
    };
    expect(await count(microvms.paginateListMicrovms({ imageIdentifier }, { pageSize: 1 }))).toBe(3);
    expect(await count(microvms.paginateListMicrovmImages())).toBeGreaterThan(0);
    expect(await count(microvms.paginateListMicrovmImageVersions({ imageIdentifier }))).toBe(1);
    expect(await count(microvms.paginateListMicrovmImageBuilds({ imageIdentifier, imageVersion: "1" }))).toBeGreaterThan(0);
    expect(await count(microvms.paginateListManagedMicrovmImages(undefined, { pageSize: 2 }))).toBeGreaterThan(0);
    expect(await count(microvms.paginateListManagedMicrovmImageVersions({ imageIdentifier: BASE_IMAGE }))).toBeGreaterThan(0);
  });

  it("takes a callback, with or without options, and gives the error to it", async () => {
    const got = await new Promise<GetMicrovmCommandOutput | undefined>((resolve, reject) => microvms.getMicrovm({ microvmIdentifier: "mvm-none" }, (err, data) => (err ? resolve(undefined) : reject(data))));
    expect(got).toBeUndefined();
    const error = await new Promise<unknown>((resolve) => microvms.getMicrovm({ microvmIdentifier: "mvm-none" }, {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    const listed = await new Promise<unknown>((resolve) => microvms.listMicrovmImages({}, (_, data) => resolve(data)));
    expect(listed).toMatchObject({ $metadata: { httpStatusCode: 200 } });
  });
});
