/** How a failure is put on a span, the same for calls, attempts, waiters and paginators. */
import type { Exception, Span } from "@opentelemetry/api";
import type { Api } from "./otel";
import { ERROR_TYPE } from "./semconv";

/** Runs `fn`, returning undefined instead of throwing: tracing must never fail a call. */
export function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** The error's name (`ResourceNotFoundException`, `TimeoutError`, `AbortError`), or `_OTHER`. */
export function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === "string" && name ? name : "_OTHER";
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : String(error);
}

/**
 * The exception as the span event records it. Typed by the error's name: the SDK would prefer a
 * `code`, which for an aborted call is DOMException's number 20.
 */
function exceptionOf(error: unknown): Exception {
  const stack = (error as { stack?: unknown } | undefined)?.stack;
  return { name: errorName(error), message: messageOf(error), ...(typeof stack === "string" ? { stack } : {}) };
}

/** Status ERROR with the error's message, an exception event and, unless given, `error.type`. */
export function recordFailure(api: Api, span: Span, error: unknown, type = errorName(error)): void {
  span.setAttribute(ERROR_TYPE, type);
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: messageOf(error) });
  span.recordException(exceptionOf(error));
}
