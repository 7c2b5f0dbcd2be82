/** The retry loop as a function: deterministic backoff, quota and skew, with no network. */
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { HttpRequest } from "@smithy/core/transport";
import { SMITHY_CONTEXT_KEY } from "@smithy/types";
import { backoffDelay, RetryQuota, retryMiddleware, type RetryConfig } from "../../src/middleware/retry";
import { retryAfterMs } from "../../src/middleware/retryClassify";
import { LambdaMicrovmsServiceException } from "../../src/index";
import { listeningSignal } from "../helpers/listeningSignal";

function config(overrides: Partial<RetryConfig> = {}): RetryConfig {
  return {
    maxAttempts: async () => 3,
    retryMode: async () => "standard",
    maxRetryAfterMs: 20_000,
    quota: new RetryQuota(),
    rateLimiter: async () => ({ getSendToken: async () => undefined, updateClientSendingRate: () => undefined }),
    clock: { systemClockOffset: 0 },
    random: () => 0,
    ...overrides,
  };
}

function serviceError(name: string, status: number, headers: Record<string, string> = {}) {
  const error = new LambdaMicrovmsServiceException({ name, $fault: status >= 500 ? "server" : "client", message: name, $metadata: { httpStatusCode: status } });
  (error as unknown as { $response: unknown }).$response = { statusCode: status, headers };
  return error;
}

/** Runs the middleware over a scripted `next`, returning the outcome and how often it was called. */
async function run(cfg: RetryConfig, script: (attempt: number) => unknown) {
  let calls = 0;
  const handler = retryMiddleware(cfg)(async () => {
    calls++;
    const step = script(calls);
    if (step instanceof Error) throw step;
    return { response: {}, output: { $metadata: {} } };
  }, {} as never);
  const result = await handler({ input: {}, request: new HttpRequest({ hostname: "h", path: "/" }) }).then(
    (r) => r.output,
    (e: unknown) => e,
  );
  return { result: result as { $metadata: { attempts?: number; totalRetryDelay?: number } }, calls };
}

describe("backoff", () => {
  it("is full-jitter exponential with bases 100 ms and 500 ms (throttling), capped at 20 s", () => {
    expect([0, 1, 2, 3].map((r) => backoffDelay(r, "TRANSIENT", () => 0.999999))).toEqual([99, 199, 399, 799]);
    expect([0, 1, 2].map((r) => backoffDelay(r, "THROTTLING", () => 0.5))).toEqual([250, 500, 1000]);
    expect(backoffDelay(12, "TRANSIENT", () => 0.999999)).toBe(19_999);
    expect(backoffDelay(3, "TRANSIENT", () => 0)).toBe(0);
  });
});

describe("retry quota", () => {
  it("stops retrying once 500 tokens are spent (5 a retry) and refills 1 per success", async () => {
    const cfg = config({ maxAttempts: async () => 1000 });
    const { result, calls } = await run(cfg, () => serviceError("InternalServerException", 500));
    expect(calls).toBe(101);
    expect(result.$metadata.attempts).toBe(101);
    expect(cfg.quota.capacity).toBe(0);
    const after = await run(cfg, () => serviceError("InternalServerException", 500));
    expect(after.calls).toBe(1);
    await run(cfg, () => undefined);
    expect(cfg.quota.capacity).toBe(1);
  });

  it("charges 10 for a timeout and gives the cost back after a successful retry", async () => {
    const cfg = config();
    const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    const { result } = await run(cfg, (n) => (n === 1 ? timeout : undefined));
    expect(result.$metadata.attempts).toBe(2);
    expect(cfg.quota.capacity).toBe(500);
  });
});

describe("what is retried", () => {
  it.each([
    ["ThrottlingException", 429, true],
    ["TooManyRequestsException", 429, true],
    ["InternalServerException", 500, true],
    ["ServiceException", 500, true],
    ["UnknownServerError", 502, true],
    ["UnknownServerError", 504, true],
    ["UnknownServerError", 509, true],
    ["ValidationException", 400, false],
    ["AccessDeniedException", 403, false],
    ["ResourceNotFoundException", 404, false],
    ["ConflictException", 409, false],
    ["ServiceQuotaExceededException", 402, false],
  ] as const)("%s (%i) retried: %s", async (name, status, retried) => {
    const { calls } = await run(config(), () => serviceError(name, status));
    expect(calls).toBe(retried ? 3 : 1);
  });

  it("retries connection resets and refusals", async () => {
    for (const code of ["ECONNRESET", "ECONNREFUSED", "EPIPE"]) {
      const { calls } = await run(config(), () => Object.assign(new Error(code), { code }));
      expect(calls).toBe(3);
    }
  });
});

describe("clock skew", () => {
  it("re-signs once with the offset from the Date header and keeps it", async () => {
    const hourAhead = new Date(Date.now() + 3_600_000).toUTCString();
    const cfg = config();
    const { result, calls } = await run(cfg, (n) =>
      n === 1 ? Object.assign(serviceError("InvalidSignatureException", 403, { date: hourAhead }), { message: "Signature expired: 20260101T000000Z is now earlier than ..." }) : undefined,
    );
    expect(calls).toBe(2);
    expect(result.$metadata.attempts).toBe(2);
    expect(Math.abs(cfg.clock.systemClockOffset - 3_600_000)).toBeLessThan(2000);
  });

  it("retries a skew-coded rejection only when the service's Date is really far from the signing clock", async () => {
    const near = serviceError("SignatureDoesNotMatch", 403, { date: new Date().toUTCString() });
    expect((await run(config(), () => near)).calls).toBe(1);
    const cfg = config();
    const behind = new Date(Date.now() - 2 * 3_600_000).toUTCString();
    const { calls, result } = await run(cfg, (n) => (n === 1 ? serviceError("RequestTimeTooSkewed", 403, { date: behind }) : undefined));
    expect(calls).toBe(2);
    expect(result.$metadata.totalRetryDelay).toBe(0);
    expect(Math.abs(cfg.clock.systemClockOffset + 2 * 3_600_000)).toBeLessThan(2000);
  });

  it("corrects skew once: a second skew error in the same call is final", async () => {
    const ahead = new Date(Date.now() + 3_600_000).toUTCString();
    const cfg = config({ maxAttempts: async () => 5 });
    const { calls } = await run(cfg, () => serviceError("RequestTimeTooSkewed", 403, { date: ahead }));
    expect(calls).toBe(2);
  });

  it("does not treat a wrong signature as skew", async () => {
    const { calls } = await run(config(), () => serviceError("InvalidSignatureException", 403, { date: new Date().toUTCString() }));
    expect(calls).toBe(1);
  });
});

describe("$metadata", () => {
  it("attempts and totalRetryDelay are exact on outputs and errors", async () => {
    // The backoff sleeps run on fake timers: the 1.4 s of waits below pass at once.
    vi.useFakeTimers();
    const settled = async (...args: Parameters<typeof run>) => {
      const pending = run(...args);
      await vi.runAllTimersAsync();
      return pending;
    };
    onTestFinished(() => void vi.useRealTimers());
    const half = config({ random: () => 0.5 });
    const ok = await settled(half, (n) => (n < 3 ? serviceError("InternalServerException", 500) : undefined));
    expect(ok.result.$metadata).toEqual({ attempts: 3, totalRetryDelay: 50 + 100 });
    const throttled = await settled(config({ random: () => 0.5 }), () => serviceError("ThrottlingException", 429));
    expect(throttled.result.$metadata).toMatchObject({ attempts: 3, totalRetryDelay: 250 + 500 });
    const hinted = await settled(config({ random: () => 0.5 }), (n) => (n === 1 ? serviceError("ThrottlingException", 429, { "retry-after": "0.4" }) : undefined));
    expect(hinted.result.$metadata).toEqual({ attempts: 2, totalRetryDelay: 400 });
    const capped = await settled(config({ random: () => 0, maxRetryAfterMs: 100 }), (n) => (n === 1 ? serviceError("ThrottlingException", 429, { "retry-after": "30" }) : undefined));
    expect(capped.result.$metadata).toEqual({ attempts: 2, totalRetryDelay: 100 });
  });
});

describe("Retry-After", () => {
  const withHeader = (value: string) => ({ $response: { headers: { "Retry-After": value } } });

  it("is read in seconds or as an HTTP date, and ignored when it is neither or already past", () => {
    expect(retryAfterMs(withHeader("7"))).toBe(7000);
    expect(retryAfterMs(withHeader("0.25"))).toBe(250);
    const inFiveSeconds = new Date(Math.ceil(Date.now() / 1000) * 1000 + 5000).toUTCString();
    const fromDate = retryAfterMs(withHeader(inFiveSeconds))!;
    expect(fromDate).toBeGreaterThan(4000);
    expect(fromDate).toBeLessThanOrEqual(6000);
    expect(retryAfterMs(withHeader(new Date(Date.now() - 60_000).toUTCString()))).toBeUndefined();
    expect(retryAfterMs(withHeader("soon"))).toBeUndefined();
    expect(retryAfterMs(withHeader("0"))).toBeUndefined();
  });

  it("as an HTTP date, holds the next attempt back until that moment", async () => {
    vi.useFakeTimers({ now: new Date("2015-10-21T07:27:57Z") });
    try {
      const sentAt: number[] = [];
      // random 0 makes the backoff 0 ms, so any wait comes from the header alone.
      const pending = run(config({ random: () => 0 }), (n) => {
        sentAt.push(Date.now());
        return n === 1 ? serviceError("ThrottlingException", 429, { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }) : undefined;
      });
      await vi.advanceTimersByTimeAsync(2999);
      expect(sentAt).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      const { result, calls } = await pending;
      expect(calls).toBe(2);
      expect(sentAt[1]).toBe(Date.parse("2015-10-21T07:28:00Z"));
      expect(result.$metadata).toEqual({ attempts: 2, totalRetryDelay: 3000 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("the modeled retryAfterSeconds member wins over the header", () => {
    expect(retryAfterMs({ retryAfterSeconds: 3, ...withHeader("9") })).toBe(3000);
  });
});

describe("abort and the adaptive mode", () => {
  /** Runs the loop with `signal` in the call's context; `next` is called with each attempt's request. */
  async function runWith(cfg: RetryConfig, signal: AbortSignal | undefined, next: (attempt: number) => Promise<unknown>) {
    let calls = 0;
    const headers: Record<string, string>[] = [];
    const handler = retryMiddleware(cfg)(
      async (args) => {
        calls++;
        headers.push({ ...(args.request as HttpRequest).headers });
        await next(calls);
        return { response: {}, output: { $metadata: {} } };
      },
      { [SMITHY_CONTEXT_KEY]: { abortSignal: signal } } as never,
    );
    const result = await handler({ input: {}, request: new HttpRequest({ hostname: "h", path: "/" }) }).then(
      (r) => r.output,
      (e: unknown) => e,
    );
    return { result: result as Error & { $metadata?: unknown }, calls, headers };
  }

  it("a signal that already fired: AbortError, no attempt", async () => {
    const { result, calls } = await runWith(config(), AbortSignal.abort(), async () => undefined);
    expect(result.name).toBe("AbortError");
    expect(calls).toBe(0);
  });

  it("an abort while an attempt is in flight: AbortError, not the attempt's own error, and no retry", async () => {
    const controller = new AbortController();
    const { result, calls } = await runWith(config(), controller.signal, async () => {
      controller.abort();
      throw serviceError("InternalServerException", 500);
    });
    expect(result.name).toBe("AbortError");
    expect(calls).toBe(1);
  });

  it("an abort during the backoff: AbortError at once, no further attempt", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const { result, calls } = await runWith(config({ random: () => 0.999 }), controller.signal, async () => {
      setTimeout(() => controller.abort(), 10);
      throw serviceError("ThrottlingException", 429);
    });
    expect(result.name).toBe("AbortError");
    expect(calls).toBe(1);
    // The backoff would have been 499 ms.
    expect(Date.now() - started).toBeLessThan(400);
  });

  it("adaptive: a send token before every attempt, and the limiter told of throttling", async () => {
    const events: string[] = [];
    const rateLimiter = async () => ({
      getSendToken: async () => void events.push("token"),
      updateClientSendingRate: (info: object) => void events.push(`rate ${JSON.stringify(info)}`),
    });
    const { calls } = await runWith(config({ retryMode: async () => "adaptive", rateLimiter }), undefined, async (n) => {
      if (n === 1) throw serviceError("ThrottlingException", 429);
    });
    expect(calls).toBe(2);
    expect(events).toEqual(["token", 'rate {"errorType":"THROTTLING"}', "token", "rate {}"]);
    const standard: string[] = [];
    await runWith(config({ rateLimiter: async () => ({ getSendToken: async () => void standard.push("token"), updateClientSendingRate: () => undefined }) }), undefined, async () => undefined);
    expect(standard).toEqual([]);
  });

  it("an abort while waiting for the adaptive mode's send token: AbortError, no attempt", async () => {
    const controller = new AbortController();
    const rateLimiter = async () => ({
      getSendToken: () => {
        setTimeout(() => controller.abort(), 5);
        return new Promise<void>(() => undefined);
      },
      updateClientSendingRate: () => undefined,
    });
    const { result, calls } = await runWith(config({ retryMode: async () => "adaptive", rateLimiter }), controller.signal, async () => undefined);
    expect(result.name).toBe("AbortError");
    expect(calls).toBe(0);
  });

  it("every attempt says which it is, and carries one invocation id", async () => {
    const { headers } = await runWith(config(), undefined, async (n) => {
      if (n < 3) throw serviceError("InternalServerException", 500);
    });
    expect(headers.map((h) => h["amz-sdk-request"])).toEqual(["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]);
    expect(new Set(headers.map((h) => h["amz-sdk-invocation-id"])).size).toBe(1);
    expect(headers[0]!["amz-sdk-invocation-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("edges of the loop", () => {
  it("a request that is not HTTP passes through once, untouched", async () => {
    const args = { input: {}, request: { not: "http" } };
    let seen: unknown;
    const handler = retryMiddleware(config())(async (a) => {
      seen = a;
      throw serviceError("InternalServerException", 500);
    }, {} as never);
    await expect(handler(args as never)).rejects.toMatchObject({ name: "InternalServerException" });
    expect(seen).toBe(args);
  });

  it("something thrown that is not an object is rethrown as it is", async () => {
    const thrown = await retryMiddleware(config())(async () => {
      throw "boom";
    }, {} as never)({ input: {}, request: new HttpRequest({ hostname: "h", path: "/" }) }).catch((e: unknown) => e);
    expect(thrown).toBe("boom");
  });

  it("fills the deserializer's $metadata in place, and replaces a frozen one keeping its fields", async () => {
    const metadata = { httpStatusCode: 200, requestId: "r" };
    const handler = retryMiddleware(config())(async () => ({ response: {}, output: { $metadata: metadata } }), {} as never);
    const output = (await handler({ input: {}, request: new HttpRequest({ hostname: "h", path: "/" }) })).output as { $metadata: object };
    expect(output.$metadata).toBe(metadata);
    expect(metadata).toMatchObject({ attempts: 1, totalRetryDelay: 0 });
    const frozen = Object.freeze({ httpStatusCode: 200, requestId: "f" });
    const other = retryMiddleware(config())(async () => ({ response: {}, output: { $metadata: frozen } }), {} as never);
    const out = (await other({ input: {}, request: new HttpRequest({ hostname: "h", path: "/" }) })).output as { $metadata: object };
    expect(out.$metadata).toEqual({ httpStatusCode: 200, requestId: "f", attempts: 1, totalRetryDelay: 0 });
    const none = retryMiddleware(config())(async () => ({ response: {}, output: {} as never }), {} as never);
    expect(((await none({ input: {}, request: new HttpRequest({ hostname: "h", path: "/" }) })).output as { $metadata: object }).$metadata).toEqual({ attempts: 1, totalRetryDelay: 0 });
  });

  it("an abort during an attempt that failed for good still reports the abort", async () => {
    const controller = new AbortController();
    const handler = retryMiddleware(config())(async () => {
      controller.abort();
      throw serviceError("ValidationException", 400);
    }, { [SMITHY_CONTEXT_KEY]: { abortSignal: controller.signal } } as never);
    await expect(handler({ input: {}, request: new HttpRequest({ hostname: "h", path: "/" }) })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("adaptive: a failure other than throttling tells the limiter nothing of throttling", async () => {
    const told: object[] = [];
    const rateLimiter = async () => ({ getSendToken: async () => undefined, updateClientSendingRate: (info: object) => void told.push(info) });
    await run(config({ retryMode: async () => "adaptive", rateLimiter, maxAttempts: async () => 2 }), () => serviceError("InternalServerException", 500));
    expect(told).toEqual([{}, {}]);
  });

  it("the abort listener of the adaptive mode's token wait is removed once the token comes", async () => {
    const { signal, listeners } = listeningSignal();
    const rateLimiter = async () => ({ getSendToken: async () => undefined, updateClientSendingRate: () => undefined });
    const handler = retryMiddleware(config({ retryMode: async () => "adaptive", rateLimiter }))(async () => ({ response: {}, output: { $metadata: {} } }), {
      [SMITHY_CONTEXT_KEY]: { abortSignal: signal },
    } as never);
    await handler({ input: {}, request: new HttpRequest({ hostname: "h", path: "/" }) });
    expect(listeners.size).toBe(0);
  });
});

describe("clock skew, edges", () => {
  const skewed = (ms: number) => serviceError("RequestTimeTooSkewed", 403, { date: new Date(Date.now() + ms).toUTCString() });

  it("compares the service's clock with the corrected clock, not the local one", async () => {
    const cfg = config();
    cfg.clock.systemClockOffset = 3_600_000;
    const { calls } = await run(cfg, (n) => (n === 1 ? skewed(3_600_000) : undefined));
    expect(calls).toBe(1);
    expect(cfg.clock.systemClockOffset).toBe(3_600_000);
  });

  it("a gap of exactly a minute counts as skew", async () => {
    vi.useFakeTimers({ now: Date.parse("2026-01-01T00:00:00Z") });
    try {
      const cfg = config();
      const { calls } = await run(cfg, (n) => (n === 1 ? serviceError("RequestTimeTooSkewed", 403, { date: "Thu, 01 Jan 2026 00:01:00 GMT" }) : undefined));
      expect(calls).toBe(2);
      expect(cfg.clock.systemClockOffset).toBe(60_000);
      const near = config();
      const again = await run(near, (n) => (n === 1 ? serviceError("RequestTimeTooSkewed", 403, { date: "Thu, 01 Jan 2026 00:00:59 GMT" }) : undefined));
      expect(again.calls).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("other failures never move the clock, whatever their Date says", async () => {
    const cfg = config();
    const { calls } = await run(cfg, (n) => (n === 1 ? serviceError("InternalServerException", 500, { date: new Date(Date.now() + 7_200_000).toUTCString() }) : undefined));
    expect(calls).toBe(2);
    expect(cfg.clock.systemClockOffset).toBe(0);
  });

  it("is not corrected when disableClockSkewCorrection is set", async () => {
    const cfg = config({ disableClockSkewCorrection: async () => true });
    const { calls } = await run(cfg, () => skewed(3_600_000));
    expect(calls).toBe(1);
    expect(cfg.clock.systemClockOffset).toBe(0);
  });

  it("a second skew error is final even when the clock is still off", async () => {
    const cfg = config({ maxAttempts: async () => 5 });
    const { calls } = await run(cfg, (n) => skewed(n * 3_600_000));
    expect(calls).toBe(2);
    expect(Math.abs(cfg.clock.systemClockOffset - 3_600_000)).toBeLessThan(2000);
  });

  it("on the last attempt the clock is corrected for later calls, with no attempt beyond the maximum", async () => {
    const cfg = config({ maxAttempts: async () => 1 });
    const { calls, result } = await run(cfg, () => skewed(3_600_000));
    expect(calls).toBe(1);
    expect((result as unknown as Error).name).toBe("RequestTimeTooSkewed");
    expect(Math.abs(cfg.clock.systemClockOffset - 3_600_000)).toBeLessThan(2000);
  });
});
