/**
 * Every waiter's acceptors, state by state, against the table the README documents (written out
 * here, not read from the code's own table): each success state succeeds at the first poll, each
 * failure state fails at once with a WaiterError naming it, a state in neither keeps polling, and
 * "not found" succeeds only where a missing resource is the goal.
 */
import { describe, expect, it, vi } from "vitest";
import * as sdk from "../../src/index";
import { ResourceNotFoundException, WaiterError, WaiterState, type LambdaMicrovmsClient, type WaiterConfiguration, type WaiterResult } from "../../src/index";

interface Expected {
  waitFor: (config: WaiterConfiguration<never>, input: never) => Promise<WaiterResult<unknown>>;
  waitUntil: (config: WaiterConfiguration<never>, input: never) => Promise<WaiterResult<unknown>>;
  member: string;
  success: string[];
  failure: string[];
  /** A state that is neither: the waiter keeps polling. */
  pending: string;
  notFoundSucceeds: boolean;
}

const waiters: Record<string, Expected> = {
  MicrovmImageCreated: { waitFor: sdk.waitForMicrovmImageCreated as never, waitUntil: sdk.waitUntilMicrovmImageCreated as never, member: "state", success: ["CREATED", "UPDATED"], failure: ["CREATE_FAILED", "UPDATE_FAILED", "DELETING", "DELETED"], pending: "CREATING", notFoundSucceeds: false },
  MicrovmImageUpdated: { waitFor: sdk.waitForMicrovmImageUpdated as never, waitUntil: sdk.waitUntilMicrovmImageUpdated as never, member: "state", success: ["UPDATED"], failure: ["UPDATE_FAILED", "DELETING", "DELETED"], pending: "UPDATING", notFoundSucceeds: false },
  MicrovmImageDeleted: { waitFor: sdk.waitForMicrovmImageDeleted as never, waitUntil: sdk.waitUntilMicrovmImageDeleted as never, member: "state", success: ["DELETED"], failure: ["DELETE_FAILED"], pending: "DELETING", notFoundSucceeds: true },
  MicrovmImageVersionSuccessful: { waitFor: sdk.waitForMicrovmImageVersionSuccessful as never, waitUntil: sdk.waitUntilMicrovmImageVersionSuccessful as never, member: "state", success: ["SUCCESSFUL"], failure: ["FAILED", "DELETING", "DELETED", "DELETE_FAILED"], pending: "IN_PROGRESS", notFoundSucceeds: false },
  MicrovmImageBuildSuccessful: { waitFor: sdk.waitForMicrovmImageBuildSuccessful as never, waitUntil: sdk.waitUntilMicrovmImageBuildSuccessful as never, member: "buildState", success: ["SUCCESSFUL"], failure: ["FAILED"], pending: "PENDING", notFoundSucceeds: false },
  MicrovmRunning: { waitFor: sdk.waitForMicrovmRunning as never, waitUntil: sdk.waitUntilMicrovmRunning as never, member: "state", success: ["RUNNING"], failure: ["TERMINATING", "TERMINATED"], pending: "PENDING", notFoundSucceeds: false },
  MicrovmSuspended: { waitFor: sdk.waitForMicrovmSuspended as never, waitUntil: sdk.waitUntilMicrovmSuspended as never, member: "state", success: ["SUSPENDED"], failure: ["TERMINATING", "TERMINATED"], pending: "SUSPENDING", notFoundSucceeds: false },
  MicrovmTerminated: { waitFor: sdk.waitForMicrovmTerminated as never, waitUntil: sdk.waitUntilMicrovmTerminated as never, member: "state", success: ["TERMINATED"], failure: [], pending: "TERMINATING", notFoundSucceeds: true },
};

/** A client whose every answer is `answer` (an output, or an error to throw). */
function answering(answer: object | Error): LambdaMicrovmsClient {
  return {
    send: async () => {
      if (answer instanceof Error) throw answer;
      return { $metadata: {}, ...answer };
    },
  } as unknown as LambdaMicrovmsClient;
}

const config = (client: LambdaMicrovmsClient) => ({ client, maxWaitTime: 5, minDelay: 1, maxDelay: 1, sleep: async () => undefined }) as WaiterConfiguration<never>;

describe.each(Object.entries(waiters))("%s", (_, w) => {
  it.each(w.success)("succeeds at the first poll on %s", async (state) => {
    const result = await w.waitUntil(config(answering({ [w.member]: state })), {} as never);
    expect(result.state).toBe(WaiterState.SUCCESS);
    expect(result.attempts).toBe(1);
  });

  it.each(w.failure.length ? w.failure : ["(none)"])("fails at once on %s", async (state) => {
    if (state === "(none)") return expect(w.failure).toEqual([]);
    const error = await w.waitUntil(config(answering({ [w.member]: state })), {} as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterError);
    expect((error as WaiterError).state).toBe(WaiterState.FAILURE);
    expect((error as WaiterError).message).toContain(state);
    const result = await w.waitFor(config(answering({ [w.member]: state })), {} as never);
    expect(result).toMatchObject({ state: WaiterState.FAILURE, attempts: 1 });
  });

  it(`keeps polling on a state that is neither (${w.pending}), until the time is up`, async () => {
    // A clock that moves only by the pauses the waiter asks for: its 3 s pass at once.
    let now = Date.now();
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now);
    try {
      const sleep = async (ms: number) => void (now += ms);
      const result = await w.waitFor({ ...config(answering({ [w.member]: w.pending })), maxWaitTime: 3, sleep }, {} as never);
      expect(result.state).toBe(WaiterState.TIMEOUT);
      // Polls at 0, 1 and 2 s; the next would be at the deadline.
      expect(result.attempts).toBe(3);
    } finally {
      clock.mockRestore();
    }
  });

  it(w.notFoundSucceeds ? "succeeds when the resource is not found" : "fails when the resource is not found", async () => {
    const missing = new ResourceNotFoundException({ message: "gone", $metadata: { httpStatusCode: 404 } });
    const result = await w.waitFor(config(answering(missing)), {} as never);
    expect(result.state).toBe(w.notFoundSucceeds ? WaiterState.SUCCESS : WaiterState.FAILURE);
  });
});
