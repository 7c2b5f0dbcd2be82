/**
 * A resource's lifecycle as planned steps in time. State is read lazily at "now", so the
 * emulator needs no timers (nothing keeps the process alive) and a transition time of 0 makes
 * every planned step visible at once while the order of states stays the same.
 */
export interface Step<S extends string> {
  readonly state: S;
  /** Epoch milliseconds when the resource enters `state`. */
  readonly at: number;
  /** Why it entered it (failures, automatic transitions). */
  readonly reason?: string;
  /** When the step was planned: the request (or event) that led to it, at or before `at`. */
  readonly plannedAt: number;
}

export interface PlannedStep<S extends string> {
  readonly state: S;
  /** Milliseconds after the previous step. */
  readonly after: number;
  readonly reason?: string;
}

export class Timeline<S extends string> {
  private steps: Step<S>[] = [];

  constructor(initial: S, at: number, plan: readonly PlannedStep<S>[]) {
    this.steps.push({ state: initial, at, plannedAt: at });
    this.append(at, plan);
  }

  /** The step in effect at `now`. */
  current(now: number): Step<S> {
    return this.steps[this.indexAt(now)]!;
  }

  /** Index of the step in effect at `now` (the first step if `now` is before it). */
  indexAt(now: number): number {
    let i = this.steps.length - 1;
    while (i > 0 && this.steps[i]!.at > now) i--;
    return i;
  }

  /** The step at `index`, planned or past. */
  step(index: number): Step<S> | undefined {
    return this.steps[index];
  }

  /** Steps planned after `now`. */
  upcoming(now: number): readonly Step<S>[] {
    return this.steps.filter((step) => step.at > now);
  }

  /** Cancels everything planned after `at` and plans `steps` from there instead. */
  replan(at: number, plan: readonly PlannedStep<S>[]): void {
    // Stryker disable next-line MethodExpression: the steps it drops sit before the new ones in the list and are later than its start; reads take the last step in the list that has begun, and walks start there, so they are never read
    this.steps = this.steps.filter((step) => step.at <= at);
    this.append(at, plan);
  }

  private append(from: number, plan: readonly PlannedStep<S>[]): void {
    let at = from;
    for (const step of plan) {
      at += step.after;
      const planned = { state: step.state, at, plannedAt: from };
      this.steps.push(step.reason === undefined ? planned : { ...planned, reason: step.reason });
    }
  }
}
