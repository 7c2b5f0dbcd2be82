/**
 * A custom smithy RetryStrategyV2 driving the client's loop, as a function: what the strategy is
 * told (scope, error types, Retry-After hints), what the attempts carry, and aborts at each wait.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpRequest } from "@smithy/core/transport";
import { SMITHY_CONTEXT_KEY, type RetryErrorInfo, type RetryStrategyV2, type RetryToken } from "@smithy/types";
import { strategyRetryMiddleware } from "../../src/middleware/retry";
import { LambdaMicrovmsServiceException } from "../../src/index";

afterEach(() => void vi.useRealTimers());

const token = (count: number, delay = 0, extra: object = {}): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay, ...extra });

function serviceError(name: string, status: number, headers: Record<string, string> = {}) {
  const error = new LambdaMicrovmsServiceException({ name, $fault: status >= 500 ? "server" : "client", message: name, $metadata: { httpStatusCode: status } });
  (error as unknown as { $response: unknown }).$response = { statusCode: status, headers };
  return error;
}

/** A strategy that retries up to `retries` times with `delay`, recording what it is told. */
function recording(retries: number, delay = 0, extra: Partial<RetryStrategyV2> & { maxAttempts?: () => Promise<number> } = {}) {
  const told: { scope?: string; infos: RetryErrorInfo[]; successes: number } = { infos: [], successes: 0 };
  const strategy: RetryStrategyV2 = {
    acquireInitialRetryToken: async (scope) => {
      told.scope = scope;
      return token(0);
    },
    refreshRetryTokenForRetry: async (t, info) => {
      told.infos.push(info);
      if (t.getRetryCount() >= retries) throw new Error("no more");
      return token(t.getRetryCount() + 1, delay);
    },
    recordSuccess: () => void told.successes++,
    ...extra,
  };
  return { strategy, told };
}

async function drive(strategy: RetryStrategyV2, script: (attempt: number) => unknown, context: object = {}) {
  const headers: string[] = [];
  const handler = strategyRetryMiddleware(strategy)(async (args) => {
    headers.push((args.request as HttpRequest).headers["amz-sdk-request"]!);
    const step = script(headers.length);
    if (step instanceof Error) throw step;
    return { response: {}, output: { $metadata: {} } };
  }, context as never);
  const result = await handler({ input: {}, request: new HttpRequest({ hostname: "h", path: "/" }) }).then(
    (r) => r.output as { $metadata: { attempts?: number; totalRetryDelay?: number } },
    (e: unknown) => e as Error & { $metadata?: { attempts?: number } },
  );
  return { result, headers };
}

describe("a custom retry strategy in the loop", () => {
  it("gets the command name as its scope, or an empty one", async () => {
    const a = recording(0);
    await drive(a.strategy, () => undefined, { commandName: "GetMicrovmCommand" });
    expect(a.told.scope).toBe("GetMicrovmCommand");
    const b = recording(0);
    await drive(b.strategy, () => undefined);
    expect(b.told.scope).toBe("");
  });

  it("is told each failure's type", async () => {
    const timeout = Object.assign(new Error("t"), { name: "TimeoutError" });
    const failures = [serviceError("ThrottlingException", 429), serviceError("InternalServerException", 500), timeout, serviceError("ValidationException", 400)];
    const { strategy, told } = recording(10);
    await drive(strategy, (n) => failures[n - 1]);
    expect(told.infos.map((i) => i.errorType)).toEqual(["THROTTLING", "TRANSIENT", "TRANSIENT", "CLIENT_ERROR"]);
  });

  it("is given the service's Retry-After as a date, only when there is one", async () => {
    vi.useFakeTimers({ now: Date.parse("2026-01-01T00:00:00Z") });
    const { strategy, told } = recording(2);
    await drive(strategy, (n) => (n === 1 ? serviceError("ThrottlingException", 429, { "retry-after": "3" }) : n === 2 ? serviceError("ThrottlingException", 429) : undefined));
    expect(told.infos[0]!.retryAfterHint?.toISOString()).toBe("2026-01-01T00:00:03.000Z");
    expect("retryAfterHint" in told.infos[1]!).toBe(false);
  });

  it("numbers the attempts with the strategy's maximum when it declares one, and without it when not", async () => {
    const declared = recording(1, 0, { maxAttempts: async () => 4 } as never);
    expect((await drive(declared.strategy, (n) => (n === 1 ? serviceError("InternalServerException", 500) : undefined))).headers).toEqual([
      "attempt=1; max=4",
      "attempt=2; max=4",
    ]);
    const plain = recording(1);
    expect((await drive(plain.strategy, (n) => (n === 1 ? serviceError("InternalServerException", 500) : undefined))).headers).toEqual(["attempt=1", "attempt=2"]);
    const failing = recording(0, 0, { maxAttempts: () => Promise.reject(new Error("x")) } as never);
    expect((await drive(failing.strategy, () => undefined)).headers).toEqual(["attempt=1"]);
  });

  it("counts the token's delay and the strategy's own wait in totalRetryDelay, with or without a retry log", async () => {
    vi.useFakeTimers();
    const plain = recording(1, 100);
    const run = drive(plain.strategy, (n) => (n === 1 ? serviceError("InternalServerException", 500) : undefined));
    await vi.advanceTimersByTimeAsync(100);
    const { result } = await run;
    expect(result.$metadata).toMatchObject({ attempts: 2, totalRetryDelay: 100 });
    expect(plain.told.successes).toBe(1);

    const logged = recording(1, 100, {
      refreshRetryTokenForRetry: async () => token(1, 100, { $retryLog: { acquisitionDelay: 40 } }),
    });
    const second = drive(logged.strategy, (n) => (n === 1 ? serviceError("InternalServerException", 500) : undefined));
    await vi.advanceTimersByTimeAsync(100);
    expect((await second).result.$metadata).toMatchObject({ attempts: 2, totalRetryDelay: 140 });
  });

  it("a refusal ends the call with the last error and its attempts", async () => {
    const { strategy } = recording(1);
    const { result } = await drive(strategy, () => serviceError("InternalServerException", 500));
    expect(result).toMatchObject({ name: "InternalServerException", $metadata: { attempts: 2, totalRetryDelay: 0 } });
  });

  it("a request that is not HTTP passes through once", async () => {
    const { strategy, told } = recording(3);
    const args = { input: {}, request: { not: "http" } };
    let seen: unknown;
    await strategyRetryMiddleware(strategy)(async (a) => {
      seen = a;
      return { response: {}, output: {} as never };
    }, {} as never)(args as never);
    expect(seen).toBe(args);
    expect(told.scope).toBeUndefined();
  });
});

describe("aborts around a custom strategy", () => {
  const withSignal = (signal: AbortSignal) => ({ [SMITHY_CONTEXT_KEY]: { abortSignal: signal } });

  it("a signal that already fired stops the initial token wait", async () => {
    const strategy = recording(0, 0, { acquireInitialRetryToken: () => new Promise<RetryToken>(() => undefined) }).strategy;
    const { result, headers } = await drive(strategy, () => undefined, withSignal(AbortSignal.abort()));
    expect(result).toMatchObject({ name: "AbortError" });
    expect(headers).toEqual([]);
  });

  it("an abort during a failed attempt is reported as the abort, without asking the strategy", async () => {
    const controller = new AbortController();
    const { strategy, told } = recording(5);
    const { result, headers } = await drive(
      strategy,
      () => {
        controller.abort();
        return serviceError("InternalServerException", 500);
      },
      withSignal(controller.signal),
    );
    expect(result).toMatchObject({ name: "AbortError" });
    expect(headers).toHaveLength(1);
    expect(told.infos).toEqual([]);
  });

  it("an abort while the strategy decides is reported as the abort, not as the strategy's refusal", async () => {
    const controller = new AbortController();
    const strategy = recording(5, 0, {
      refreshRetryTokenForRetry: async () => {
        controller.abort();
        throw new Error("refused");
      },
    }).strategy;
    const { result } = await drive(strategy, () => serviceError("InternalServerException", 500), withSignal(controller.signal));
    expect(result).toMatchObject({ name: "AbortError" });
  });

  it("an abort during the strategy's delay: no further attempt", async () => {
    const controller = new AbortController();
    const { strategy } = recording(5, 10_000);
    const started = Date.now();
    const { result, headers } = await drive(
      strategy,
      () => {
        setTimeout(() => controller.abort(), 5);
        return serviceError("InternalServerException", 500);
      },
      withSignal(controller.signal),
    );
    expect(result).toMatchObject({ name: "AbortError" });
    expect(headers).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
