/**
 * The poll loop's edges with a scripted client: what each result and error says, errors that are
 * not errors, aborts before and during a poll, what reaches `send`, the time onPoll reports, and
 * the parent span with a tracer provider registered.
 */
import { trace } from "@opentelemetry/api";
import { describe, expect, it, vi } from "vitest";
import { inMemoryTracing } from "../helpers/inMemoryTracing";
import {
  ResourceNotFoundException,
  ThrottlingException,
  WaiterError,
  WaiterState,
  waitForMicrovmImageBuildSuccessful,
  waitForMicrovmRunning,
  waitForMicrovmTerminated,
  waitUntilMicrovmRunning,
  type LambdaMicrovmsClient,
} from "../../src/index";

interface Sent {
  input: unknown;
  options: unknown;
}

/** A client that answers poll `n` (1-based) with `answer(n)`: an output, or anything else to throw. */
function scripted(answer: (n: number) => unknown) {
  const sent: Sent[] = [];
  const client = {
    send: async (command: { input: unknown }, options?: unknown) => {
      sent.push({ input: command.input, options });
      const out = answer(sent.length);
      if (out !== null && typeof out === "object" && !(out instanceof Error)) return { $metadata: {}, ...out };
      throw out;
    },
  } as unknown as LambdaMicrovmsClient;
  return { client, sent };
}

const noSleep = async () => undefined;

describe("results and errors", () => {
  it("a success carries no reason; a failure names the state it reached, with the service's reason when there is one", async () => {
    const ok = await waitForMicrovmRunning({ client: scripted(() => ({ state: "RUNNING" })).client, maxWaitTime: 60, sleep: noSleep }, { microvmIdentifier: "m" });
    expect(ok).not.toHaveProperty("reason");
    const failed = await waitForMicrovmRunning({ client: scripted(() => ({ state: "TERMINATED" })).client, maxWaitTime: 60, sleep: noSleep }, { microvmIdentifier: "m" });
    expect(failed.reason).toBe("reached TERMINATED");
    const build = await waitForMicrovmImageBuildSuccessful({ client: scripted(() => ({ buildState: "FAILED", stateReason: "exit 1" })).client, maxWaitTime: 60, sleep: noSleep }, {} as never);
    expect(build.reason).toBe("reached FAILED (exit 1)");
  });

  it("a failure on an error gives the error's name and message", async () => {
    const gone = () => new ResourceNotFoundException({ message: "no such MicroVM", $metadata: { httpStatusCode: 404 } });
    const error = (await waitUntilMicrovmRunning({ client: scripted(gone).client, maxWaitTime: 60, sleep: noSleep }, { microvmIdentifier: "m" }).catch((e: unknown) => e)) as WaiterError;
    expect(error.name).toBe("WaiterError");
    expect(error.message).toBe("Waiter ended in FAILURE: ResourceNotFoundException: no such MicroVM");
    expect(error.result.reason).toBe("ResourceNotFoundException: no such MicroVM");
  });

  it("a WaiterError without a reason says only the state", () => {
    expect(new WaiterError({ state: WaiterState.TIMEOUT, attempts: 1 }).message).toBe("Waiter ended in TIMEOUT");
  });

  it("a clock-skew error that outlasted the client's retries ends the wait, as a modeled error does", async () => {
    const skewed = Object.assign(new Error("the request time is too skewed"), { name: "RequestTimeTooSkewed", $metadata: { httpStatusCode: 403 } });
    const s = scripted(() => skewed);
    const result = await waitForMicrovmRunning({ client: s.client, maxWaitTime: 60, sleep: noSleep }, { microvmIdentifier: "m" });
    expect(result).toMatchObject({ state: WaiterState.FAILURE, attempts: 1 });
  });

  it("something thrown that is not an error, without a name, matches no acceptor and fails the wait", async () => {
    for (const thrown of [undefined, "a string"]) {
      const result = await waitForMicrovmTerminated({ client: scripted(() => thrown).client, maxWaitTime: 60, sleep: noSleep }, { microvmIdentifier: "m" });
      expect(result.state).toBe(WaiterState.FAILURE);
    }
  });

  it("an error of another type does not match the waiter's error acceptor", async () => {
    const throttled = () => new ThrottlingException({ message: "slow down", $metadata: { httpStatusCode: 429 } });
    const s = scripted((n) => (n === 1 ? throttled() : { state: "TERMINATED" }));
    const result = await waitForMicrovmTerminated({ client: s.client, maxWaitTime: 60, sleep: noSleep }, { microvmIdentifier: "m" });
    expect(result).toMatchObject({ state: WaiterState.SUCCESS, attempts: 2 });
  });

  it("a timeout says how long it waited", async () => {
    let now = Date.now();
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now);
    try {
      const seen: number[] = [];
      const sleep = async (ms: number) => void (now += ms);
      const result = await waitForMicrovmRunning(
        { client: scripted(() => ({ state: "PENDING" })).client, maxWaitTime: 10, minDelay: 2, maxDelay: 4, sleep, random: () => 1, onPoll: (e) => seen.push(e.elapsed) },
        { microvmIdentifier: "m" },
      );
      expect(result).toMatchObject({ state: WaiterState.TIMEOUT, reason: "still not done after 10 s" });
      // onPoll's elapsed is in seconds since the wait began.
      expect(seen).toEqual([0, 2, 6]);
    } finally {
      clock.mockRestore();
    }
  });
});

describe("what reaches send", () => {
  it("each poll sends the caller's input, with the abort signal when there is one", async () => {
    const controller = new AbortController();
    const s = scripted(() => ({ state: "RUNNING" }));
    await waitForMicrovmRunning({ client: s.client, maxWaitTime: 60, sleep: noSleep, abortSignal: controller.signal }, { microvmIdentifier: "mvm-1" });
    expect(s.sent).toEqual([{ input: { microvmIdentifier: "mvm-1" }, options: { abortSignal: controller.signal } }]);
  });
});

describe("aborts", () => {
  it("a signal that already fired: ABORTED with no request", async () => {
    const s = scripted(() => ({ state: "RUNNING" }));
    const result = await waitForMicrovmRunning({ client: s.client, maxWaitTime: 60, sleep: noSleep, abortSignal: AbortSignal.abort() }, { microvmIdentifier: "m" });
    expect(result).toEqual({ state: WaiterState.ABORTED, reason: "the wait was aborted", attempts: 0 });
    expect(s.sent).toHaveLength(0);
  });

  it("an abort while a poll is in flight: ABORTED, not the failure the aborted call's error would be", async () => {
    const controller = new AbortController();
    const s = scripted(() => {
      controller.abort();
      return Object.assign(new Error("aborted"), { name: "AbortError" });
    });
    const result = await waitForMicrovmRunning({ client: s.client, maxWaitTime: 60, sleep: noSleep, abortSignal: controller.signal }, { microvmIdentifier: "m" });
    expect(result).toMatchObject({ state: WaiterState.ABORTED, attempts: 1 });
  });
});

describe("with a tracer provider registered", () => {
  const exporter = inMemoryTracing();

  it("one parent span over the polls, with the waiter's name, state and attempts", async () => {
    exporter.reset();
    const active: (string | undefined)[] = [];
    const s = scripted((n) => {
      active.push(trace.getActiveSpan()?.spanContext().spanId);
      return { state: n < 2 ? "PENDING" : "RUNNING" };
    });
    await waitUntilMicrovmRunning({ client: s.client, maxWaitTime: 60, sleep: noSleep }, { microvmIdentifier: "m" });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(["LambdaMicrovms.waitUntilMicrovmRunning"]);
    expect(spans[0]!.attributes).toEqual({ "lambda_microvms.waiter.name": "MicrovmRunning", "lambda_microvms.waiter.state": "SUCCESS", "lambda_microvms.waiter.attempts": 2 });
    expect(spans[0]!.status.code).toBe(0);
    expect(active).toEqual([spans[0]!.spanContext().spanId, spans[0]!.spanContext().spanId]);
  });

  it("a wait that does not succeed: status ERROR with its state and reason", async () => {
    exporter.reset();
    await waitForMicrovmRunning({ client: scripted(() => ({ state: "TERMINATED" })).client, maxWaitTime: 60, sleep: noSleep }, { microvmIdentifier: "m" });
    const [span] = exporter.getFinishedSpans();
    expect(span!.name).toBe("LambdaMicrovms.waitForMicrovmRunning");
    expect(span!.status).toEqual({ code: 2, message: "FAILURE: reached TERMINATED" });
  });

  it("an exception out of the loop (here from onPoll) ends the span with it and reaches the caller", async () => {
    exporter.reset();
    const onPoll = () => {
      throw new Error("progress printer broke");
    };
    await expect(waitForMicrovmRunning({ client: scripted(() => ({ state: "RUNNING" })).client, maxWaitTime: 60, sleep: noSleep, onPoll }, { microvmIdentifier: "m" })).rejects.toThrow(
      "progress printer broke",
    );
    const [span] = exporter.getFinishedSpans();
    expect(span!.status).toEqual({ code: 2, message: "progress printer broke" });
  });
});
