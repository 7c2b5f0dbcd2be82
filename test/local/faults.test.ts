import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { InternalServerException, ListMicrovmsCommand, ThrottlingException } from "../../src/index";
import { createImage, errorOf, imageInput, rawRequest, startFixture, type Fixture } from "./helpers";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({}, { maxAttempts: 1 });
});
afterEach(() => fx.server.setFaults(undefined));
afterAll(() => fx.close());

const list = () => rawRequest(fx.server, { method: "GET", path: "/2025-09-09/microvms" });

describe("faults on purpose", () => {
  it("throttle: 429 ThrottlingException with Retry-After, seen as such by the client", async () => {
    fx.server.setFaults({ sequence: ["throttle", "throttle"], retryAfterSeconds: 3 });
    const raw = await list();
    expect(raw.status).toBe(429);
    expect(raw.headers["retry-after"]).toBe("3");
    expect(errorOf(raw).type).toBe("ThrottlingException");
    const error = await fx.client.send(new ListMicrovmsCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).retryAfterSeconds).toBe(3);
    // The script is over: no more faults.
    expect((await list()).status).toBe(200);
  });

  it("internal: 500 InternalServerException, with Retry-After only when set", async () => {
    fx.server.setFaults({ sequence: ["internal"] });
    const plain = await list();
    expect(plain.status).toBe(500);
    expect(plain.headers["retry-after"]).toBeUndefined();
    expect(errorOf(plain).type).toBe("InternalServerException");
    fx.server.setFaults({ sequence: ["internal"], retryAfterSeconds: 2 });
    const error = await fx.client.send(new ListMicrovmsCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerException);
    expect((error as InternalServerException).retryAfterSeconds).toBe(2);
  });

  it("unavailable: 503 with a body that is not JSON", async () => {
    fx.server.setFaults({ sequence: ["unavailable"] });
    const raw = await list();
    expect(raw.status).toBe(503);
    expect(() => JSON.parse(raw.body)).toThrow();
    fx.server.setFaults({ sequence: ["unavailable"] });
    const error = await fx.client.send(new ListMicrovmsCommand({})).catch((e: unknown) => e);
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(503);
  });

  it("drop: the connection is closed without an answer", async () => {
    fx.server.setFaults({ sequence: ["drop"] });
    await expect(list()).rejects.toThrow(/socket hang up|ECONNRESET/);
    fx.server.setFaults({ sequence: ["drop"] });
    await expect(fx.client.send(new ListMicrovmsCommand({}))).rejects.toBeDefined();
    expect((await list()).status).toBe(200);
  });

  it("slow: answers normally after slowMs", async () => {
    fx.server.setFaults({ sequence: ["slow"], slowMs: 150 });
    const started = Date.now();
    const raw = await list();
    expect(raw.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("malformed: 200 with a truncated JSON body, which the client reports", async () => {
    fx.server.setFaults({ sequence: ["malformed"] });
    const raw = await list();
    expect(raw.status).toBe(200);
    expect(() => JSON.parse(raw.body)).toThrow();
    fx.server.setFaults({ sequence: ["malformed"] });
    await expect(fx.client.send(new ListMicrovmsCommand({}))).rejects.toThrow(/parse/i);
  });

  it("lost: the operation runs and takes effect, then the connection closes without its answer", async () => {
    const before = fx.server.service.counts().images;
    fx.server.setFaults({ sequence: ["lost"] });
    const name = "lost-on-the-way-back";
    await expect(createImage(fx.client, { name })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(fx.server.service.counts().images).toBe(before + 1);
    expect(fx.server.service.images().filter((image) => image.name === name)).toHaveLength(1);
    fx.server.setFaults({ sequence: ["lost"] });
    await expect(list()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await list()).status).toBe(200);
  });

  it("a rate without kinds never draws lost: every image it let through was answered", async () => {
    const before = fx.server.service.counts().images;
    // Every request gets a fault; only "slow" lets one through, and it must be answered.
    fx.server.setFaults({ rate: 1, slowMs: 1, seed: 11 });
    let answered = 0;
    for (let i = 0; i < 70; i++) await createImage(fx.client).then(() => answered++, () => undefined);
    expect(answered).toBeGreaterThan(3);
    expect(fx.server.service.counts().images - before).toBe(answered);
  });

  it("applies faults before the operation: a faulted create makes nothing", async () => {
    const before = fx.server.service.counts().images;
    for (const kind of ["throttle", "internal", "unavailable", "drop", "malformed"] as const) {
      fx.server.setFaults({ sequence: [kind] });
      await createImage(fx.client).catch(() => undefined);
    }
    expect(fx.server.service.counts().images).toBe(before);
    fx.server.setFaults({ sequence: ["slow"], slowMs: 10 });
    await createImage(fx.client, imageInput());
    expect(fx.server.service.counts().images).toBe(before + 1);
  });

  it("draws faults at a seeded rate from the given kinds, repeatably", async () => {
    const statuses = async () => {
      fx.server.setFaults({ rate: 0.5, kinds: ["throttle", "internal"], seed: 7 });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await list()).status);
      return out;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(5);
    expect(first.filter((s) => s === 429).length).toBeGreaterThan(2);
    expect(first.filter((s) => s === 500).length).toBeGreaterThan(2);
    expect(first.every((s) => [200, 429, 500].includes(s))).toBe(true);
    fx.server.setFaults({ rate: 1, kinds: ["none"] });
    expect((await list()).status).toBe(200);
  });

  it("counts every request, faulted ones included", async () => {
    const before = fx.server.requestCount();
    fx.server.setFaults({ sequence: ["throttle", "none"] });
    await list();
    await list();
    expect(fx.server.requestCount()).toBe(before + 2);
  });
});

describe("request log", () => {
  it("reports each request once with its status, error type and duration, drops as status 0", async () => {
    const entries: { method: string; url: string; status: number; errorType?: string }[] = [];
    const { startLocalServer } = await import("../../src/local/index");
    const server = await startLocalServer({ transitionMs: 0, faults: { sequence: ["none", "throttle", "drop"] }, onRequest: (e) => entries.push(e) });
    try {
      await rawRequest(server, { method: "GET", path: "/2025-09-09/microvms?maxResults=5" });
      await rawRequest(server, { method: "GET", path: "/2025-09-09/microvms" });
      await rawRequest(server, { method: "GET", path: "/2025-09-09/microvms" }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 20));
      expect(entries.map((e) => [e.method, e.url, e.status, e.errorType])).toEqual([
        ["GET", "/2025-09-09/microvms?maxResults=5", 200, undefined],
        ["GET", "/2025-09-09/microvms", 429, "ThrottlingException"],
        ["GET", "/2025-09-09/microvms", 0, undefined],
      ]);
    } finally {
      await server.stop();
    }
  });
});
