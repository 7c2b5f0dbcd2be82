/** Errors of the HTTP transports, shaped as smithy's NodeHttpHandler shapes them. */
import type { HttpHandlerOptions } from "@smithy/types";

/** Socket errors smithy's NodeHttpHandler reports as `TimeoutError`. */
const TIMEOUT_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT"]);

/** A limit that ran out; the retry loop treats `TimeoutError` as a timeout. */
export function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { name: "TimeoutError", code: "ETIMEDOUT" });
}

/** A socket error, renamed as NodeHttpHandler renames it, so that errors match the official client's. */
export function socketError(error: Error & { code?: string }): Error {
  if (error.code !== undefined && TIMEOUT_CODES.has(error.code)) error.name = "TimeoutError";
  return error;
}

/** Node's error when a connection closes before the response is complete. */
export function connectionClosedError(started: boolean): Error {
  return socketError(Object.assign(new Error(started ? "aborted" : "socket hang up"), { code: "ECONNRESET" }));
}

/** A request still waiting for a connection when the handler was destroyed (not retried: nothing was sent). */
export function handlerDestroyedError(): Error {
  return Object.assign(new Error("The HTTP handler was destroyed before this request got a connection."), { code: "ERR_HTTP_HANDLER_DESTROYED" });
}

/** The error smithy's handlers give for an aborted request, keeping the signal's reason. */
export function abortError(signal: HttpHandlerOptions["abortSignal"]): Error {
  const reason: unknown = signal && "reason" in signal ? (signal as { reason?: unknown }).reason : undefined;
  const error = new Error(reason !== undefined && !(reason instanceof Error) ? String(reason) : "Request aborted");
  error.name = "AbortError";
  if (reason instanceof Error) error.cause = reason;
  return error;
}
