/**
 * Deserialize step, innermost (next to the HTTP handler): keeps `requestTimeout` in force while
 * a streamed response body is read. The default handler bounds the whole attempt itself, but a
 * handler passed in (smithy's NodeHttpHandler) stops its timer when the headers arrive, so a
 * body that stalls or trickles after them would otherwise hold the call forever. When the
 * attempt's time is up the body stream is destroyed with a TimeoutError, which the retry loop
 * retries like any other timeout.
 */
import type { DeserializeMiddleware, Pluggable } from "@smithy/types";
import { isWebStream } from "../client/codecs";

/** The default of `requestTimeout`, in milliseconds (also the default handler's). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface BodyStream {
  destroy(error?: Error): unknown;
  once(event: string, listener: () => void): unknown;
  readonly destroyed?: boolean;
  readonly readableEnded?: boolean;
}

const isBodyStream = (body: unknown): body is BodyStream =>
  typeof body === "object" && body !== null && typeof (body as BodyStream).destroy === "function" && typeof (body as BodyStream).once === "function";

/** The error an attempt fails with when its time is up (named like the handler's own). */
export function attemptTimeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`The attempt exceeded requestTimeout (${timeoutMs} ms) while reading the response body.`), {
    name: "TimeoutError",
    code: "ETIMEDOUT",
  });
}

function guard(body: BodyStream, remainingMs: number, timeoutMs: number): void {
  if (body.destroyed || body.readableEnded) return;
  const timer = setTimeout(() => body.destroy(attemptTimeoutError(timeoutMs)), Math.max(0, remainingMs));
  timer.unref?.();
  const clear = (): void => clearTimeout(timer);
  body.once("end", clear);
  body.once("close", clear);
  body.once("error", clear);
}

/** `body` read through a stream that fails with the TimeoutError once the attempt's time is up. */
function guardedWebStream(body: ReadableStream<Uint8Array>, remainingMs: number, timeoutMs: number): ReadableStream<Uint8Array> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(attemptTimeoutError(timeoutMs)), Math.max(0, remainingMs));
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  body.pipeTo(writable, { signal: stop.signal }).then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );
  return readable;
}

/** Bounds each attempt, body included, by `timeoutMs` from the moment it is handed to the handler. */
export function attemptTimeoutMiddleware(timeoutMs: number): DeserializeMiddleware<any, any> {
  return (next) => async (args) => {
    const started = Date.now();
    const result = await next(args);
    const response = result.response as { body?: unknown } | undefined;
    const body: unknown = response?.body;
    const remainingMs = timeoutMs - (Date.now() - started);
    if (isBodyStream(body)) guard(body, remainingMs, timeoutMs);
    else if (isWebStream(body)) response!.body = guardedWebStream(body, remainingMs, timeoutMs);
    return result;
  };
}

/** `requestTimeout` 0 (or less) turns the bound off. */
export function getAttemptTimeoutPlugin(requestTimeout: number | undefined): Pluggable<any, any> {
  const timeoutMs = requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    applyToStack(stack) {
      if (timeoutMs > 0) stack.add(attemptTimeoutMiddleware(timeoutMs), { step: "deserialize", name: "attemptTimeoutMiddleware", priority: "low", override: true });
    },
  };
}
