/** Reliability against the local emulator's injected faults: nothing lost, nothing doubled. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CreateMicrovmAuthTokenCommand,
  InputValidationError,
  LambdaMicrovmsClient,
  LambdaMicrovmsServiceException,
  ListMicrovmsCommand,
  RunMicrovmCommand,
  ValidationException,
  type LambdaMicrovmsClientConfig,
} from "../../src/index";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { createImage } from "../local/helpers";

let server: LocalServer;
let imageArn: string;

function client(config: LambdaMicrovmsClientConfig = {}): LambdaMicrovmsClient {
  return new LambdaMicrovmsClient({ region: server.region, endpoint: server.endpoint, credentials: server.credentials, ...config });
}

beforeAll(async () => {
  server = await startLocalServer({ transitionMs: 0 });
  const c = client();
  const image = await createImage(c, { name: "reliability" });
  imageArn = image.imageArn!;
  c.destroy();
});
afterAll(() => server.stop());
beforeEach(() => server.setFaults(undefined));

const liveCount = () => server.service.microvms().length;

describe("against the emulator", () => {
  it("a RunMicrovm through a 500 and a dropped connection makes exactly one MicroVM", async () => {
    const before = liveCount();
    server.setFaults({ sequence: ["internal", "drop"] });
    const c = client();
    const out = await c.send(new RunMicrovmCommand({ imageIdentifier: imageArn }));
    c.destroy();
    expect(out.$metadata.attempts).toBe(3);
    expect(liveCount()).toBe(before + 1);
  });

  it("a RunMicrovm whose answer is lost after it ran fails the call, and its clientToken gets the MicroVM it made", async () => {
    const before = new Set(server.service.microvms().map((vm) => vm.microvmId));
    server.setFaults({ sequence: ["lost"] });
    const once = client({ maxAttempts: 1 });
    await expect(once.send(new RunMicrovmCommand({ imageIdentifier: imageArn, clientToken: "lost-token-1" }))).rejects.toThrow();
    once.destroy();
    // The service did the work: the MicroVM exists though the caller never heard of it.
    const made = server.service.microvms().filter((vm) => !before.has(vm.microvmId));
    expect(made).toHaveLength(1);
    const c = client();
    const again = await c.send(new RunMicrovmCommand({ imageIdentifier: imageArn, clientToken: "lost-token-1" }));
    c.destroy();
    expect(again.$metadata.attempts).toBe(1);
    expect(again.microvmId).toBe(made[0]!.microvmId);
    expect(liveCount()).toBe(before.size + 1);
  });

  it("a RunMicrovm whose answers are lost twice after it ran makes one MicroVM through the client's own retries, with its own token or the caller's", async () => {
    for (const clientToken of [undefined, "lost-token-2"]) {
      const before = new Set(server.service.microvms().map((vm) => vm.microvmId));
      const sent = server.requestCount();
      server.setFaults({ sequence: ["lost", "lost"] });
      const c = client();
      // How many MicroVMs the call has made when an attempt fails (this step runs once per attempt).
      const madeWhenAttemptFailed: number[] = [];
      c.middlewareStack.add(
        (next) => async (args) => {
          try {
            return await next(args);
          } catch (error) {
            madeWhenAttemptFailed.push(liveCount() - before.size);
            throw error;
          }
        },
        { step: "deserialize" },
      );
      const out = await c.send(new RunMicrovmCommand({ imageIdentifier: imageArn, clientToken }));
      c.destroy();
      expect(out.$metadata.attempts).toBe(3);
      expect(server.requestCount() - sent).toBe(3);
      // The first attempt made the MicroVM though its answer was lost; the retries found it.
      expect(madeWhenAttemptFailed).toEqual([1, 1]);
      const made = server.service.microvms().filter((vm) => !before.has(vm.microvmId));
      expect(made.map((vm) => vm.microvmId)).toEqual([out.microvmId]);
    }
  });

  it("a RunMicrovm retried after a malformed answer, then repeated with its clientToken, makes one MicroVM", async () => {
    const before = liveCount();
    server.setFaults({ sequence: ["none", "malformed"] });
    const c = client();
    const first = await c.send(new ListMicrovmsCommand({}));
    expect(first.$metadata.attempts).toBe(1);
    const out = await c.send(new RunMicrovmCommand({ imageIdentifier: imageArn, clientToken: "same-token-1" }));
    expect(out.$metadata.attempts).toBe(2);
    const again = await c.send(new RunMicrovmCommand({ imageIdentifier: imageArn, clientToken: "same-token-1" }));
    c.destroy();
    expect(again.microvmId).toBe(out.microvmId);
    expect(liveCount()).toBe(before + 1);
  });

  it("corrects a clock an hour behind the server's and keeps the offset", async () => {
    const c = client({ systemClockOffset: -3_600_000 });
    const first = await c.send(new ListMicrovmsCommand({}));
    expect(first.$metadata.attempts).toBe(2);
    expect(Math.abs(c.config.systemClockOffset)).toBeLessThan(5_000);
    const second = await c.send(new ListMicrovmsCommand({}));
    expect(second.$metadata.attempts).toBe(1);
    c.destroy();
  });

  it("validation errors name every bad member and send nothing", async () => {
    const c = client();
    const before = server.requestCount();
    const error = await c
      .send(
        new CreateMicrovmAuthTokenCommand({
          microvmIdentifier: "",
          expirationInMinutes: 0,
          allowedPorts: [{ range: { startPort: 0, endPort: 70000 } }, { port: 80, allPorts: {} } as never],
        }),
      )
      .catch((e: unknown) => e);
    const runError = await c.send(new RunMicrovmCommand({ imageIdentifier: imageArn, runHookPayload: "x".repeat(4097), maximumDurationInSeconds: 0 })).catch((e: unknown) => e);
    const listError = await c.send(new ListMicrovmsCommand({ maxResults: 51 })).catch((e: unknown) => e);
    c.destroy();
    expect(error).toBeInstanceOf(InputValidationError);
    const paths = (error as InputValidationError).problems.map((p) => p.path);
    // endPort 70000 is above its maximum: the service judges that one.
    expect(paths).toEqual(["microvmIdentifier", "expirationInMinutes", "allowedPorts[0].range.startPort", "allowedPorts[1]"]);
    expect((error as Error).message).toContain("allowedPorts[0].range.startPort: must be at least 1");
    // The client checks minimums; the maximums (runHookPayload's length, maxResults 51) are the service's to judge.
    expect((runError as InputValidationError).problems.map((p) => p.path)).toEqual(["maximumDurationInSeconds"]);
    expect((runError as Error).message).not.toContain("xxxx");
    expect(listError).toBeInstanceOf(ValidationException);
    expect((listError as ValidationException).message).toMatch(/maxResults: must be at most 50/);
    expect(server.requestCount()).toBe(before + 1);
  });

  it("adaptive mode lowers the send rate under sustained throttling (requests per second at the emulator)", async () => {
    server.setFaults({ rate: 1, kinds: ["throttle"] });
    /** Requests per second the emulator receives from 4 callers over `ms` of constant throttling, after 500 ms. */
    const rate = async (mode: string, ms: number): Promise<number> => {
      const c = client({ retryMode: mode, maxAttempts: 3, maxRetryAfterSeconds: 0 });
      const stop = new AbortController();
      const caller = async (): Promise<void> => {
        while (!stop.signal.aborted) await c.send(new ListMicrovmsCommand({}), { abortSignal: stop.signal }).catch(() => undefined);
      };
      const callers = Array.from({ length: 4 }, caller);
      await new Promise((r) => setTimeout(r, 500)); // the first throttles, not counted
      const before = server.requestCount();
      await new Promise((r) => setTimeout(r, ms));
      const sent = server.requestCount() - before;
      stop.abort();
      await Promise.all(callers);
      c.destroy();
      return (sent * 1000) / ms;
    };
    const standard = await rate("standard", 2000);
    const adaptive = await rate("adaptive", 2000);
    // Standard only backs off per call (0–500 ms, then 0–1 s): about 11–18 requests/s here.
    // Adaptive's token bucket (smithy's DefaultRateLimiter) drops the whole client towards its
    // 0.5 requests/s floor: 0–1 requests/s here.
    expect(standard).toBeGreaterThan(6);
    expect(adaptive).toBeLessThan(standard / 4);
    expect(adaptive).toBeLessThanOrEqual(2);
  }, 20_000);

  it("soak: 2,000 calls through a 20 % fault rate end succeeded or typed, and state matches", async () => {
    const before = new Set(server.service.microvms().map((vm) => vm.microvmId));
    server.setFaults({ rate: 0.2, kinds: ["throttle", "internal", "unavailable", "drop", "malformed", "slow"], slowMs: 5, seed: 42 });
    const c = client({ maxAttempts: 3, maxRetryAfterSeconds: 0 });
    const succeeded = new Set<string>();
    let successes = 0;
    let failed = 0;
    const untyped: unknown[] = [];
    const failures = new Map<string, number>();
    const badAttempts: unknown[] = [];
    let next = 0;
    const worker = async () => {
      while (next < 2000) {
        next++;
        try {
          const out = await c.send(new RunMicrovmCommand({ imageIdentifier: imageArn }));
          succeeded.add(out.microvmId!);
          successes++;
        } catch (error) {
          failed++;
          const e = error as { name?: string; code?: string; $metadata?: { attempts?: number } };
          const key = e.code ?? e.name ?? "?";
          failures.set(key, (failures.get(key) ?? 0) + 1);
          if (e.$metadata?.attempts !== 3) badAttempts.push(e.$metadata);
          if (!(error instanceof LambdaMicrovmsServiceException) && (error as Error).name !== "DeserializationError" && !(error as { code?: string }).code) untyped.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: 25 }, worker));
    c.destroy();
    server.setFaults(undefined);
    expect(untyped).toEqual([]);
    // Only faults that outlast all three attempts fail (about 0.2³ of calls), each after 3 attempts.
    expect(badAttempts).toEqual([]);
    expect(failed).toBeLessThan(60);
    expect(successes + failed).toBe(2000);
    expect(succeeded.size).toBe(successes);
    const created = server.service.microvms().filter((vm) => !before.has(vm.microvmId)).map((vm) => vm.microvmId);
    expect(new Set(created)).toEqual(succeeded);
  }, 120_000);
});
