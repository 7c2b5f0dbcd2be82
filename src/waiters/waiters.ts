/**
 * The waiters, as acceptor tables over the Get operations. `waitForXxx` returns the result
 * (whatever the state); `waitUntilXxx` returns it on SUCCESS and throws a WaiterError otherwise.
 */
import { WaiterState } from "@smithy/core/client";
import type { MetadataBearer } from "@smithy/types";
import type { LambdaMicrovmsCommand } from "../client/command";
import { GetMicrovmCommand, type GetMicrovmCommandInput, type GetMicrovmCommandOutput } from "../commands/GetMicrovmCommand";
import { GetMicrovmImageCommand, type GetMicrovmImageCommandInput, type GetMicrovmImageCommandOutput } from "../commands/GetMicrovmImageCommand";
import { GetMicrovmImageBuildCommand, type GetMicrovmImageBuildCommandInput, type GetMicrovmImageBuildCommandOutput } from "../commands/GetMicrovmImageBuildCommand";
import { GetMicrovmImageVersionCommand, type GetMicrovmImageVersionCommandInput, type GetMicrovmImageVersionCommandOutput } from "../commands/GetMicrovmImageVersionCommand";
import { checkResult, poll, type Acceptor, type WaiterConfiguration, type WaiterResult } from "./poller";

const { SUCCESS, FAILURE } = WaiterState;
const NOT_FOUND = "ResourceNotFoundException";

/** The acceptors of every waiter, by waiter name. */
export const waiterAcceptors = {
  MicrovmImageCreated: [
    { state: SUCCESS, path: "state", expected: ["CREATED", "UPDATED"] },
    { state: FAILURE, path: "state", expected: ["CREATE_FAILED", "UPDATE_FAILED", "DELETING", "DELETED"] },
  ],
  MicrovmImageUpdated: [
    { state: SUCCESS, path: "state", expected: ["UPDATED"] },
    { state: FAILURE, path: "state", expected: ["UPDATE_FAILED", "DELETING", "DELETED"] },
  ],
  MicrovmImageDeleted: [
    { state: SUCCESS, path: "state", expected: ["DELETED"] },
    { state: SUCCESS, errorType: NOT_FOUND },
    { state: FAILURE, path: "state", expected: ["DELETE_FAILED"] },
  ],
  MicrovmImageVersionSuccessful: [
    { state: SUCCESS, path: "state", expected: ["SUCCESSFUL"] },
    { state: FAILURE, path: "state", expected: ["FAILED", "DELETING", "DELETED", "DELETE_FAILED"] },
  ],
  MicrovmImageBuildSuccessful: [
    { state: SUCCESS, path: "buildState", expected: ["SUCCESSFUL"] },
    { state: FAILURE, path: "buildState", expected: ["FAILED"] },
  ],
  MicrovmRunning: [
    { state: SUCCESS, path: "state", expected: ["RUNNING"] },
    { state: FAILURE, path: "state", expected: ["TERMINATING", "TERMINATED"] },
  ],
  MicrovmSuspended: [
    { state: SUCCESS, path: "state", expected: ["SUSPENDED"] },
    { state: FAILURE, path: "state", expected: ["TERMINATING", "TERMINATED"] },
  ],
  MicrovmTerminated: [
    { state: SUCCESS, path: "state", expected: ["TERMINATED"] },
    { state: SUCCESS, errorType: NOT_FOUND },
  ],
} satisfies Record<string, readonly Acceptor[]>;

type WaitFor<I, O> = (config: WaiterConfiguration<O>, input: I) => Promise<WaiterResult<O>>;

// Each waiter is its own pure call, so that bundlers drop the ones (and the commands) a program does not use.

type WaiterName = keyof typeof waiterAcceptors;

// The acceptors are looked up inside: a call whose arguments read a table is one bundlers keep.
function waitFor<I extends object, O extends MetadataBearer>(Command: new (input: I) => LambdaMicrovmsCommand<I, O>, name: WaiterName, kind = "waitFor"): WaitFor<I, O> {
  const acceptors: readonly Acceptor[] = waiterAcceptors[name];
  const label = { waiter: name, fn: `${kind}${name}` };
  return (config, input) => poll(config, () => new Command({ ...input }), acceptors, label);
}

function waitUntil<I extends object, O extends MetadataBearer>(Command: new (input: I) => LambdaMicrovmsCommand<I, O>, name: WaiterName): WaitFor<I, O> {
  const wait = waitFor(Command, name, "waitUntil");
  return async (config, input) => checkResult(await wait(config, input));
}

/** Waits until an image is CREATED (or UPDATED); fails on CREATE_FAILED, UPDATE_FAILED, DELETING, DELETED. */
export const waitForMicrovmImageCreated = /* @__PURE__ */ waitFor<GetMicrovmImageCommandInput, GetMicrovmImageCommandOutput>(GetMicrovmImageCommand, "MicrovmImageCreated");
/** Waits until an image is CREATED (or UPDATED); fails on CREATE_FAILED, UPDATE_FAILED, DELETING, DELETED. Throws a WaiterError unless it succeeds. */
export const waitUntilMicrovmImageCreated = /* @__PURE__ */ waitUntil<GetMicrovmImageCommandInput, GetMicrovmImageCommandOutput>(GetMicrovmImageCommand, "MicrovmImageCreated");

/** Waits until an image is UPDATED; fails on UPDATE_FAILED, DELETING, DELETED. */
export const waitForMicrovmImageUpdated = /* @__PURE__ */ waitFor<GetMicrovmImageCommandInput, GetMicrovmImageCommandOutput>(GetMicrovmImageCommand, "MicrovmImageUpdated");
/** Waits until an image is UPDATED; fails on UPDATE_FAILED, DELETING, DELETED. Throws a WaiterError unless it succeeds. */
export const waitUntilMicrovmImageUpdated = /* @__PURE__ */ waitUntil<GetMicrovmImageCommandInput, GetMicrovmImageCommandOutput>(GetMicrovmImageCommand, "MicrovmImageUpdated");

/** Waits until an image is DELETED or no longer found; fails on DELETE_FAILED. */
export const waitForMicrovmImageDeleted = /* @__PURE__ */ waitFor<GetMicrovmImageCommandInput, GetMicrovmImageCommandOutput>(GetMicrovmImageCommand, "MicrovmImageDeleted");
/** Waits until an image is DELETED or no longer found; fails on DELETE_FAILED. Throws a WaiterError unless it succeeds. */
export const waitUntilMicrovmImageDeleted = /* @__PURE__ */ waitUntil<GetMicrovmImageCommandInput, GetMicrovmImageCommandOutput>(GetMicrovmImageCommand, "MicrovmImageDeleted");

/** Waits until an image version is SUCCESSFUL; fails on FAILED, DELETING, DELETED, DELETE_FAILED. */
export const waitForMicrovmImageVersionSuccessful = /* @__PURE__ */ waitFor<GetMicrovmImageVersionCommandInput, GetMicrovmImageVersionCommandOutput>(GetMicrovmImageVersionCommand, "MicrovmImageVersionSuccessful");
/** Waits until an image version is SUCCESSFUL; fails on FAILED, DELETING, DELETED, DELETE_FAILED. Throws a WaiterError unless it succeeds. */
export const waitUntilMicrovmImageVersionSuccessful = /* @__PURE__ */ waitUntil<GetMicrovmImageVersionCommandInput, GetMicrovmImageVersionCommandOutput>(GetMicrovmImageVersionCommand, "MicrovmImageVersionSuccessful");

/** Waits until a build is SUCCESSFUL; fails on FAILED. */
export const waitForMicrovmImageBuildSuccessful = /* @__PURE__ */ waitFor<GetMicrovmImageBuildCommandInput, GetMicrovmImageBuildCommandOutput>(GetMicrovmImageBuildCommand, "MicrovmImageBuildSuccessful");
/** Waits until a build is SUCCESSFUL; fails on FAILED. Throws a WaiterError unless it succeeds. */
export const waitUntilMicrovmImageBuildSuccessful = /* @__PURE__ */ waitUntil<GetMicrovmImageBuildCommandInput, GetMicrovmImageBuildCommandOutput>(GetMicrovmImageBuildCommand, "MicrovmImageBuildSuccessful");

/**
 * Waits until a MicroVM is RUNNING; fails on TERMINATING or TERMINATED. GetMicrovm's `state` is
 * eventually consistent: RUNNING says the MicroVM started, not that its endpoint already answers.
 */
export const waitForMicrovmRunning = /* @__PURE__ */ waitFor<GetMicrovmCommandInput, GetMicrovmCommandOutput>(GetMicrovmCommand, "MicrovmRunning");
/**
 * Waits until a MicroVM is RUNNING; fails on TERMINATING or TERMINATED. GetMicrovm's `state` is
 * eventually consistent: RUNNING says the MicroVM started, not that its endpoint already answers.
 * Throws a WaiterError unless it succeeds.
 */
export const waitUntilMicrovmRunning = /* @__PURE__ */ waitUntil<GetMicrovmCommandInput, GetMicrovmCommandOutput>(GetMicrovmCommand, "MicrovmRunning");

/** Waits until a MicroVM is SUSPENDED; fails on TERMINATING or TERMINATED. `state` is eventually consistent. */
export const waitForMicrovmSuspended = /* @__PURE__ */ waitFor<GetMicrovmCommandInput, GetMicrovmCommandOutput>(GetMicrovmCommand, "MicrovmSuspended");
/** Waits until a MicroVM is SUSPENDED; fails on TERMINATING or TERMINATED. `state` is eventually consistent. Throws a WaiterError unless it succeeds. */
export const waitUntilMicrovmSuspended = /* @__PURE__ */ waitUntil<GetMicrovmCommandInput, GetMicrovmCommandOutput>(GetMicrovmCommand, "MicrovmSuspended");

/** Waits until a MicroVM is TERMINATED or no longer found. `state` is eventually consistent. */
export const waitForMicrovmTerminated = /* @__PURE__ */ waitFor<GetMicrovmCommandInput, GetMicrovmCommandOutput>(GetMicrovmCommand, "MicrovmTerminated");
/** Waits until a MicroVM is TERMINATED or no longer found. `state` is eventually consistent. Throws a WaiterError unless it succeeds. */
export const waitUntilMicrovmTerminated = /* @__PURE__ */ waitUntil<GetMicrovmCommandInput, GetMicrovmCommandOutput>(GetMicrovmCommand, "MicrovmTerminated");
