/**
 * Finalize step, above signing: the retry loop. Each attempt is a fresh copy of the request,
 * signed anew below this middleware. Backoff sleeps honour the call's AbortSignal, and
 * `Retry-After` is waited for (up to a bound).
 *
 * Why not smithy's StandardRetryStrategy for the built-in modes: the installed version
 * (`@smithy/core` 3.41) applies its "2026" parameters (base 50 ms, throttling base 1 s, 14 tokens
 * a retry), caps `Retry-After` at the backoff + 5 s, and sleeps inside
 * `refreshRetryTokenForRetry` where no AbortSignal reaches. The issue fixes the classic values
 * (100/500 ms, 5/10 tokens) and wants abortable waits, so the few lines of backoff and quota are
 * here; smithy's DefaultRateLimiter is used as is for the adaptive mode, and any smithy
 * RetryStrategyV2 can still be plugged in through `retryStrategy`.
 */
import { HttpRequest } from "@smithy/protocol-http";
import type { FinalizeRequestMiddleware, MetadataBearer, Pluggable, ResponseMetadata, RetryStrategyV2 } from "@smithy/types";
import { SMITHY_CONTEXT_KEY } from "@smithy/types";
import { classifyError, retryAfterMs, serverDate, type ErrorClass } from "./retryClassify";
import { abortError, sleep } from "./sleep";

/** Shared per client: the retry budget of the standard mode (500 tokens). */
export class RetryQuota {
  capacity = 500;
  /** Takes the cost of a retry; false when the budget is spent. */
  take(cost: number): boolean {
    if (this.capacity < cost) return false;
    this.capacity -= cost;
    return true;
  }
  /** Gives back after a success: the retry's cost, or 1 for a first-attempt success. */
  release(cost: number): void {
    this.capacity = Math.min(500, this.capacity + cost);
  }
}

/** What the retry loop needs from the client's configuration. */
export interface RetryConfig {
  maxAttempts(): Promise<number>;
  retryMode(): Promise<string>;
  /** A custom strategy replaces the built-in loop's decisions and delays. */
  retryStrategy?: RetryStrategyV2 | undefined;
  /** Upper bound on a server's `Retry-After`, in milliseconds. */
  maxRetryAfterMs: number;
  quota: RetryQuota;
  /** The adaptive mode's client-side rate limiter, made on first use. */
  rateLimiter(): Promise<{ getSendToken(): Promise<void>; updateClientSendingRate(info: object): void }>;
  /** Holds the signing clock offset, corrected here when the service reports clock skew. */
  clock: { systemClockOffset: number };
  /** Injectable for deterministic tests. */
  random?: () => number;
}

const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 20_000;

/** Full-jitter exponential backoff: uniform in [0, min(cap, base × 2^retry)). */
export function backoffDelay(retry: number, kind: ErrorClass, random: () => number): number {
  const base = kind === "THROTTLING" ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(random() * Math.min(MAX_BACKOFF_MS, base * 2 ** retry));
}

/** Past this gap between the service's clock and ours, a rejected signature is put down to skew. */
const SKEW_THRESHOLD_MS = 60_000;

/** True when the service's `Date` and the signing clock (local time + offset) are far apart. */
function isSkewed(serverDate: Date, offset: number): boolean {
  return Math.abs(serverDate.getTime() - (Date.now() + offset)) >= SKEW_THRESHOLD_MS;
}

function withMetadata(target: unknown, attempts: number, totalRetryDelay: number): void {
  if (typeof target !== "object" || target === null) return;
  const bearer = target as { $metadata?: ResponseMetadata };
  const metadata = bearer.$metadata;
  // Filled in place, as the official client does (the deserializer makes one per response).
  if (metadata && Object.isExtensible(metadata)) {
    metadata.attempts = attempts;
    metadata.totalRetryDelay = totalRetryDelay;
  } else bearer.$metadata = { ...metadata, attempts, totalRetryDelay };
}

export function retryMiddleware(config: RetryConfig): FinalizeRequestMiddleware<any, MetadataBearer> {
  return (next, context) => async (args) => {
    if (!HttpRequest.isInstance(args.request)) return next(args);
    const signal = (context[SMITHY_CONTEXT_KEY] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    const maxAttempts = Math.max(1, await config.maxAttempts());
    const adaptive = (await config.retryMode()) === "adaptive";
    const limiter = adaptive ? await config.rateLimiter() : undefined;
    const random = config.random ?? Math.random;
    let attempts = 0;
    let totalRetryDelay = 0;
    let lastCost = 0;
    let skewCorrected = false;
    while (true) {
      if (signal?.aborted) throw abortError(signal);
      if (limiter) await raceAbort(limiter.getSendToken(), signal);
      attempts++;
      const request = HttpRequest.clone(args.request);
      request.headers["amz-sdk-request"] = `attempt=${attempts}; max=${maxAttempts}`;
      try {
        const result = await next({ ...args, request });
        config.quota.release(lastCost || 1);
        limiter?.updateClientSendingRate({});
        withMetadata(result.output, attempts, totalRetryDelay);
        return result;
      } catch (error) {
        if (signal?.aborted) throw abortError(signal);
        const kind = classifyError(error);
        limiter?.updateClientSendingRate(kind === "THROTTLING" ? { errorType: "THROTTLING" } : {});
        const date = serverDate(error);
        if (kind === "CLOCK_SKEW" && date && !skewCorrected && isSkewed(date, config.clock.systemClockOffset)) {
          // Sign with the service's clock from now on, for this call's next attempt and later calls.
          config.clock.systemClockOffset = date.getTime() - Date.now();
          skewCorrected = true;
          if (attempts < maxAttempts) continue;
        }
        const cost = kind === "TIMEOUT" ? 10 : 5;
        const retryable = kind === "THROTTLING" || kind === "TRANSIENT" || kind === "TIMEOUT";
        if (!retryable || attempts >= maxAttempts || !config.quota.take(cost)) {
          withMetadata(error, attempts, totalRetryDelay);
          throw error;
        }
        lastCost = cost;
        const hinted = Math.min(retryAfterMs(error) ?? 0, config.maxRetryAfterMs);
        const delay = Math.max(backoffDelay(attempts - 1, kind, random), hinted);
        await sleep(delay, signal);
        totalRetryDelay += delay;
      }
    }
  };
}

/** Rejects with an AbortError as soon as `signal` fires, else settles like `promise`. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The smithy error type a custom strategy expects for one of our error classes. */
function strategyErrorType(kind: ErrorClass): "THROTTLING" | "TRANSIENT" | "CLIENT_ERROR" {
  if (kind === "THROTTLING") return "THROTTLING";
  return kind === "NONE" ? "CLIENT_ERROR" : "TRANSIENT";
}

/**
 * Runs a custom RetryStrategyV2 around the attempts, the way smithy's retry middleware does:
 * the strategy decides and may wait inside `refreshRetryTokenForRetry`; the token's
 * `getRetryDelay()` is then slept here. Both waits end at once when the call is aborted.
 */
export function strategyRetryMiddleware(strategy: RetryStrategyV2): FinalizeRequestMiddleware<any, MetadataBearer> {
  return (next, context) => async (args) => {
    if (!HttpRequest.isInstance(args.request)) return next(args);
    const signal = (context[SMITHY_CONTEXT_KEY] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    const declared = (strategy as { maxAttempts?: () => Promise<number> }).maxAttempts;
    const max = typeof declared === "function" ? await declared.call(strategy).catch(() => undefined) : undefined;
    let token = await raceAbort(strategy.acquireInitialRetryToken(String(context.commandName ?? "")), signal);
    let attempts = 0;
    let totalRetryDelay = 0;
    while (true) {
      if (signal?.aborted) throw abortError(signal);
      attempts++;
      const request = HttpRequest.clone(args.request);
      request.headers["amz-sdk-request"] = max ? `attempt=${attempts}; max=${max}` : `attempt=${attempts}`;
      try {
        const result = await next({ ...args, request });
        strategy.recordSuccess(token);
        withMetadata(result.output, attempts, totalRetryDelay);
        return result;
      } catch (error) {
        if (signal?.aborted) throw abortError(signal);
        const hint = retryAfterMs(error);
        try {
          token = await raceAbort(
            strategy.refreshRetryTokenForRetry(token, {
              errorType: strategyErrorType(classifyError(error)),
              ...(hint !== undefined ? { retryAfterHint: new Date(Date.now() + hint) } : {}),
            }),
            signal,
          );
        } catch {
          if (signal?.aborted) throw abortError(signal);
          withMetadata(error, attempts, totalRetryDelay);
          throw error;
        }
        // As smithy counts it: what the strategy waited for itself, plus the token's delay.
        const acquired = (token as { $retryLog?: { acquisitionDelay?: number } }).$retryLog?.acquisitionDelay ?? 0;
        const delay = token.getRetryDelay();
        await sleep(delay, signal);
        totalRetryDelay += acquired + delay;
      }
    }
  };
}

export function getRetryPlugin(config: RetryConfig): Pluggable<any, any> {
  return {
    applyToStack(stack) {
      const middleware = config.retryStrategy ? strategyRetryMiddleware(config.retryStrategy) : retryMiddleware(config);
      stack.add(middleware, { step: "finalizeRequest", name: "retryMiddleware", priority: "high", override: true });
    },
  };
}
