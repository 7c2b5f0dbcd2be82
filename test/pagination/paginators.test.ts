/** Paginators against the local emulator, and their guards against a misbehaving server. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateMicrovmImageCommand,
  LambdaMicrovmsClient,
  ListMicrovmsCommand,
  RunMicrovmCommand,
  paginateListManagedMicrovmImageVersions,
  paginateListManagedMicrovmImages,
  paginateListMicrovmImageBuilds,
  paginateListMicrovmImageVersions,
  paginateListMicrovmImages,
  paginateListMicrovms,
  type PaginationErrorFields,
} from "../../src/index";
import { startLocalServer, type LocalServer } from "../../src/local/index";

let server: LocalServer;
let client: LambdaMicrovmsClient;
let imageArn: string;
const BASE = "arn:aws:lambda:us-east-1:aws:microvm-image:al2023";

beforeAll(async () => {
  server = await startLocalServer({ transitionMs: 0 });
  client = new LambdaMicrovmsClient({ region: server.region, endpoint: server.endpoint, credentials: server.credentials });
  const image = await client.send(
    new CreateMicrovmImageCommand({ name: "paged", baseImageArn: BASE, buildRoleArn: "arn:aws:iam::123456789012:role/build", codeArtifact: { uri: "s3://b/app.zip" } }),
  );
  imageArn = image.imageArn!;
  const queue = Array.from({ length: 500 }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (queue.pop() !== undefined) await client.send(new RunMicrovmCommand({ imageIdentifier: imageArn }));
    }),
  );
}, 60_000);
afterAll(async () => {
  client.destroy();
  await server.stop();
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe("paginators on the emulator", () => {
  it("pages 500 MicroVMs at pageSize 7: each exactly once, in a stable order", async () => {
    const pages = await collect(paginateListMicrovms({ client, pageSize: 7 }, { imageIdentifier: imageArn }));
    expect(pages).toHaveLength(Math.ceil(500 / 7));
    const ids = pages.flatMap((p) => p.items!.map((vm) => vm.microvmId));
    expect(ids).toHaveLength(500);
    expect(new Set(ids).size).toBe(500);
    const again = await collect(paginateListMicrovms({ client, pageSize: 50 }, { imageIdentifier: imageArn }).items());
    expect(again.map((vm) => vm.microvmId)).toEqual(ids);
  });

  it("maxItems 10 gives 10 items, across pages", async () => {
    const items = await collect(paginateListMicrovms({ client, pageSize: 7, maxItems: 10 }, {}).items());
    expect(items).toHaveLength(10);
  });

  it("resuming from a page's token gives the rest", async () => {
    const first = await client.send(new ListMicrovmsCommand({ imageIdentifier: imageArn, maxResults: 20 }));
    const rest = await collect(paginateListMicrovms({ client, pageSize: 50, startingToken: first.nextToken }, { imageIdentifier: imageArn }).items());
    const all = await collect(paginateListMicrovms({ client, pageSize: 50 }, { imageIdentifier: imageArn }).items());
    expect([...first.items!, ...rest].map((vm) => vm.microvmId)).toEqual(all.map((vm) => vm.microvmId));
  });

  it("the other five paginators page too", async () => {
    const managed = await collect(paginateListManagedMicrovmImages({ client, pageSize: 1 }, {}).items());
    expect(managed.length).toBeGreaterThan(1);
    const managedVersions = await collect(paginateListManagedMicrovmImageVersions({ client, pageSize: 1 }, { imageIdentifier: BASE }).items());
    expect(managedVersions.length).toBeGreaterThan(1);
    const images = await collect(paginateListMicrovmImages({ client, pageSize: 1 }, {}).items());
    expect(images.map((i) => i.imageArn)).toContain(imageArn);
    const versions = await collect(paginateListMicrovmImageVersions({ client, pageSize: 1 }, { imageIdentifier: imageArn }).items());
    expect(versions.length).toBe(1);
    const builds = await collect(paginateListMicrovmImageBuilds({ client, pageSize: 1 }, { imageIdentifier: imageArn, imageVersion: versions[0]!.imageVersion }).items());
    expect(builds.length).toBeGreaterThanOrEqual(1);
  });

  it("never mutates the caller's input", async () => {
    const input = Object.freeze({ imageIdentifier: imageArn });
    await collect(paginateListMicrovms({ client, pageSize: 50 }, input));
    expect(input).toEqual({ imageIdentifier: imageArn });
  });
});

describe("paginator guards", () => {
  const fake = (pages: (() => object)[]) => {
    let i = 0;
    return { send: async () => ({ $metadata: {}, ...pages[Math.min(i++, pages.length - 1)]!() }) } as unknown as LambdaMicrovmsClient;
  };

  it("a repeated token ends the loop", async () => {
    const client = fake([() => ({ items: [1], nextToken: "a" }), () => ({ items: [2], nextToken: "b" }), () => ({ items: [3], nextToken: "a" })]);
    const pages = await collect(paginateListMicrovms({ client }, {}));
    expect(pages).toHaveLength(3);
  });

  it("an error mid-loop tells the token to resume from", async () => {
    let i = 0;
    const client = {
      send: async () => {
        if (i++ === 2) throw new Error("boom");
        return { $metadata: {}, items: [i], nextToken: `t${i}` };
      },
    } as unknown as LambdaMicrovmsClient;
    const error = (await collect(paginateListMicrovms({ client }, {})).catch((e: unknown) => e)) as Error & PaginationErrorFields;
    expect(error.message).toBe("boom");
    expect(error.resumeToken).toBe("t2");
  });
});
