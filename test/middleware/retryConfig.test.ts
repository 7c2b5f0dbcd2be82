/** Where retry settings come from, custom strategies, and the per-client retry quota. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ConfiguredRetryStrategy, StandardRetryStrategy } from "@smithy/core/retry";
import { GetMicrovmCommand, LambdaMicrovmsClient, LambdaMicrovmsServiceException, type LambdaMicrovmsClientConfig } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
const OK = { status: 200, body: JSON.stringify({ microvmId: "mvm-1", state: "RUNNING" }) };
const UNAVAILABLE = { status: 503, body: "<html>Service Unavailable</html>" };
const CREDENTIALS = { accessKeyId: "AKID", secretAccessKey: "SECRET" };

beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function client(config: LambdaMicrovmsClientConfig = {}): LambdaMicrovmsClient {
  return new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: CREDENTIALS, ...config });
}

/** Sends one GetMicrovm; returns the output or the error, and how many requests it made. */
async function call(c: LambdaMicrovmsClient, options?: { abortSignal?: AbortSignal }) {
  const before = server.requests.length;
  const result = await c.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }), options).catch((e: unknown) => e);
  return { result: result as { name?: string; $metadata: { httpStatusCode?: number; attempts?: number; totalRetryDelay?: number } }, requests: server.requests.length - before };
}

describe("settings", () => {
  it("AWS_MAX_ATTEMPTS and AWS_RETRY_MODE apply when the options are absent; options win", async () => {
    vi.stubEnv("AWS_MAX_ATTEMPTS", "2");
    vi.stubEnv("AWS_RETRY_MODE", "adaptive");
    server.respond(UNAVAILABLE);
    const c = client();
    expect((await call(c)).requests).toBe(2);
    expect(server.requests.at(-1)!.headers["amz-sdk-request"]).toBe("attempt=2; max=2");
    c.destroy();
    const d = client({ maxAttempts: 1 });
    expect((await call(d)).requests).toBe(1);
    d.destroy();
  });

  it("reads max_attempts and retry_mode from the shared config file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retry-profile-"));
    try {
      writeFileSync(join(dir, "config"), "[profile ops]\nmax_attempts = 4\nretry_mode = standard\n");
      writeFileSync(join(dir, "credentials"), "");
      vi.stubEnv("AWS_CONFIG_FILE", join(dir, "config"));
      vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(dir, "credentials"));
      vi.stubEnv("AWS_MAX_ATTEMPTS", undefined as unknown as string);
      vi.stubEnv("AWS_RETRY_MODE", undefined as unknown as string);
      vi.spyOn(Math, "random").mockReturnValue(0);
      server.respond(UNAVAILABLE);
      // Credentials from a provider and no region option: the profile is consulted.
      vi.stubEnv("AWS_REGION", "us-east-1");
      const c = new LambdaMicrovmsClient({ endpoint: server.endpoint, profile: "ops", credentials: async () => CREDENTIALS });
      const { result, requests } = await call(c);
      c.destroy();
      expect(requests).toBe(4);
      expect(result.$metadata.attempts).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects an unknown retry mode or a bad maxAttempts at the call, naming the option", async () => {
    const before = server.requests.length;
    const bad = client({ retryMode: "agressive" });
    await expect(bad.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }))).rejects.toThrow(/retryMode must be "standard" or "adaptive"/);
    bad.destroy();
    const zero = client({ maxAttempts: 0 });
    await expect(zero.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }))).rejects.toThrow(/maxAttempts must be a positive integer/);
    zero.destroy();
    expect(server.requests.length).toBe(before);
  });
});

describe("a custom retryStrategy", () => {
  it("decides the attempts and delays; totalRetryDelay counts the strategy's own waits", async () => {
    server.respond(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, OK);
    const c = client({ retryStrategy: new ConfiguredRetryStrategy(4, 20) });
    const started = Date.now();
    const { result, requests } = await call(c);
    c.destroy();
    expect(requests).toBe(4);
    expect(result.$metadata.attempts).toBe(4);
    expect(result.$metadata.totalRetryDelay).toBe(60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(server.requests.at(-1)!.headers["amz-sdk-request"]).toBe("attempt=4; max=4");
  });

  it("stops where the strategy refuses, with the last error", async () => {
    server.respond(UNAVAILABLE);
    const c = client({ retryStrategy: new StandardRetryStrategy(2) });
    vi.spyOn(Math, "random").mockReturnValue(0);
    const { result, requests } = await call(c);
    c.destroy();
    expect(requests).toBe(2);
    expect(result).toBeInstanceOf(LambdaMicrovmsServiceException);
    expect(result.$metadata).toMatchObject({ httpStatusCode: 503, attempts: 2, totalRetryDelay: 0 });
  });

  it("is cut by abort while the strategy waits, and no attempt follows", async () => {
    server.respond(UNAVAILABLE, OK);
    const c = client({ retryStrategy: new ConfiguredRetryStrategy(3, 5000) });
    const controller = new AbortController();
    const before = server.requests.length;
    const pending = call(c, { abortSignal: controller.signal });
    while (server.requests.length === before) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    const abortedAt = Date.now();
    controller.abort();
    const { result } = await pending;
    expect(result.name).toBe("AbortError");
    expect(Date.now() - abortedAt).toBeLessThan(100);
    await new Promise((r) => setTimeout(r, 200));
    c.destroy();
    expect(server.requests.length - before).toBe(1);
  });
});

describe("retry quota, per client", () => {
  it("a client whose 500 tokens are spent stops retrying; another client still retries; successes refill", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0); // no backoff waits
    server.respond(UNAVAILABLE);
    const c = client();
    // Each failing call spends 2 retries × 5 tokens: 50 calls spend all 500.
    for (let i = 0; i < 50; i++) expect((await call(c)).requests).toBe(3);
    const exhausted = await call(c);
    expect(exhausted.requests).toBe(1);
    expect(exhausted.result.$metadata.attempts).toBe(1);
    const other = client();
    expect((await call(other)).requests).toBe(3);
    other.destroy();
    // Five first-attempt successes give back 5 tokens: one retry is allowed again.
    server.respond(OK);
    for (let i = 0; i < 5; i++) await call(c);
    server.respond(UNAVAILABLE);
    expect((await call(c)).requests).toBe(2);
    c.destroy();
  });
});
