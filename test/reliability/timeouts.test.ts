/** Every attempt is bounded: a body that stalls or trickles after the headers, and abort mid-body. */
import { afterEach, expect, it } from "vitest";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { GetMicrovmCommand, LambdaMicrovmsClient } from "../../src/index";
import { startStallServer, type StallServer } from "../helpers/stallServer";

const BODY = JSON.stringify({ microvmId: "mvm-1", state: "RUNNING" });
let server: StallServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function client(endpoint: string, requestTimeout: number, requestHandler?: NodeHttpHandler): LambdaMicrovmsClient {
  return new LambdaMicrovmsClient({ region: "us-east-1", endpoint, credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" }, requestTimeout, requestHandler });
}

// The default handler bounds the whole attempt itself; with NodeHttpHandler (whose timer stops at
// the headers) the attempt-timeout middleware bounds the body.
it.each([
  ["the default handler", () => undefined],
  ["NodeHttpHandler", () => new NodeHttpHandler({ requestTimeout: 300 })],
])("a body that stalls after the headers is cut at requestTimeout and retried, with %s", async (_, handler) => {
  server = await startStallServer({ stalls: 1, body: BODY });
  const c = client(server.endpoint, 300, handler());
  const started = Date.now();
  const out = await c.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }));
  const elapsed = Date.now() - started;
  c.destroy();
  expect(out.$metadata.attempts).toBe(2);
  expect(server.count()).toBe(2);
  expect(elapsed).toBeGreaterThanOrEqual(290);
  expect(elapsed).toBeLessThan(1500);
});

it("a body that trickles a byte every 50 ms is still cut at requestTimeout", async () => {
  server = await startStallServer({ stalls: 5, body: BODY, trickleMs: 50 });
  const c = client(server.endpoint, 300);
  const started = Date.now();
  const error = (await c.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" })).catch((e: unknown) => e)) as Error & { $metadata?: { attempts?: number } };
  const elapsed = Date.now() - started;
  c.destroy();
  expect(error.name).toBe("TimeoutError");
  expect(error.$metadata?.attempts).toBe(3);
  expect(server.count()).toBe(3);
  expect(elapsed).toBeLessThan(3000);
});

it("abort while the body is being read rejects at once", async () => {
  server = await startStallServer({ stalls: 1, body: BODY });
  const c = client(server.endpoint, 10_000);
  const controller = new AbortController();
  const pending = c.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }), { abortSignal: controller.signal }).catch((e: unknown) => e);
  while (server.count() === 0) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50));
  const abortedAt = Date.now();
  controller.abort();
  const error = (await pending) as Error;
  c.destroy();
  expect(error.name).toBe("AbortError");
  expect(Date.now() - abortedAt).toBeLessThan(100);
  expect(server.count()).toBe(1);
});

it("a refused connection is retried up to maxAttempts and ends with a typed network error", async () => {
  const closed = await startStallServer({ stalls: 0, body: BODY });
  const endpoint = closed.endpoint;
  await closed.close(); // nothing listens on that port now
  const c = client(endpoint, 1000);
  const error = (await c.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" })).catch((e: unknown) => e)) as Error & { code?: string; $metadata?: { attempts?: number } };
  c.destroy();
  expect(error.code).toBe("ECONNREFUSED");
  expect(error.$metadata?.attempts).toBe(3);
});
