/**
 * One generic poller for every waiter: acceptors are data, checked against each response or
 * error; the first poll is immediate; backoff is jittered and exponential; an AbortSignal ends
 * the wait at once, also mid-sleep, and no request is sent after it.
 */
import { WaiterState } from "@smithy/core/client";
import type { MetadataBearer } from "@smithy/types";
import type { LambdaMicrovmsClient } from "../client/LambdaMicrovmsClient";
import type { LambdaMicrovmsCommand } from "../client/command";
import { classifyError } from "../middleware/retryClassify";
import { sleep as abortableSleep } from "../middleware/sleep";
import { ParentSpan } from "../tracing/parentSpan";

export { WaiterState };

/** Options of every `waitUntilXxx` / `waitForXxx` function. */
export interface WaiterConfiguration<Output = unknown> {
  /** The client to poll with. */
  client: LambdaMicrovmsClient;
  /** Seconds to wait in all before giving up with TIMEOUT. Required: no wait is unbounded. */
  maxWaitTime: number;
  /** Seconds of the shortest pause between polls. @default 2 */
  minDelay?: number;
  /** Seconds of the longest pause between polls. @default 120 */
  maxDelay?: number;
  /** Ends the wait at once with ABORTED; no request is sent after it fires. */
  abortSignal?: AbortSignal;
  /** Called after every poll with what it saw, e.g. to print progress. */
  onPoll?: (event: PollEvent<Output>) => void;
  /** @internal Replaces the sleep, for deterministic tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** @internal Replaces Math.random, for deterministic tests. */
  random?: () => number;
}

/** What one poll saw. */
export interface PollEvent<Output> {
  attempt: number;
  /** Seconds since the wait began. */
  elapsed: number;
  /** The state this poll decided: RETRY while waiting. */
  state: WaiterState;
  response?: Output;
  error?: unknown;
}

/** The outcome of a wait. `lastResponse` / `lastError` hold what the last poll saw. */
export interface WaiterResult<Output = unknown> {
  state: WaiterState;
  reason?: string;
  attempts: number;
  lastResponse?: Output;
  lastError?: unknown;
}

/** A rule: when the response's `path` (or the error's name) matches, the wait ends in `state`. */
export type Acceptor =
  | { state: WaiterState.SUCCESS | WaiterState.FAILURE; path: string; expected: readonly string[] }
  | { state: WaiterState.SUCCESS | WaiterState.FAILURE; errorType: string };

/** Thrown by `waitUntilXxx` when the wait ends in anything but SUCCESS. */
export class WaiterError<Output = unknown> extends Error {
  override readonly name = "WaiterError";
  constructor(readonly result: WaiterResult<Output>) {
    super(`Waiter ended in ${outcomeOf(result)}`);
  }
  get state(): WaiterState {
    return this.result.state;
  }
}

/** "FAILURE: reached TERMINATED", or the state alone when there is no reason. */
function outcomeOf(result: WaiterResult<unknown>): string {
  return `${result.state}${result.reason ? `: ${result.reason}` : ""}`;
}

/** The pause before poll `attempt + 1`: uniform between minDelay and min(maxDelay, minDelay·2^(attempt-1)). */
export function pollDelay(attempt: number, minDelay: number, maxDelay: number, random: () => number): number {
  const ceiling = Math.min(maxDelay, minDelay * 2 ** (attempt - 1));
  return minDelay + random() * (ceiling - minDelay);
}

function matchResponse(acceptors: readonly Acceptor[], response: unknown): Acceptor | undefined {
  return acceptors.find((a) => "path" in a && a.expected.includes(String((response as Record<string, unknown>)[a.path])));
}

function matchError(acceptors: readonly Acceptor[], error: unknown): Acceptor | undefined {
  const name = (error as { name?: string } | undefined)?.name;
  return acceptors.find((a) => "errorType" in a && a.errorType === name);
}

/**
 * Polls `command` until an acceptor matches, the time is up, or the signal fires. With a tracer
 * provider registered, the polls sit under one span named after the waiter (`label`).
 */
export async function poll<I extends object, O extends MetadataBearer>(
  config: WaiterConfiguration<O>,
  makeCommand: () => LambdaMicrovmsCommand<I, O>,
  acceptors: readonly Acceptor[],
  label?: { waiter: string; fn: string },
): Promise<WaiterResult<O>> {
  const starting = label && ParentSpan.start(label.fn, { "lambda_microvms.waiter.name": label.waiter });
  const span = starting && (await starting);
  if (span === undefined) return pollLoop(config, makeCommand, acceptors);
  let result: WaiterResult<O>;
  try {
    result = await span.run(() => pollLoop(config, makeCommand, acceptors));
  } catch (error) {
    span.end({}, { error });
    throw error;
  }
  const outcome = { "lambda_microvms.waiter.state": result.state, "lambda_microvms.waiter.attempts": result.attempts };
  span.end(outcome, result.state === WaiterState.SUCCESS ? undefined : { reason: outcomeOf(result) });
  return result;
}

async function pollLoop<I extends object, O extends MetadataBearer>(
  config: WaiterConfiguration<O>,
  makeCommand: () => LambdaMicrovmsCommand<I, O>,
  acceptors: readonly Acceptor[],
): Promise<WaiterResult<O>> {
  const minDelay = (config.minDelay ?? 2) * 1000;
  const maxDelay = Math.max(minDelay, (config.maxDelay ?? 120) * 1000);
  const sleep = config.sleep ?? abortableSleep;
  const random = config.random ?? Math.random;
  const signal = config.abortSignal;
  const started = Date.now();
  const deadline = started + config.maxWaitTime * 1000;
  const result: WaiterResult<O> = { state: WaiterState.RETRY, attempts: 0 };
  const aborted = (): WaiterResult<O> => ({ ...result, state: WaiterState.ABORTED, reason: "the wait was aborted" });
  while (true) {
    if (signal?.aborted) return aborted();
    result.attempts++;
    let state = WaiterState.RETRY;
    try {
      const response = await config.client.send(makeCommand(), signal ? { abortSignal: signal } : undefined);
      result.lastResponse = response;
      delete result.lastError;
      state = matchResponse(acceptors, response)?.state ?? WaiterState.RETRY;
    } catch (error) {
      if (signal?.aborted) return aborted();
      result.lastError = error;
      const matched = matchError(acceptors, error);
      const kind = classifyError(error);
      // Throttling and transient errors that outlasted the client's retries: keep waiting.
      state = matched?.state ?? (kind === "NONE" || kind === "CLOCK_SKEW" ? WaiterState.FAILURE : WaiterState.RETRY);
    }
    config.onPoll?.({ attempt: result.attempts, elapsed: (Date.now() - started) / 1000, state, response: result.lastResponse, error: result.lastError });
    if (state !== WaiterState.RETRY) {
      const reason = state === WaiterState.FAILURE ? failureReason(result) : undefined;
      return { ...result, state, ...(reason ? { reason } : {}) };
    }
    // The next poll would come after the deadline: time is up now, with no sleep and no request.
    const delay = pollDelay(result.attempts, minDelay, maxDelay, random);
    if (Date.now() + delay >= deadline) return { ...result, state: WaiterState.TIMEOUT, reason: `still not done after ${config.maxWaitTime} s` };
    // The sleep rejects only when the signal fires: the check at the top of the loop ends the wait.
    await sleep(delay, signal).catch(() => undefined);
  }
}

function failureReason(result: WaiterResult<unknown>): string {
  if (result.lastError) return `${(result.lastError as Error).name}: ${(result.lastError as Error).message}`;
  const response = result.lastResponse as Record<string, unknown> | undefined;
  const state = response?.state ?? response?.buildState;
  return `reached ${String(state)}${response?.stateReason ? ` (${String(response.stateReason)})` : ""}`;
}

/** Throws a {@link WaiterError} unless the wait succeeded. */
export function checkResult<O>(result: WaiterResult<O>): WaiterResult<O> {
  if (result.state !== WaiterState.SUCCESS) throw new WaiterError(result);
  return result;
}
