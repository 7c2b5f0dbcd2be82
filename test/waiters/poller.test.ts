/** The generic poller with a stub client: deterministic timing, no network. */
import { describe, expect, it } from "vitest";
import { GetMicrovmCommand, ResourceNotFoundException, ThrottlingException, WaiterError, WaiterState, waitForMicrovmRunning, waitUntilMicrovmRunning, waitUntilMicrovmTerminated, type LambdaMicrovmsClient } from "../../src/index";
import { pollDelay } from "../../src/waiters/poller";

/** A client whose GetMicrovm answers come from a script; records the sleeps asked for. */
function stub(script: (call: number) => unknown) {
  let calls = 0;
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      calls++;
      const next = script(calls);
      if (next instanceof Error) throw next;
      return { $metadata: {}, ...(next as object) };
    },
  } as unknown as LambdaMicrovmsClient;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  return { client, sent, sleeps, sleep, calls: () => calls };
}

const notFound = () => new ResourceNotFoundException({ message: "gone", $metadata: { httpStatusCode: 404 } });

describe("poller", () => {
  it("polls at once, then backs off exponentially between minDelay and maxDelay", async () => {
    const s = stub((n) => ({ state: n < 6 ? "PENDING" : "RUNNING" }));
    const result = await waitUntilMicrovmRunning({ client: s.client, maxWaitTime: 1000, minDelay: 2, maxDelay: 10, sleep: s.sleep, random: () => 1 }, { microvmIdentifier: "m" });
    expect(result.state).toBe(WaiterState.SUCCESS);
    expect(result.attempts).toBe(6);
    expect(s.sleeps).toEqual([2000, 4000, 8000, 10000, 10000]);
    expect(s.sent[0]).toBeInstanceOf(GetMicrovmCommand);
  });

  it("jitters between minDelay and the exponential ceiling", () => {
    expect(pollDelay(1, 2000, 120000, () => 0.5)).toBe(2000);
    expect(pollDelay(3, 2000, 120000, () => 0)).toBe(2000);
    expect(pollDelay(3, 2000, 120000, () => 0.5)).toBe(5000);
    expect(pollDelay(20, 2000, 120000, () => 1)).toBe(120000);
  });

  it("fails on a failure state with the reason and the last response", async () => {
    const s = stub(() => ({ state: "TERMINATED", stateReason: "max duration" }));
    const error = (await waitUntilMicrovmRunning({ client: s.client, maxWaitTime: 60, sleep: s.sleep }, { microvmIdentifier: "m" }).catch((e: unknown) => e)) as WaiterError;
    expect(error).toBeInstanceOf(WaiterError);
    expect(error.state).toBe(WaiterState.FAILURE);
    expect(error.message).toContain("TERMINATED (max duration)");
    expect((error.result.lastResponse as { state: string }).state).toBe("TERMINATED");
  });

  it("treats a matching error as success and other modeled errors as failure", async () => {
    const gone = stub(notFound);
    expect((await waitUntilMicrovmTerminated({ client: gone.client, maxWaitTime: 60, sleep: gone.sleep }, { microvmIdentifier: "m" })).state).toBe(WaiterState.SUCCESS);
    const missing = stub(notFound);
    const result = await waitForMicrovmRunning({ client: missing.client, maxWaitTime: 60, sleep: missing.sleep }, { microvmIdentifier: "m" });
    expect(result.state).toBe(WaiterState.FAILURE);
    expect(result.lastError).toBeInstanceOf(ResourceNotFoundException);
  });

  it("keeps waiting through throttling that outlasted the client's retries", async () => {
    const s = stub((n) => (n === 1 ? new ThrottlingException({ message: "slow", $metadata: { httpStatusCode: 429 } }) : { state: "RUNNING" }));
    const result = await waitForMicrovmRunning({ client: s.client, maxWaitTime: 60, sleep: s.sleep }, { microvmIdentifier: "m" });
    expect(result.state).toBe(WaiterState.SUCCESS);
    expect(result.attempts).toBe(2);
  });

  it("times out at maxWaitTime without sleeping past it", async () => {
    const s = stub(() => ({ state: "PENDING" }));
    let now = 0;
    const realNow = Date.now;
    Date.now = () => realNow() + now;
    try {
      const sleep = async (ms: number) => {
        s.sleeps.push(ms);
        now += ms;
      };
      const result = await waitForMicrovmRunning({ client: s.client, maxWaitTime: 10, minDelay: 2, maxDelay: 4, sleep, random: () => 1 }, { microvmIdentifier: "m" });
      expect(result.state).toBe(WaiterState.TIMEOUT);
      // Polls at 0, 2, 6 s; the next would be at 10 s, the deadline: no sleep to it, no request at it.
      expect(s.sleeps).toEqual([2000, 4000]);
      expect(s.calls()).toBe(3);
      expect(now).toBeLessThan(10_000);
      expect((result.lastResponse as { state: string }).state).toBe("PENDING");
    } finally {
      Date.now = realNow;
    }
  });

  it("an abort mid-sleep ends the wait at once and sends nothing more", async () => {
    const s = stub(() => ({ state: "PENDING" }));
    const controller = new AbortController();
    const pending = waitForMicrovmRunning({ client: s.client, maxWaitTime: 600, minDelay: 30, abortSignal: controller.signal }, { microvmIdentifier: "m" });
    await new Promise((r) => setTimeout(r, 20));
    const abortedAt = Date.now();
    controller.abort();
    const result = await pending;
    expect(result.state).toBe(WaiterState.ABORTED);
    expect(Date.now() - abortedAt).toBeLessThan(100);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.calls()).toBe(1);
  });

  it("reports every poll to onPoll and never mutates the input", async () => {
    const s = stub((n) => ({ state: n < 3 ? "PENDING" : "RUNNING" }));
    const seen: string[] = [];
    const input = Object.freeze({ microvmIdentifier: "m" });
    await waitUntilMicrovmRunning({ client: s.client, maxWaitTime: 60, sleep: s.sleep, onPoll: (e) => seen.push(`${e.attempt}:${(e.response as { state: string }).state}:${e.state}`) }, input);
    expect(seen).toEqual(["1:PENDING:RETRY", "2:PENDING:RETRY", "3:RUNNING:SUCCESS"]);
  });
});
