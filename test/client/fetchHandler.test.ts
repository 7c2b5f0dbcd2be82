/**
 * The client over smithy's FetchHttpHandler (the default outside Node.js, used here through
 * Node.js's own fetch against loopback servers): `requestTimeout` bounds the body as well as the
 * headers, and `abortSignal` stops a call at once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FetchHttpHandler } from "@smithy/fetch-http-handler";
import { GetMicrovmCommand, LambdaMicrovmsClient } from "../../src/index";

const servers: Server[] = [];
const stalled: ServerResponse[] = [];
afterEach(async () => {
  for (const res of stalled.splice(0)) res.destroy();
  await Promise.all(servers.splice(0).map((s) => (s.closeAllConnections(), new Promise((r) => s.close(r)))));
});

/** A server that sends the head and the first bytes of a body, then nothing more. */
async function stallingBody(): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": 100 });
    res.write('{"microvmId":"mvm-1"');
    stalled.push(res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const client = (endpoint: string, requestTimeout: number) =>
  new LambdaMicrovmsClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    maxAttempts: 1,
    requestTimeout,
    requestHandler: new FetchHttpHandler({ requestTimeout }),
  });

describe("FetchHttpHandler", () => {
  it("a body that stalls after the headers fails the attempt with a TimeoutError at requestTimeout", async () => {
    const error = (await client(await stallingBody(), 300).send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" })).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("TimeoutError");
    expect(error.message).toMatch(/requestTimeout \(300 ms\) while reading the response body/);
  });

  it("abortSignal stops a call whose body stalls, at once", async () => {
    const controller = new AbortController();
    const call = client(await stallingBody(), 0).send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }), { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
  });
});
