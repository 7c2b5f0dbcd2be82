/**
 * What the emulator keeps per MicroVM, and the automatic transitions the service makes on its
 * own: termination at the maximum duration, and the idle policy (a MicroVM gets no traffic
 * here, so it counts as idle from the moment it runs).
 */
import type { GetMicrovmResponse, IdlePolicy, MicrovmItem } from "./models";
import type { Step, Timeline } from "./timeline";

export type MicrovmStage = "PENDING" | "RUNNING" | "SUSPENDING" | "SUSPENDED" | "TERMINATING" | "TERMINATED";

export interface MicrovmRecord {
  readonly seq: number;
  readonly id: string;
  readonly imageId: string;
  readonly imageArn: string;
  readonly imageVersion: string;
  readonly endpoint: string;
  readonly executionRoleArn?: string;
  readonly idlePolicy?: IdlePolicy;
  readonly maximumDurationInSeconds: number;
  readonly ingressNetworkConnectors: string[];
  readonly egressNetworkConnectors: string[];
  readonly startedAt: Date;
  readonly timeline: Timeline<MicrovmStage>;
  /** Automatic transitions are written into the timeline up to this time. */
  settledAt: number;
}

export const MAX_DURATION_REASON = "The MicroVM reached its maximum duration.";
export const IDLE_REASON = "The MicroVM was idle for longer than its idle policy allows.";
export const SUSPENDED_TOO_LONG_REASON = "The MicroVM stayed suspended for longer than its idle policy allows.";

export const ending = (state: MicrovmStage): boolean => state === "TERMINATING" || state === "TERMINATED";

interface AutomaticEvent {
  readonly at: number;
  readonly state: MicrovmStage;
  readonly reason: string;
}

/** What the service would do on its own while `step` is in effect, if nothing else happened first. */
function automaticEvent(vm: MicrovmRecord, step: Step<MicrovmStage>): AutomaticEvent | undefined {
  if (ending(step.state)) return undefined;
  const deadline = vm.startedAt.getTime() + vm.maximumDurationInSeconds * 1000;
  let event: AutomaticEvent = { at: Math.max(deadline, step.at), state: "TERMINATED", reason: MAX_DURATION_REASON };
  const policy = vm.idlePolicy;
  let idle: AutomaticEvent | undefined;
  if (policy && step.state === "RUNNING") idle = { at: step.at + policy.maxIdleDurationSeconds * 1000, state: "SUSPENDED", reason: IDLE_REASON };
  if (policy && step.state === "SUSPENDED") {
    idle = { at: step.at + policy.suspendedDurationSeconds * 1000, state: "TERMINATED", reason: SUSPENDED_TOO_LONG_REASON };
  }
  if (idle && idle.at < event.at) event = idle;
  return event;
}

/**
 * True when `event` happens: nothing is planned after the step, or the event came before the
 * request that planned the next step (a request accepted first takes effect: a resume accepted
 * while the MicroVM is suspended is not undone by the suspended-too-long timer while it runs).
 */
const fires = (event: AutomaticEvent, next: Step<MicrovmStage> | undefined): boolean => next === undefined || event.at <= next.plannedAt;

/**
 * Writes the automatic transitions that are due by `now` into the timeline. The steps are
 * walked in time order from the last settled one, and whether an event happens depends only on
 * the timeline and the requests, so the outcome is the same however often (or rarely) the MicroVM
 * is read.
 */
export function settle(vm: MicrovmRecord, now: number): void {
  let i = vm.timeline.indexAt(vm.settledAt);
  for (let step = vm.timeline.step(i); step !== undefined && step.at <= now; step = vm.timeline.step(++i)) {
    const event = automaticEvent(vm, step);
    if (event && event.at <= now && fires(event, vm.timeline.step(i + 1))) {
      vm.timeline.replan(event.at, [{ state: event.state, after: 0, reason: event.reason }]);
    }
  }
  vm.settledAt = Math.max(vm.settledAt, now);
}

/**
 * After `settle(vm, now)`: the next time the MicroVM changes by itself (a planned step or an
 * automatic event), or, once TERMINATED, when the retention period ends. Always after `now`.
 */
export function nextChange(vm: MicrovmRecord, now: number, retentionMs: number): number {
  const i = vm.timeline.indexAt(now);
  const current = vm.timeline.step(i)!;
  if (current.state === "TERMINATED") return Math.max(current.at + retentionMs, now + 1);
  // Stryker disable next-line ArithmeticOperator: a wake that comes too early changes nothing seen (it settles, which reads the same whenever it is done, and plans the next), and the previous step's time is in the past
  const next = vm.timeline.step(i + 1);
  const event = automaticEvent(vm, current);
  const candidates = [next?.at, event && fires(event, next) ? event.at : undefined].filter((t): t is number => t !== undefined);
  // Stryker disable next-line ArithmeticOperator,MethodExpression: there is at most one candidate (an event that fires has no planned step after it), and a wake that comes too early changes nothing seen: it settles and plans the next
  return Math.max(Math.min(...candidates), now + 1);
}

export function microvmOutput(vm: MicrovmRecord, now: number): GetMicrovmResponse {
  const step = vm.timeline.current(now);
  const out: GetMicrovmResponse = {
    microvmId: vm.id,
    state: step.state,
    endpoint: vm.endpoint,
    imageArn: vm.imageArn,
    imageVersion: vm.imageVersion,
    maximumDurationInSeconds: vm.maximumDurationInSeconds,
    startedAt: vm.startedAt,
    ingressNetworkConnectors: [...vm.ingressNetworkConnectors],
    egressNetworkConnectors: [...vm.egressNetworkConnectors],
  };
  if (vm.executionRoleArn !== undefined) out.executionRoleArn = vm.executionRoleArn;
  if (vm.idlePolicy !== undefined) out.idlePolicy = { ...vm.idlePolicy };
  if (step.state === "TERMINATED") out.terminatedAt = new Date(step.at);
  if (step.reason !== undefined) out.stateReason = step.reason;
  return out;
}

export function microvmItem(vm: MicrovmRecord, now: number): MicrovmItem {
  return {
    microvmId: vm.id,
    state: vm.timeline.current(now).state,
    imageArn: vm.imageArn,
    imageVersion: vm.imageVersion,
    startedAt: vm.startedAt,
  };
}
