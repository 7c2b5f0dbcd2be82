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

function waiter<I extends object, O extends MetadataBearer>(
  Command: new (input: I) => LambdaMicrovmsCommand<I, O>,
  acceptors: readonly Acceptor[],
): [WaitFor<I, O>, WaitFor<I, O>] {
  const waitFor: WaitFor<I, O> = (config, input) => poll(config, () => new Command({ ...input }), acceptors);
  const waitUntil: WaitFor<I, O> = async (config, input) => checkResult(await waitFor(config, input));
  return [waitFor, waitUntil];
}

const created = waiter<GetMicrovmImageCommandInput, GetMicrovmImageCommandOutput>(GetMicrovmImageCommand, waiterAcceptors.MicrovmImageCreated);
const updated = waiter<GetMicrovmImageCommandInput, GetMicrovmImageCommandOutput>(GetMicrovmImageCommand, waiterAcceptors.MicrovmImageUpdated);
const deleted = waiter<GetMicrovmImageCommandInput, GetMicrovmImageCommandOutput>(GetMicrovmImageCommand, waiterAcceptors.MicrovmImageDeleted);
const version = waiter<GetMicrovmImageVersionCommandInput, GetMicrovmImageVersionCommandOutput>(GetMicrovmImageVersionCommand, waiterAcceptors.MicrovmImageVersionSuccessful);
const build = waiter<GetMicrovmImageBuildCommandInput, GetMicrovmImageBuildCommandOutput>(GetMicrovmImageBuildCommand, waiterAcceptors.MicrovmImageBuildSuccessful);
const running = waiter<GetMicrovmCommandInput, GetMicrovmCommandOutput>(GetMicrovmCommand, waiterAcceptors.MicrovmRunning);
const suspended = waiter<GetMicrovmCommandInput, GetMicrovmCommandOutput>(GetMicrovmCommand, waiterAcceptors.MicrovmSuspended);
const terminated = waiter<GetMicrovmCommandInput, GetMicrovmCommandOutput>(GetMicrovmCommand, waiterAcceptors.MicrovmTerminated);

/** Waits until an image is CREATED (or UPDATED); fails on CREATE_FAILED, UPDATE_FAILED, DELETING, DELETED. */
export const [waitForMicrovmImageCreated, waitUntilMicrovmImageCreated] = created;
/** Waits until an image is UPDATED; fails on UPDATE_FAILED, DELETING, DELETED. */
export const [waitForMicrovmImageUpdated, waitUntilMicrovmImageUpdated] = updated;
/** Waits until an image is DELETED or no longer found; fails on DELETE_FAILED. */
export const [waitForMicrovmImageDeleted, waitUntilMicrovmImageDeleted] = deleted;
/** Waits until an image version is SUCCESSFUL; fails on FAILED, DELETING, DELETED, DELETE_FAILED. */
export const [waitForMicrovmImageVersionSuccessful, waitUntilMicrovmImageVersionSuccessful] = version;
/** Waits until a build is SUCCESSFUL; fails on FAILED. */
export const [waitForMicrovmImageBuildSuccessful, waitUntilMicrovmImageBuildSuccessful] = build;
/**
 * Waits until a MicroVM is RUNNING; fails on TERMINATING or TERMINATED. GetMicrovm's `state` is
 * eventually consistent: RUNNING says the MicroVM started, not that its endpoint already answers.
 */
export const [waitForMicrovmRunning, waitUntilMicrovmRunning] = running;
/** Waits until a MicroVM is SUSPENDED; fails on TERMINATING or TERMINATED. `state` is eventually consistent. */
export const [waitForMicrovmSuspended, waitUntilMicrovmSuspended] = suspended;
/** Waits until a MicroVM is TERMINATED or no longer found. `state` is eventually consistent. */
export const [waitForMicrovmTerminated, waitUntilMicrovmTerminated] = terminated;
