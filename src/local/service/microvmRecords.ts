/**
 * What the emulator keeps per MicroVM, and the automatic transitions the service makes on its
 * own: termination at the maximum duration, and the idle policy (a MicroVM gets no traffic
 * here, so it counts as idle from the moment it runs).
 */
import type { GetMicrovmResponse, IdlePolicy, Logging, MicrovmItem } from "./models";
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
  readonly logging?: Logging;
  readonly maximumDurationInSeconds: number;
  readonly ingressNetworkConnectors: string[];
  readonly egressNetworkConnectors: string[];
  readonly startedAt: Date;
  readonly timeline: Timeline<MicrovmStage>;
}

export const MAX_DURATION_REASON = "The MicroVM reached its maximum duration.";
export const IDLE_REASON = "The MicroVM was idle for longer than its idle policy allows.";
export const SUSPENDED_TOO_LONG_REASON = "The MicroVM stayed suspended for longer than its idle policy allows.";

const ending = (state: MicrovmStage): boolean => state === "TERMINATING" || state === "TERMINATED";

interface AutomaticEvent {
  readonly at: number;
  readonly state: MicrovmStage;
  readonly reason: string;
}

function nextAutomaticEvent(vm: MicrovmRecord, current: Step<MicrovmStage>): AutomaticEvent | undefined {
  if (ending(current.state)) return undefined;
  const events: AutomaticEvent[] = [];
  const endingStep = vm.timeline.reached("TERMINATING") ?? vm.timeline.reached("TERMINATED");
  const deadline = vm.startedAt.getTime() + vm.maximumDurationInSeconds * 1000;
  if (!endingStep || endingStep.at > deadline) events.push({ at: deadline, state: "TERMINATED", reason: MAX_DURATION_REASON });
  const policy = vm.idlePolicy;
  if (policy && current.state === "RUNNING") {
    events.push({ at: current.at + policy.maxIdleDurationSeconds * 1000, state: "SUSPENDED", reason: IDLE_REASON });
  }
  if (policy && current.state === "SUSPENDED") {
    events.push({ at: current.at + policy.suspendedDurationSeconds * 1000, state: "TERMINATED", reason: SUSPENDED_TOO_LONG_REASON });
  }
  return events.sort((a, b) => a.at - b.at)[0];
}

/** Writes the automatic transitions that are due by `now` into the timeline. */
export function settle(vm: MicrovmRecord, now: number): void {
  for (let i = 0; i < 8; i++) {
    const event = nextAutomaticEvent(vm, vm.timeline.current(now));
    if (!event || event.at > now) return;
    vm.timeline.replan(event.at, [{ state: event.state, after: 0, reason: event.reason }]);
  }
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
