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
import { HttpRequest } from "@smithy/core/transport";
import type {
  FinalizeHandler,
  FinalizeRequestMiddleware,
  MetadataBearer,
  Pluggable,
  Provider,
  ResponseMetadata,
  RetryErrorInfo,
  RetryStrategy,
  RetryStrategyV2,
  RetryToken,
} from "@smithy/types";
import { SMITHY_CONTEXT_KEY } from "@smithy/types";
import { classifyError, retryAfterMs, serverDate, type ErrorClass } from "./retryClassify";
import { abortError, sleep } from "./sleep";
import { noteRetry } from "../tracing/callSpan";
import { randomUUID } from "../platform/runtime";

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
  /** Upper bound on a server's `Retry-After`, in milliseconds. */
  maxRetryAfterMs: number;
  quota: RetryQuota;
  /** The adaptive mode's client-side rate limiter, made on first use. */
  rateLimiter(): Promise<{ getSendToken(): Promise<void>; updateClientSendingRate(info: object): void }>;
  /** Holds the signing clock offset, corrected here when the service reports clock skew. */
  clock: { systemClockOffset: number };
  /** True turns the clock-skew correction off. */
  disableClockSkewCorrection?: () => Promise<boolean>;
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

/** The cost of a retry in retry-budget tokens: timeouts cost more. */
const retryCost = (kind: ErrorClass): number => (kind === "TIMEOUT" ? 10 : 5);

/** Whether a failure of this class may be retried at all. */
const isRetryable = (kind: ErrorClass): boolean => kind === "THROTTLING" || kind === "TRANSIENT" || kind === "TIMEOUT";

/**
 * The wait before the next attempt, or undefined when there is none: the failure is final, the
 * attempts are used up, or the retry budget is spent (then nothing is taken from it).
 */
function nextDelay(config: RetryConfig, kind: ErrorClass, attempts: number, maxAttempts: number, hintMs: number | undefined): number | undefined {
  if (!isRetryable(kind) || attempts >= maxAttempts || !config.quota.take(retryCost(kind))) return undefined;
  const hinted = Math.min(hintMs ?? 0, config.maxRetryAfterMs);
  return Math.max(backoffDelay(attempts - 1, kind, config.random ?? Math.random), hinted);
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
    const correctSkew = !(await config.disableClockSkewCorrection?.());
    setInvocationId(args.request);
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
        if (correctSkew && kind === "CLOCK_SKEW" && date && !skewCorrected && isSkewed(date, config.clock.systemClockOffset)) {
          // Sign with the service's clock from now on, for this call's next attempt and later calls.
          config.clock.systemClockOffset = date.getTime() - Date.now();
          skewCorrected = true;
          if (attempts < maxAttempts) {
            noteRetry(context, attempts, 0, error);
            continue;
          }
        }
        const delay = nextDelay(config, kind, attempts, maxAttempts, retryAfterMs(error));
        if (delay === undefined) {
          withMetadata(error, attempts, totalRetryDelay);
          throw error;
        }
        lastCost = retryCost(kind);
        noteRetry(context, attempts, delay, error);
        await sleep(delay, signal);
        totalRetryDelay += delay;
      }
    }
  };
}

/** Rejects with an AbortError as soon as `signal` fires, else settles like `promise`. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    // The promise lost the race: its own failure must not surface as an unhandled rejection.
    promise.catch(() => undefined);
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: the listener is removed when the race ends either way
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
    setInvocationId(args.request);
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
        noteRetry(context, attempts, delay, error);
        await sleep(delay, signal);
        totalRetryDelay += acquired + delay;
      }
    }
  };
}

/** One id per call, the same on every attempt, so that the service can tie retries together. */
function setInvocationId(request: HttpRequest): void {
  request.headers["amz-sdk-invocation-id"] ??= randomUUID();
}

/** The error type smithy's strategies take, for one of our error classes. */
const ERROR_TYPES: Record<ErrorClass, RetryErrorInfo["errorType"]> = {
  THROTTLING: "THROTTLING",
  TIMEOUT: "TRANSIENT",
  TRANSIENT: "SERVER_ERROR",
  CLOCK_SKEW: "CLIENT_ERROR",
  NONE: "CLIENT_ERROR",
};
const ERROR_CLASSES: Record<RetryErrorInfo["errorType"], ErrorClass> = {
  THROTTLING: "THROTTLING",
  TRANSIENT: "TIMEOUT",
  SERVER_ERROR: "TRANSIENT",
  CLIENT_ERROR: "NONE",
};

class ClassicRetryToken implements RetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
    readonly cost: number,
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delay;
  }
}

/**
 * The built-in standard and adaptive modes, as the smithy `RetryStrategyV2` that
 * `client.config.retryStrategy()` returns. The client's own loop runs it with what the interface
 * has no room for (a rate-limiter token before every attempt in adaptive mode, clock-skew
 * correction, abortable waits); called through the interface, it makes the same decisions:
 * classic backoff (100 ms, 500 ms after throttling, 20 s cap), a 500-token budget per client,
 * `Retry-After` honoured up to `maxRetryAfterSeconds`.
 */
export class ClassicRetryStrategy implements RetryStrategyV2 {
  constructor(
    /** "standard" or "adaptive". */
    readonly mode: string,
    /** @internal */
    readonly settings: RetryConfig,
  ) {}

  /** Attempts per call, the first included. */
  maxAttempts(): Promise<number> {
    return this.settings.maxAttempts();
  }

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return new ClassicRetryToken(0, 0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const attempts = token.getRetryCount() + 1;
    const kind = ERROR_CLASSES[errorInfo.errorType];
    const hint = errorInfo.retryAfterHint ? errorInfo.retryAfterHint.getTime() - Date.now() : undefined;
    const delay = nextDelay(this.settings, kind, attempts, await this.settings.maxAttempts(), hint);
    if (delay === undefined) throw new Error("No retry token available");
    return new ClassicRetryToken(attempts, delay, retryCost(kind));
  }

  recordSuccess(token: RetryToken): void {
    this.settings.quota.release((token as ClassicRetryToken).cost || 1);
  }
}

const isStrategyV2 = (strategy: RetryStrategy | RetryStrategyV2): strategy is RetryStrategyV2 =>
  typeof (strategy as RetryStrategyV2).acquireInitialRetryToken === "function";

/**
 * The retry middleware: the strategy of `config.retryStrategy()` at each call (an extension may
 * replace it). The built-in one runs the client's loop; any other smithy `RetryStrategyV2` runs
 * the same way smithy's retry middleware runs it; a legacy `RetryStrategy` (smithy's first form)
 * runs its own `retry`.
 */
export function retryDispatchMiddleware(config: { retryStrategy: Provider<RetryStrategyV2 | RetryStrategy> }): FinalizeRequestMiddleware<any, MetadataBearer> {
  return (next, context) => {
    let builtIn: ReturnType<ReturnType<typeof retryMiddleware>> | undefined;
    return async (args) => {
      const strategy = await config.retryStrategy();
      if (strategy instanceof ClassicRetryStrategy) return (builtIn ??= retryMiddleware(strategy.settings)(next, context))(args);
      if (isStrategyV2(strategy)) return strategyRetryMiddleware(strategy)(next, context)(args);
      return strategy.retry(next as FinalizeHandler<any, MetadataBearer>, args);
    };
  };
}

export function getRetryPlugin(config: { retryStrategy: Provider<RetryStrategyV2 | RetryStrategy> }): Pluggable<any, any> {
  return {
    applyToStack(stack) {
      stack.add(retryDispatchMiddleware(config), { name: "retryMiddleware", tags: ["RETRY"], step: "finalizeRequest", priority: "high", override: true });
    },
  };
}

