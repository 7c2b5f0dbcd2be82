/**
 * The client's own middleware seen from a request handler that answers in memory: the headers and
 * path of what would be sent, the idempotency token, what a logger without every method gets, the
 * error's raw response, and a `streamCollector` of the caller's.
 */
import { Readable } from "node:stream";
import { HttpResponse, type HttpRequest } from "@smithy/core/transport";
import { describe, expect, it } from "vitest";
import { GetMicrovmCommand, LambdaMicrovmsClient, ListMicrovmsCommand, RunMicrovmCommand, type LambdaMicrovmsClientConfig } from "../../src/index";
import { PACKAGE_VERSION } from "../../src/client/version";

interface Answer {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A client whose handler records each request and answers with `answer` (or throws what it holds). */
function inMemory(answer: Answer | { throws: unknown } = {}, options: Partial<LambdaMicrovmsClientConfig> = {}) {
  const sent: HttpRequest[] = [];
  const client = new LambdaMicrovmsClient({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:4566",
    credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: HttpRequest) => {
        sent.push(request);
        if ("throws" in answer) throw answer.throws;
        return { response: new HttpResponse({ statusCode: answer.statusCode ?? 200, headers: answer.headers ?? {}, body: answer.body ?? "{}" }) };
      },
    },
    ...options,
  });
  return { client, sent };
}

describe("build-step headers", () => {
  it("content-length is the body's length in bytes, and only when there is a body", async () => {
    const { client, sent } = inMemory({ body: JSON.stringify({ microvmId: "mvm-1", state: "PENDING" }) });
    await client.send(new RunMicrovmCommand({ imageIdentifier: "img-é", clientToken: "token-0123456789" }));
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }));
    const [run, get] = sent;
    expect(run!.headers["content-length"]).toBe(String(Buffer.byteLength(run!.body as string)));
    expect(get!.headers["content-length"]).toBeUndefined();
  });

  it("a content-length, host or trace header the caller's middleware set is kept", async () => {
    const { client, sent } = inMemory();
    client.middlewareStack.add(
      (next) => (args) => {
        Object.assign((args.request as HttpRequest).headers, { "content-length": "999", host: "elsewhere.example" });
        return next(args);
      },
      { step: "build", priority: "high", name: "callerHeaders" },
    );
    await client.send(new RunMicrovmCommand({ imageIdentifier: "img", clientToken: "token-0123456789" }));
    expect(sent[0]!.headers).toMatchObject({ "content-length": "999", host: "elsewhere.example" });
  });

  it("host carries the endpoint's port when it has one; the path keeps the endpoint's base path", async () => {
    const withPort = inMemory();
    await withPort.client.send(new ListMicrovmsCommand({}));
    expect(withPort.sent[0]!.headers.host).toBe("127.0.0.1:4566");
    for (const endpoint of ["https://gateway.example/base", "https://gateway.example/base/"]) {
      const { client, sent } = inMemory({}, { endpoint });
      await client.send(new ListMicrovmsCommand({}));
      expect(sent[0]!.headers.host).toBe("gateway.example");
      expect(sent[0]!.path).toBe("/base/2025-09-09/microvms");
    }
  });

  it("x-amz-user-agent names this package and its version", async () => {
    const { client, sent } = inMemory();
    await client.send(new ListMicrovmsCommand({}));
    expect(sent[0]!.headers["x-amz-user-agent"]).toBe(`lambda-microvms/${PACKAGE_VERSION}`);
  });

  it("outside a Lambda function no trace header is sent, even with a trace id in the environment", async () => {
    process.env._X_AMZN_TRACE_ID = "Root=1-00000000-000000000000000000000001";
    try {
      const { client, sent } = inMemory();
      await client.send(new ListMicrovmsCommand({}));
      expect(Object.keys(sent[0]!.headers).map((h) => h.toLowerCase())).not.toContain("x-amzn-trace-id");
    } finally {
      delete process.env._X_AMZN_TRACE_ID;
    }
  });
});

describe("idempotency token", () => {
  it("is filled when missing, without changing the caller's input; a given one is sent as it is", async () => {
    const { client, sent } = inMemory({ body: JSON.stringify({ microvmId: "mvm-1" }) });
    const input = { imageIdentifier: "img" };
    await client.send(new RunMicrovmCommand(input));
    expect(input).toEqual({ imageIdentifier: "img" });
    expect(JSON.parse(sent[0]!.body as string).clientToken).toMatch(/^[0-9a-f-]{36}$/);
    await client.send(new RunMicrovmCommand({ imageIdentifier: "img", clientToken: "mine-0123456789" }));
    expect(JSON.parse(sent[1]!.body as string).clientToken).toBe("mine-0123456789");
  });
});

describe("logger", () => {
  it("a logger without info or error is left alone", async () => {
    const { client } = inMemory({ body: JSON.stringify({ items: [] }) }, { logger: {} as never });
    await expect(client.send(new ListMicrovmsCommand({}))).resolves.toMatchObject({ items: [] });
    const failing = inMemory({ throws: new Error("connection refused") }, { logger: {} as never });
    await expect(failing.client.send(new ListMicrovmsCommand({}))).rejects.toThrow("connection refused");
  });

  it("something thrown that is not an object is logged with no metadata", async () => {
    const errors: Record<string, unknown>[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (entry: Record<string, unknown>) => void errors.push(entry) };
    const { client } = inMemory({ throws: undefined }, { logger });
    await expect(client.send(new ListMicrovmsCommand({}))).rejects.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.metadata).toBeUndefined();
  });
});

describe("deserialize step", () => {
  it("an error response keeps the raw response on the error, out of its enumerable keys", async () => {
    const { client } = inMemory({ statusCode: 404, headers: { "x-amzn-errortype": "ResourceNotFoundException" }, body: '{"message":"no such MicroVM"}' });
    const error = (await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" })).catch((e: unknown) => e)) as Error & { $response: HttpResponse };
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.$response).toBeInstanceOf(HttpResponse);
    expect(error.$response).toMatchObject({ statusCode: 404, body: '{"message":"no such MicroVM"}' });
    expect(Object.keys(error)).not.toContain("$response");
  });

  it("a streamCollector of the caller's reads streamed bodies; text bodies do not go through it", async () => {
    let collected = 0;
    const streamCollector = async (stream: Readable) => {
      collected++;
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    };
    const streamed = inMemory({ body: Readable.from([Buffer.from('{"items":[{"microvmId":"mvm-9"}]}')]) }, { streamCollector: streamCollector as never });
    expect((await streamed.client.send(new ListMicrovmsCommand({}))).items).toEqual([{ microvmId: "mvm-9" }]);
    expect(collected).toBe(1);
    const text = inMemory({ body: '{"items":[]}' }, { streamCollector: streamCollector as never });
    await text.client.send(new ListMicrovmsCommand({}));
    expect(collected).toBe(1);
  });
});

describe("attempt timeout over a streamed body", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it("a web stream that stops mid-body fails the attempt with a TimeoutError at requestTimeout", async () => {
    const stalled = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(bytes('{"items":')) });
    const { client } = inMemory({ body: stalled }, { requestTimeout: 50 });
    const error = (await client.send(new ListMicrovmsCommand({})).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("TimeoutError");
    expect(error.message).toBe("The attempt exceeded requestTimeout (50 ms) while reading the response body.");
  });

  it("a Node stream that stops mid-body is destroyed with the same error", async () => {
    const stalled = new Readable({ read() {} });
    stalled.push('{"items":');
    const { client } = inMemory({ body: stalled }, { requestTimeout: 50 });
    await expect(client.send(new ListMicrovmsCommand({}))).rejects.toThrow("The attempt exceeded requestTimeout (50 ms) while reading the response body.");
    expect(stalled.destroyed).toBe(true);
  });

  it("requestTimeout 0 sets no bound: a slow body is read to its end", async () => {
    const slow = new ReadableStream<Uint8Array>({
      start: (c) => {
        c.enqueue(bytes('{"items":'));
        setTimeout(() => {
          c.enqueue(bytes("[]}"));
          c.close();
        }, 20);
      },
    });
    const { client } = inMemory({ body: slow }, { requestTimeout: 0 });
    await expect(client.send(new ListMicrovmsCommand({}))).resolves.toMatchObject({ items: [] });
  });
});
