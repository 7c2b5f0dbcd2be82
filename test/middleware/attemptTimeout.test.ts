/**
 * The attempt timeout as a middleware function, on a fake clock: when it fires, that it is
 * measured from the moment the attempt was handed down (not from when the headers arrived), and
 * that a body read to its end leaves no timer behind.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Readable } from "node:stream";
import { constructStack } from "@smithy/core/client";
import { attemptTimeoutError, attemptTimeoutMiddleware, DEFAULT_REQUEST_TIMEOUT_MS, getAttemptTimeoutPlugin } from "../../src/middleware/attemptTimeout";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs the middleware over a handler that answers with `body` after `handlerMs` of fake time. */
async function attempt(timeoutMs: number, body: unknown, handlerMs = 0) {
  const handler = attemptTimeoutMiddleware(timeoutMs)(async () => {
    await vi.advanceTimersByTimeAsync(handlerMs);
    return { response: { statusCode: 200, headers: {}, body }, output: undefined as never };
  }, {} as never);
  const result = await handler({ input: {}, request: {} as never });
  return (result.response as { body: unknown }).body;
}

const stalledNodeStream = () => {
  const stream = new Readable({ read() {} });
  stream.push("{");
  return stream;
};

describe("attempt timeout", () => {
  it("destroys a stalled Node stream when the attempt's time is up, counting the time before the headers", async () => {
    const body = stalledNodeStream();
    const errors: Error[] = [];
    body.on("error", (e) => errors.push(e));
    await attempt(1000, body, 300);
    await vi.advanceTimersByTimeAsync(699);
    expect(body.destroyed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(body.destroyed).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ name: "TimeoutError", code: "ETIMEDOUT", message: "The attempt exceeded requestTimeout (1000 ms) while reading the response body." });
  });

  it("a handler that already took the whole time leaves the body none", async () => {
    const body = stalledNodeStream();
    body.on("error", () => undefined);
    await attempt(100, body, 250);
    expect(body.destroyed).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(body.destroyed).toBe(true);
  });

  it.each(["end", "close", "error"] as const)("a Node body that emits %s stops the timer", async (event) => {
    const body = stalledNodeStream();
    body.on("error", () => undefined);
    await attempt(1000, body);
    expect(vi.getTimerCount()).toBe(1);
    body.emit(event, ...(event === "error" ? [new Error("x")] : []));
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(body.destroyed).toBe(false);
  });

  it("a Node body already read or destroyed gets no timer", async () => {
    const ended = Readable.from(["{}"]);
    ended.resume();
    await new Promise((resolve) => ended.once("end", resolve));
    await attempt(1000, ended);
    expect(vi.getTimerCount()).toBe(0);
    const destroyed = stalledNodeStream();
    destroyed.destroy();
    await attempt(1000, destroyed);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a web stream body is passed through, and fails with the TimeoutError when it stalls", async () => {
    const source = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new Uint8Array([123])) });
    const body = (await attempt(500, source, 100)) as ReadableStream<Uint8Array>;
    expect(body).not.toBe(source);
    const reader = body.getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([123]));
    const next = reader.read().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(399);
    let settled = false;
    void next.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await next).toMatchObject({ name: "TimeoutError", message: "The attempt exceeded requestTimeout (500 ms) while reading the response body." });
  });

  it("a web stream read to its end clears its timer", async () => {
    const source = new ReadableStream<Uint8Array>({
      start: (c) => {
        c.enqueue(new Uint8Array([1]));
        c.close();
      },
    });
    const body = (await attempt(500, source)) as ReadableStream<Uint8Array>;
    const reader = body.getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1]));
    expect((await reader.read()).done).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a web stream that fails clears its timer too", async () => {
    const source = new ReadableStream<Uint8Array>({ start: (c) => c.error(new Error("gone")) });
    const body = (await attempt(500, source)) as ReadableStream<Uint8Array>;
    await expect(body.getReader().read()).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("bodies that are not streams, and answers without a body, are left as they are", async () => {
    const bytes = new Uint8Array([1, 2]);
    expect(await attempt(500, bytes)).toBe(bytes);
    expect(await attempt(500, "text")).toBe("text");
    expect(await attempt(500, undefined)).toBeUndefined();
    const noResponse = attemptTimeoutMiddleware(500)(async () => ({ response: undefined, output: undefined as never }), {} as never);
    await expect(noResponse({ input: {}, request: {} as never })).resolves.toMatchObject({ response: undefined });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the error names the configured time", () => {
    expect(attemptTimeoutError(42)).toMatchObject({ name: "TimeoutError", code: "ETIMEDOUT", message: "The attempt exceeded requestTimeout (42 ms) while reading the response body." });
  });
});

describe("getAttemptTimeoutPlugin", () => {
  const installed = (requestTimeout: number | undefined) => {
    const stack = constructStack<object, object>();
    stack.add((next) => next, { step: "deserialize", name: "deserializerMiddleware" });
    getAttemptTimeoutPlugin(requestTimeout).applyToStack(stack);
    stack.add((next) => next, { step: "deserialize", name: "addedLater" });
    return stack.identify();
  };

  it("goes innermost in the deserialize step unless requestTimeout is 0 or less", () => {
    const withTimeout = ["deserializerMiddleware - deserialize", "addedLater - deserialize", "attemptTimeoutMiddleware - deserialize"];
    expect(installed(undefined)).toEqual(withTimeout);
    expect(installed(10)).toEqual(withTimeout);
    expect(installed(0)).toEqual(["deserializerMiddleware - deserialize", "addedLater - deserialize"]);
    expect(installed(-1)).toEqual(["deserializerMiddleware - deserialize", "addedLater - deserialize"]);
  });

  it("defaults to the handler's 30 s", async () => {
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(30_000);
    let middleware: ((next: never) => (args: never) => Promise<unknown>) | undefined;
    getAttemptTimeoutPlugin(undefined).applyToStack({ add: (m: never) => (middleware = m) } as never);
    const body = stalledNodeStream();
    body.on("error", () => undefined);
    await middleware!((async () => ({ response: { body } })) as never)({} as never);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(body.destroyed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(body.destroyed).toBe(true);
  });
});
