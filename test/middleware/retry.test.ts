/** The retry loop against scripted loopback servers: what a user sees under faults. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetMicrovmCommand, LambdaMicrovmsClient, LambdaMicrovmsServiceException, RunMicrovmCommand, type LambdaMicrovmsClientConfig } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
const OK = { status: 200, body: JSON.stringify({ microvmId: "mvm-1", state: "RUNNING" }) };
const UNAVAILABLE = { status: 503, body: "<html>Service Unavailable</html>" };

beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());

function client(config: LambdaMicrovmsClientConfig = {}): LambdaMicrovmsClient {
  return new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" }, ...config });
}

async function withClient<T>(config: LambdaMicrovmsClientConfig, fn: (c: LambdaMicrovmsClient) => Promise<T>): Promise<T> {
  const c = client(config);
  try {
    return await fn(c);
  } finally {
    c.destroy();
  }
}

const get = (c: LambdaMicrovmsClient, options?: { abortSignal?: AbortSignal }) => c.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }), options);

describe("retries", () => {
  it("succeeds after 503, 503, 200 with attempts 3 and every attempt signed afresh", async () => {
    server.respond(UNAVAILABLE, UNAVAILABLE, OK);
    const before = server.requests.length;
    const out = await withClient({}, get);
    expect(out.$metadata.attempts).toBe(3);
    expect(out.$metadata.totalRetryDelay).toBeGreaterThanOrEqual(0);
    const sent = server.requests.slice(before);
    expect(sent.map((r) => r.headers["amz-sdk-request"])).toEqual(["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]);
    expect(new Set(sent.map((r) => r.headers["amz-sdk-invocation-id"])).size).toBe(1);
    expect(sent.every((r) => String(r.headers.authorization).includes("amz-sdk-request"))).toBe(true);
  });

  it("waits at least Retry-After (2 s) after a 429", async () => {
    server.respond({ status: 429, headers: { "x-amzn-errortype": "ThrottlingException", "retry-after": "2" }, body: '{"message":"slow down"}' }, OK);
    const started = Date.now();
    const out = await withClient({}, get);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(out.$metadata.attempts).toBe(2);
    expect(out.$metadata.totalRetryDelay).toBeGreaterThanOrEqual(2000);
  });

  it("caps Retry-After at maxRetryAfterSeconds", async () => {
    server.respond({ status: 429, headers: { "x-amzn-errortype": "ThrottlingException", "retry-after": "60" }, body: "{}" }, OK);
    const started = Date.now();
    const out = await withClient({ maxRetryAfterSeconds: 0.2 }, get);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(out.$metadata.attempts).toBe(2);
  });

  it("sends one clientToken on every attempt through a 500 and a dropped connection", async () => {
    server.respond({ status: 500, headers: { "x-amzn-errortype": "InternalServerException" }, body: "{}" }, { drop: true }, OK);
    const before = server.requests.length;
    const out = await withClient({}, (c) => c.send(new RunMicrovmCommand({ imageIdentifier: "img" })));
    expect(out.$metadata.attempts).toBe(3);
    const tokens = server.requests.slice(before).map((r) => JSON.parse(r.body).clientToken);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
  });

  it("cuts a hung response at requestTimeout and retries", async () => {
    server.respond({ ...OK, delayMs: 3000 }, OK);
    const started = Date.now();
    const out = await withClient({ requestTimeout: 200 }, get);
    expect(out.$metadata.attempts).toBe(2);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("stops at maxAttempts on a persistent 503 with a typed error", async () => {
    server.respond(UNAVAILABLE);
    const before = server.requests.length;
    const error = await withClient({ maxAttempts: 4 }, get).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaMicrovmsServiceException);
    const e = error as LambdaMicrovmsServiceException;
    expect(e.$metadata.httpStatusCode).toBe(503);
    expect(e.$metadata.attempts).toBe(4);
    expect(server.requests.length - before).toBe(4);
  });

  it("never retries client errors", async () => {
    for (const code of ["ValidationException", "AccessDeniedException", "ResourceNotFoundException", "ConflictException", "ServiceQuotaExceededException"]) {
      server.respond({ status: code === "ResourceNotFoundException" ? 404 : 400, headers: { "x-amzn-errortype": code }, body: "{}" });
      const before = server.requests.length;
      const error = (await withClient({}, get).catch((e: unknown) => e)) as LambdaMicrovmsServiceException;
      expect(error.name).toBe(code);
      expect(error.$metadata.attempts).toBe(1);
      expect(server.requests.length - before).toBe(1);
    }
  });

  it("abort during a backoff sleep stops within 100 ms and sends nothing more", async () => {
    server.respond({ status: 429, headers: { "x-amzn-errortype": "ThrottlingException", "retry-after": "5" }, body: "{}" }, OK);
    const before = server.requests.length;
    const controller = new AbortController();
    await withClient({}, async (c) => {
      const pending = get(c, { abortSignal: controller.signal }).catch((e: unknown) => e);
      while (server.requests.length === before) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      const abortedAt = Date.now();
      controller.abort();
      const error = (await pending) as Error;
      expect(error.name).toBe("AbortError");
      expect(Date.now() - abortedAt).toBeLessThan(100);
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(server.requests.length - before).toBe(1);
  });

  it("abort while a request is in flight rejects at once", async () => {
    server.respond({ ...OK, delayMs: 2000 });
    const controller = new AbortController();
    await withClient({}, async (c) => {
      const pending = get(c, { abortSignal: controller.signal }).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 100));
      const abortedAt = Date.now();
      controller.abort();
      const error = (await pending) as Error;
      expect(error.name).toBe("AbortError");
      expect(Date.now() - abortedAt).toBeLessThan(100);
    });
  });
});
