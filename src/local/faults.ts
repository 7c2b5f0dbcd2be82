/** Decides which requests get a fault on purpose, by script or by seeded chance. */
import type { FaultKind, FaultOptions } from "./types";

/** What a rate without `kinds` draws from: the faults that leave no state behind (not "lost"). */
const DEFAULT_FAULTS: readonly FaultKind[] = ["throttle", "internal", "unavailable", "drop", "slow", "malformed"];
const ALL_FAULTS: readonly FaultKind[] = [...DEFAULT_FAULTS, "lost"];

/** mulberry32: a small seeded generator, so fault runs can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  private index = 0;
  private readonly random: () => number;

  constructor(readonly options: FaultOptions = {}) {
    this.random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  }

  /** The fault for the next request. */
  next(): FaultKind {
    const { sequence, rate = 0 } = this.options;
    if (sequence) return sequence[this.index++] ?? "none";
    if (rate <= 0 || this.random() >= rate) return "none";
    const kinds = this.options.kinds?.length ? this.options.kinds : DEFAULT_FAULTS;
    return kinds[Math.floor(this.random() * kinds.length)] ?? "none";
  }

  get retryAfterSeconds(): number | undefined {
    return this.options.retryAfterSeconds;
  }

  get slowMs(): number {
    return this.options.slowMs ?? 1000;
  }
}

export function isFaultKind(value: string): value is FaultKind {
  return value === "none" || (ALL_FAULTS as readonly string[]).includes(value);
}
