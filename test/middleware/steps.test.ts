/**
 * The serialize, build, finalize and deserialize middleware as functions (calls through the
 * client mostly take its fast path, which does not run them): what each one does to the request
 * or response, and that a request that is not HTTP passes through untouched.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Readable } from "node:stream";
import { constructStack } from "@smithy/core/client";
import { HttpRequest, HttpResponse } from "@smithy/core/transport";
import type { RequestSigner } from "@smithy/types";
import * as official from "@aws-sdk/client-lambda-microvms";
import { getHeadersPlugin } from "../../src/middleware/headers";
import { deserializerMiddleware } from "../../src/middleware/serde";
import { signingMiddleware } from "../../src/middleware/signing";
import { GetMicrovmOperation } from "../../src/protocol/schema.generated";
import { registerShapes } from "../../src/protocol/schema";
import { GetMicrovmCommand, LambdaMicrovmsClient } from "../../src/index";
import { startCaptureServer } from "../helpers/captureServer";

afterEach(() => void vi.useRealTimers());
registerShapes(GetMicrovmOperation.shapes);

const request = (body?: unknown) => new HttpRequest({ hostname: "example.com", port: 8443, path: "/", body });

/** Runs the build step of the headers plugin over `req`; returns what reached the handler. */
async function build(req: unknown, bodyLength: (body: unknown) => number | undefined = () => 7) {
  const stack = constructStack<any, any>();
  stack.use(getHeadersPlugin({ bodyLengthChecker: bodyLength, userAgent: async () => "ua/1" }));
  let seen: unknown;
  const handler = stack.resolve(async (args) => {
    seen = args.request;
    return { response: {}, output: {} };
  }, {} as never);
  await handler({ input: {}, request: req } as never);
  return seen as HttpRequest;
}

describe("build step", () => {
  it("sets content length, user agents and host on an HTTP request", async () => {
    const sent = await build(request("{}"));
    expect(sent.headers).toMatchObject({ "content-length": "7", "user-agent": "ua/1", host: "example.com:8443" });
    expect(sent.headers["x-amz-user-agent"]).toMatch(/^lambda-microvms\/\d/);
  });

  it("sets no content length when the body's length cannot be told, nor without a body", async () => {
    expect((await build(request(Readable.from(["x"])), () => undefined)).headers).not.toHaveProperty("content-length");
    expect((await build(request())).headers).not.toHaveProperty("content-length");
  });

  it("leaves a request that is not HTTP as it is", async () => {
    const plain = { headers: {} };
    expect(await build(plain)).toBe(plain);
    expect(plain.headers).toEqual({});
  });
});

describe("signing step", () => {
  it("signs each attempt with the corrected clock, the signing region and the service's name", async () => {
    vi.useFakeTimers({ now: Date.parse("2026-01-01T00:00:00Z") });
    const calls: object[] = [];
    const signer: RequestSigner = { sign: async (req, options) => (calls.push(options ?? {}), Object.assign(req, { signed: true })) };
    const middleware = signingMiddleware({ signer: async () => signer, systemClockOffset: 5000 }, async () => ({ region: "us-east-1", signingRegion: "eu-west-1", url: new URL("https://h") }));
    let seen: unknown;
    await middleware(async (args) => ((seen = args.request), { response: {}, output: {} as never }), {} as never)({ input: {}, request: request() });
    expect(calls).toEqual([{ signingDate: new Date("2026-01-01T00:00:05Z"), signingRegion: "eu-west-1", signingService: "lambda" }]);
    expect(seen).toMatchObject({ signed: true });
    const plain = { input: {}, request: { not: "http" } };
    let passed: unknown;
    await middleware(async (args) => ((passed = args), { response: {}, output: {} as never }), {} as never)(plain as never);
    expect(passed).toBe(plain);
    expect(calls).toHaveLength(1);
  });
});

describe("deserialize step", () => {
  const context = { operationSchema: GetMicrovmOperation } as never;
  const respond = (statusCode: number, body: unknown, collect?: (body: unknown) => Promise<Uint8Array>) =>
    deserializerMiddleware(collect as never)(async () => ({ response: new HttpResponse({ statusCode, headers: { "x-amzn-requestid": "r-1" }, body }), output: undefined as never }), context)({
      input: {},
      request: request(),
    });

  it("takes 2xx as output and anything else as an error", async () => {
    await expect(respond(200, '{"microvmId":"m"}')).resolves.toMatchObject({ output: { microvmId: "m", $metadata: { httpStatusCode: 200, requestId: "r-1" } } });
    await expect(respond(299, '{"microvmId":"m"}')).resolves.toMatchObject({ output: { microvmId: "m" } });
    for (const status of [199, 300, 404, 500]) {
      await expect(respond(status, '{"message":"no"}')).rejects.toMatchObject({ $metadata: { httpStatusCode: status } });
    }
  });

  it("reads a streamed body with the caller's streamCollector, and a text or bytes body without it", async () => {
    const collected: unknown[] = [];
    const collect = async (body: unknown) => (collected.push(body), new TextEncoder().encode('{"microvmId":"s"}'));
    await expect(respond(200, Readable.from(["ignored"]), collect)).resolves.toMatchObject({ output: { microvmId: "s" } });
    expect(collected).toHaveLength(1);
    await expect(respond(200, '{"microvmId":"t"}', collect)).resolves.toMatchObject({ output: { microvmId: "t" } });
    await expect(respond(200, new TextEncoder().encode('{"microvmId":"b"}'), collect)).resolves.toMatchObject({ output: { microvmId: "b" } });
    await expect(respond(200, undefined, collect)).resolves.toMatchObject({ output: {} });
    expect(collected).toHaveLength(1);
    await expect(respond(200, Readable.from(['{"microvmId":"n"}']))).resolves.toMatchObject({ output: { microvmId: "n" } });
  });

  it("keeps the raw response on an error with the official client's property flags", async () => {
    const server = await startCaptureServer();
    try {
      server.respond({ status: 404, headers: { "x-amzn-errortype": "ResourceNotFoundException" }, body: '{"message":"gone"}' });
      const cfg = { region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 };
      const ours = new LambdaMicrovmsClient(cfg);
      ours.middlewareStack.add((next) => next, { name: "userAdded", step: "build" }); // the smithy path, where this middleware runs
      const theirs = new official.LambdaMicrovmsClient(cfg);
      const [mine, reference] = await Promise.all([
        ours.send(new GetMicrovmCommand({ microvmIdentifier: "m" })).catch((e: unknown) => e),
        theirs.send(new official.GetMicrovmCommand({ microvmIdentifier: "m" })).catch((e: unknown) => e),
      ]);
      ours.destroy();
      theirs.destroy();
      const flags = (e: unknown) => {
        const { enumerable, writable, configurable } = Object.getOwnPropertyDescriptor(e, "$response")!;
        return { enumerable, writable, configurable };
      };
      expect(flags(mine)).toEqual(flags(reference));
      expect((mine as { $response: HttpResponse }).$response.statusCode).toBe(404);
    } finally {
      await server.close();
    }
  });
});
