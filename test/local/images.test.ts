import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConflictException,
  DeleteMicrovmImageCommand,
  DeleteMicrovmImageVersionCommand,
  GetMicrovmImageBuildCommand,
  GetMicrovmImageCommand,
  GetMicrovmImageVersionCommand,
  ListManagedMicrovmImageVersionsCommand,
  ListManagedMicrovmImagesCommand,
  ListMicrovmImageBuildsCommand,
  ListMicrovmImageVersionsCommand,
  ListMicrovmImagesCommand,
  ResourceNotFoundException,
  RunMicrovmCommand,
  TerminateMicrovmCommand,
  UpdateMicrovmImageCommand,
  UpdateMicrovmImageVersionCommand,
} from "../../src/index";
import { BASE_IMAGE, createImage, imageInput, ROLE, startFixture, uniqueName, type Fixture } from "./helpers";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ transitionMs: 0 }, { maxAttempts: 1 });
});
afterAll(() => fx.close());

describe("managed base images", () => {
  it("lists the catalogue page by page", async () => {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await fx.client.send(new ListManagedMicrovmImagesCommand({ maxResults: 2, nextToken }));
      expect(page.items!.length).toBeLessThanOrEqual(2);
      arns.push(...page.items!.map((i) => i.imageArn!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(arns).toContain(BASE_IMAGE);
    expect(new Set(arns).size).toBe(arns.length);
    expect(arns.length).toBeGreaterThanOrEqual(3);
  });

  it("lists versions by ARN or short name, and 404s an unknown image", async () => {
    const byArn = await fx.client.send(new ListManagedMicrovmImageVersionsCommand({ imageIdentifier: BASE_IMAGE }));
    const byName = await fx.client.send(new ListManagedMicrovmImageVersionsCommand({ imageIdentifier: "al2023" }));
    expect(byArn.items!.map((v) => v.imageVersion)).toEqual(byName.items!.map((v) => v.imageVersion));
    expect(byArn.items!.some((v) => v.status === "AVAILABLE")).toBe(true);
    expect(byArn.items!.some((v) => v.status === "DEPRECATED")).toBe(true);
    const err = await fx.client.send(new ListManagedMicrovmImageVersionsCommand({ imageIdentifier: "windows-95" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).resourceId).toBe("windows-95");
  });
});

describe("image lifecycle", () => {
  it("creates: CREATING in the answer, then CREATED with a SUCCESSFUL, ACTIVE first version and one build per CPU configuration", async () => {
    const created = await createImage(fx.client, { tags: { team: "a" }, cpuConfigurations: [{ architecture: "ARM_64" }, { architecture: "ARM_64" }] });
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.state).toBe("CREATING");
    expect(created.imageVersion).toBe("1");
    expect(created.imageArn).toMatch(/^arn:aws:lambda:us-east-1:123456789012:microvm-image:mvi-[0-9a-f]{16}$/);
    expect(created.baseImageVersion).toBeDefined();
    expect(created.tags).toEqual({ team: "a" });

    const image = await fx.client.send(new GetMicrovmImageCommand({ imageIdentifier: created.imageArn }));
    expect(image.state).toBe("CREATED");
    expect(image.latestActiveImageVersion).toBe("1");
    expect(image.latestFailedImageVersion).toBeUndefined();
    // By id and by name too.
    const id = created.imageArn!.split(":").at(-1)!;
    expect((await fx.client.send(new GetMicrovmImageCommand({ imageIdentifier: id }))).imageArn).toBe(created.imageArn);
    expect((await fx.client.send(new GetMicrovmImageCommand({ imageIdentifier: created.name }))).imageArn).toBe(created.imageArn);

    const version = await fx.client.send(new GetMicrovmImageVersionCommand({ imageIdentifier: id, imageVersion: "1" }));
    expect(version).toMatchObject({ state: "SUCCESSFUL", status: "ACTIVE", codeArtifact: { uri: "s3://bucket/app.zip" }, buildRoleArn: ROLE });
    const builds = await fx.client.send(new ListMicrovmImageBuildsCommand({ imageIdentifier: id, imageVersion: "1" }));
    expect(builds.items).toHaveLength(2);
    expect(builds.items!.every((b) => b.buildState === "SUCCESSFUL" && b.chipset === "GRAVITON")).toBe(true);
    const build = await fx.client.send(new GetMicrovmImageBuildCommand({ imageIdentifier: id, imageVersion: "1", buildId: builds.items![0]!.buildId }));
    expect(build.snapshotBuild?.memorySnapshotSizeInBytes).toBeGreaterThan(0);
    const filtered = await fx.client.send(new ListMicrovmImageBuildsCommand({ imageIdentifier: id, imageVersion: "1", architecture: "ARM_64", chipsetGeneration: "graviton9" }));
    expect(filtered.items).toHaveLength(0);
    const paged = await fx.client.send(new ListMicrovmImageBuildsCommand({ imageIdentifier: id, imageVersion: "1", maxResults: 1 }));
    expect(paged.items).toHaveLength(1);
    expect(paged.nextToken).toBeDefined();
  });

  it("updates with PUT semantics: a new version, UPDATING then UPDATED, with only the new settings", async () => {
    const created = await createImage(fx.client, { description: "first", environmentVariables: { A: "1" } });
    const updated = await fx.client.send(
      new UpdateMicrovmImageCommand({ imageIdentifier: created.imageArn, baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://bucket/v2.zip" } }),
    );
    expect(updated.state).toBe("UPDATING");
    expect(updated.imageVersion).toBe("2");
    expect(updated.latestActiveImageVersion).toBe("1"); // as of the answer, version 2 has not built yet
    expect(updated.description).toBeUndefined();
    const image = await fx.client.send(new GetMicrovmImageCommand({ imageIdentifier: created.imageArn }));
    expect(image.state).toBe("UPDATED");
    expect(image.latestActiveImageVersion).toBe("2");
    const versions = await fx.client.send(new ListMicrovmImageVersionsCommand({ imageIdentifier: created.imageArn }));
    expect(versions.items!.map((v) => [v.imageVersion, v.description, v.environmentVariables])).toEqual([
      ["1", "first", { A: "1" }],
      ["2", undefined, undefined],
    ]);
  });

  it("fails a build on outcome=fail: FAILED build and version with a reason, CREATE_FAILED then UPDATE_FAILED image", async () => {
    const created = await createImage(fx.client, { codeArtifact: { uri: "s3://bucket/app.zip?outcome=fail" } });
    const image = await fx.client.send(new GetMicrovmImageCommand({ imageIdentifier: created.imageArn }));
    expect(image.state).toBe("CREATE_FAILED");
    expect(image.latestFailedImageVersion).toBe("1");
    expect(image.latestActiveImageVersion).toBeUndefined();
    const version = await fx.client.send(new GetMicrovmImageVersionCommand({ imageIdentifier: created.imageArn, imageVersion: "1" }));
    expect(version.state).toBe("FAILED");
    expect(version.stateReason).toMatch(/outcome=fail/);
    const builds = await fx.client.send(new ListMicrovmImageBuildsCommand({ imageIdentifier: created.imageArn, imageVersion: "1" }));
    expect(builds.items![0]).toMatchObject({ buildState: "FAILED" });
    expect(builds.items![0]!.stateReason).toBeDefined();
    // Nothing can run from it.
    await expect(fx.client.send(new RunMicrovmCommand({ imageIdentifier: created.imageArn }))).rejects.toBeInstanceOf(ConflictException);
    await expect(fx.client.send(new RunMicrovmCommand({ imageIdentifier: created.imageArn, imageVersion: "1" }))).rejects.toBeInstanceOf(ConflictException);
    // A good update recovers it; a failing update after that is UPDATE_FAILED and keeps the good version active.
    await fx.client.send(new UpdateMicrovmImageCommand({ imageIdentifier: created.imageArn, baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://bucket/ok.zip" } }));
    await fx.client.send(new UpdateMicrovmImageCommand({ imageIdentifier: created.imageArn, baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://bucket/ok.zip?x=1&outcome=fail" } }));
    const after = await fx.client.send(new GetMicrovmImageCommand({ imageIdentifier: created.imageArn }));
    expect(after).toMatchObject({ state: "UPDATE_FAILED", latestActiveImageVersion: "2", latestFailedImageVersion: "3" });
  });

  it("toggles versions ACTIVE/INACTIVE; only an ACTIVE, SUCCESSFUL version runs", async () => {
    const created = await createImage(fx.client);
    const off = await fx.client.send(new UpdateMicrovmImageVersionCommand({ imageIdentifier: created.imageArn, imageVersion: "1", status: "INACTIVE" }));
    expect(off.status).toBe("INACTIVE");
    expect((await fx.client.send(new GetMicrovmImageCommand({ imageIdentifier: created.imageArn }))).latestActiveImageVersion).toBeUndefined();
    const err = await fx.client.send(new RunMicrovmCommand({ imageIdentifier: created.imageArn, imageVersion: "1" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictException);
    expect((err as ConflictException).message).toMatch(/INACTIVE/);
    await fx.client.send(new UpdateMicrovmImageVersionCommand({ imageIdentifier: created.imageArn, imageVersion: "1", status: "ACTIVE" }));
    const vm = await fx.client.send(new RunMicrovmCommand({ imageIdentifier: created.imageArn, imageVersion: "1" }));
    expect(vm.imageVersion).toBe("1");
    await fx.client.send(new TerminateMicrovmCommand({ microvmIdentifier: vm.microvmId }));
  });

  it("deletes versions and images through DELETING to gone; deleting again succeeds", async () => {
    const created = await createImage(fx.client);
    await fx.client.send(new UpdateMicrovmImageCommand({ imageIdentifier: created.imageArn, baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://b/2.zip" } }));
    const v1 = await fx.client.send(new DeleteMicrovmImageVersionCommand({ imageIdentifier: created.imageArn, imageVersion: "1" }));
    expect(v1.state).toBe("DELETED"); // transitionMs 0: DELETING is already over
    await expect(fx.client.send(new GetMicrovmImageVersionCommand({ imageIdentifier: created.imageArn, imageVersion: "1" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect((await fx.client.send(new DeleteMicrovmImageVersionCommand({ imageIdentifier: created.imageArn, imageVersion: "1" }))).state).toBe("DELETED");

    const vm = await fx.client.send(new RunMicrovmCommand({ imageIdentifier: created.imageArn }));
    const busy = await fx.client.send(new DeleteMicrovmImageCommand({ imageIdentifier: created.imageArn })).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(ConflictException);
    await fx.client.send(new TerminateMicrovmCommand({ microvmIdentifier: vm.microvmId }));
    const deleted = await fx.client.send(new DeleteMicrovmImageCommand({ imageIdentifier: created.imageArn }));
    expect(deleted.state).toBe("DELETING");
    const gone = await fx.client.send(new GetMicrovmImageCommand({ imageIdentifier: created.imageArn })).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect((gone as ResourceNotFoundException).resourceType).toBe("MicrovmImage");
    expect((await fx.client.send(new DeleteMicrovmImageCommand({ imageIdentifier: created.imageArn }))).state).toBe("DELETED");
    // The name is free again.
    const again = await createImage(fx.client, { name: created.name });
    expect(again.imageArn).not.toBe(created.imageArn);
  });

  it("lists images with a name filter and pages", async () => {
    const tag = uniqueName("filter");
    for (let i = 0; i < 3; i++) await createImage(fx.client, { name: `${tag}-${i}` });
    const first = await fx.client.send(new ListMicrovmImagesCommand({ nameFilter: tag, maxResults: 2 }));
    expect(first.items!.map((i) => i.name)).toEqual([`${tag}-0`, `${tag}-1`]);
    const second = await fx.client.send(new ListMicrovmImagesCommand({ nameFilter: tag, maxResults: 2, nextToken: first.nextToken }));
    expect(second.items!.map((i) => i.name)).toEqual([`${tag}-2`]);
    expect(second.nextToken).toBeUndefined();
  });

  it("refuses a duplicate name, an unknown base image, and updates while building", async () => {
    const created = await createImage(fx.client);
    await expect(createImage(fx.client, { name: created.name })).rejects.toBeInstanceOf(ConflictException);
    const err = await createImage(fx.client, { baseImageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:nope" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    await expect(createImage(fx.client, { baseImageVersion: "0.0.0" })).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(imageInput().name).not.toBe(created.name);
  });
});
