/**
 * The built-in retry strategy called through smithy's RetryStrategyV2 interface, as
 * `client.config.retryStrategy()` hands it to tools that drive retries themselves: the same
 * backoff, attempts, Retry-After and budget as the client's own loop.
 */
import type { RetryStrategyV2, RetryToken } from "@smithy/types";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpResponse } from "@smithy/core/transport";
import { LambdaMicrovmsClient, ListMicrovmsCommand, type LambdaMicrovmsClientConfig } from "../../src/index";

afterEach(() => void vi.restoreAllMocks());

async function strategyOf(options: Partial<LambdaMicrovmsClientConfig> = {}) {
  const client = new LambdaMicrovmsClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, ...options });
  const strategy = (await client.config.retryStrategy()) as RetryStrategyV2 & { mode: string; maxAttempts(): Promise<number> };
  client.destroy();
  return strategy;
}

/** A refusal of the strategy: no retry token. */
const refusal = "No retry token available";

describe("ClassicRetryStrategy through RetryStrategyV2", () => {
  it("names its mode and attempts", async () => {
    const standard = await strategyOf({ maxAttempts: 4 });
    expect(standard.mode).toBe("standard");
    expect(await standard.maxAttempts()).toBe(4);
    expect((await strategyOf({ retryMode: "adaptive" })).mode).toBe("adaptive");
  });

  it("backs off from 500 ms after throttling and 100 ms otherwise, counting retries", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const strategy = await strategyOf({ maxAttempts: 5 });
    const first = await strategy.acquireInitialRetryToken("scope");
    expect([first.getRetryCount(), first.getRetryDelay()]).toEqual([0, 0]);
    const throttled = await strategy.refreshRetryTokenForRetry(first, { errorType: "THROTTLING" });
    expect([throttled.getRetryCount(), throttled.getRetryDelay()]).toEqual([1, 250]);
    const again = await strategy.refreshRetryTokenForRetry(throttled, { errorType: "THROTTLING" });
    expect([again.getRetryCount(), again.getRetryDelay()]).toEqual([2, 500]);
    for (const errorType of ["TRANSIENT", "SERVER_ERROR"] as const) {
      const token = await strategy.refreshRetryTokenForRetry(first, { errorType });
      expect([token.getRetryCount(), token.getRetryDelay()]).toEqual([1, 50]);
    }
  });

  it("refuses client errors, and a retry past maxAttempts", async () => {
    const strategy = await strategyOf({ maxAttempts: 2 });
    const first = await strategy.acquireInitialRetryToken("scope");
    await expect(strategy.refreshRetryTokenForRetry(first, { errorType: "CLIENT_ERROR" })).rejects.toThrow(refusal);
    const second = await strategy.refreshRetryTokenForRetry(first, { errorType: "SERVER_ERROR" });
    await expect(strategy.refreshRetryTokenForRetry(second, { errorType: "SERVER_ERROR" })).rejects.toThrow(refusal);
  });

  it("waits for a Retry-After hint, up to maxRetryAfterSeconds", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const now = vi.spyOn(Date, "now").mockReturnValue(1_000_000);
    const strategy = await strategyOf({ maxRetryAfterSeconds: 5 });
    const first = await strategy.acquireInitialRetryToken("scope");
    const hinted = await strategy.refreshRetryTokenForRetry(first, { errorType: "THROTTLING", retryAfterHint: new Date(1_003_000) });
    expect(hinted.getRetryDelay()).toBe(3000);
    const capped = await strategy.refreshRetryTokenForRetry(first, { errorType: "THROTTLING", retryAfterHint: new Date(1_060_000) });
    expect(capped.getRetryDelay()).toBe(5000);
    now.mockRestore();
  });

  it("spends the client's 500-token budget: 5 a retry, 10 after a timeout; a success gives back the retry's cost", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const strategy = await strategyOf({ maxAttempts: 10 });
    const first = await strategy.acquireInitialRetryToken("scope");
    const spend = async (errorType: "SERVER_ERROR" | "TRANSIENT"): Promise<RetryToken[]> => {
      const tokens: RetryToken[] = [];
      for (;;) {
        const token = await strategy.refreshRetryTokenForRetry(first, { errorType }).catch(() => undefined);
        if (!token) return tokens;
        tokens.push(token);
      }
    };
    // TRANSIENT is smithy's name for a timeout here.
    const timeouts = await spend("TRANSIENT");
    expect(timeouts).toHaveLength(50);
    strategy.recordSuccess(timeouts[0]!);
    expect(await spend("SERVER_ERROR")).toHaveLength(2);
    // A first-attempt success gives back 1.
    for (let i = 0; i < 5; i++) strategy.recordSuccess(first);
    expect(await spend("SERVER_ERROR")).toHaveLength(1);
  });
});

describe("a legacy RetryStrategy (smithy's first form, with retry())", () => {
  it("runs the attempts itself", async () => {
    let handled = 0;
    const retried: unknown[] = [];
    const client = new LambdaMicrovmsClient({
      region: "us-east-1",
      endpoint: "http://127.0.0.1:4566",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      requestHandler: {
        handle: async () => {
          handled++;
          return { response: new HttpResponse({ statusCode: handled < 2 ? 503 : 200, headers: {}, body: "{}" }) };
        },
      },
      retryStrategy: {
        mode: "legacy-twice",
        retry: async (next: (args: unknown) => Promise<unknown>, args: unknown) => {
          try {
            return await next(args);
          } catch (error) {
            retried.push(error);
            return next(args);
          }
        },
      } as never,
    });
    const out = await client.send(new ListMicrovmsCommand({}));
    client.destroy();
    expect(handled).toBe(2);
    expect(retried).toHaveLength(1);
    expect(out.$metadata.httpStatusCode).toBe(200);
  });
});

describe("maxAttempts and retryMode from the environment", () => {
  afterEach(() => void vi.unstubAllEnvs());
  // Given credentials and region, the client reads no profile: only the options and the environment count.
  const settings = async () => {
    const strategy = await strategyOf();
    return { attempts: () => strategy.maxAttempts(), mode: () => (strategy as unknown as { settings: { retryMode(): Promise<string> } }).settings.retryMode() };
  };

  it("3 and standard by default; legacy counts as standard; the mode in any case", async () => {
    vi.stubEnv("AWS_MAX_ATTEMPTS", "");
    vi.stubEnv("AWS_RETRY_MODE", "LEGACY");
    const s = await settings();
    expect(await s.attempts()).toBe(3);
    expect(await s.mode()).toBe("standard");
    vi.stubEnv("AWS_RETRY_MODE", "Adaptive");
    expect(await (await settings()).mode()).toBe("adaptive");
  });

  it("a bad value is an error naming the option and the value; a bad AWS_MAX_ATTEMPTS is read again at the next call", async () => {
    vi.stubEnv("AWS_RETRY_MODE", "eager");
    await expect(strategyOf()).rejects.toThrow('retryMode must be "standard" or "adaptive"; got "eager".');
    vi.stubEnv("AWS_RETRY_MODE", "standard");
    vi.stubEnv("AWS_MAX_ATTEMPTS", "2.5");
    const s = await settings();
    await expect(s.attempts()).rejects.toThrow("maxAttempts must be a positive integer (the first attempt included); got 2.5.");
    vi.stubEnv("AWS_MAX_ATTEMPTS", "7");
    expect(await s.attempts()).toBe(7);
  });
});
