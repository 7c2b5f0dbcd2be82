/** What every part of the local service shares: identity, time, sequence numbers, tokens. */
import type { AccountScope } from "./ids";
import { IdempotencyRecords } from "./idempotency";
import { PageTokens } from "./paging";
import { newSecret } from "./ids";
import { managedCatalogue, type ManagedImage } from "./catalogue";
import { Schedule } from "./schedule";

export interface ServiceSettings {
  readonly region: string;
  readonly accountId: string;
  /** Milliseconds per state transition; 0 makes every transition visible at once. */
  readonly transitionMs: number;
  /**
   * How long terminated MicroVMs, deleted images and versions and client tokens are remembered,
   * in milliseconds. Default: 3600 transitions (an hour at 1000 ms), and at least a minute.
   */
  readonly retentionMs?: number;
  /** The clock, in epoch milliseconds; tests may replace it to move time forward. */
  readonly now?: () => number;
}

/** The default retention: long enough for a test to look at what it ended, scaled like the service's hour. */
export const defaultRetentionMs = (transitionMs: number): number => Math.max(60_000, 3600 * transitionMs);

export class ServiceContext {
  readonly scope: AccountScope;
  readonly transitionMs: number;
  readonly retentionMs: number;
  readonly tokens = new PageTokens(newSecret());
  readonly idempotency: IdempotencyRecords;
  readonly catalogue: readonly ManagedImage[];
  readonly now: () => number;
  /** Forgetting what has outlived the retention period. */
  readonly schedule = new Schedule();
  private seq = 0;

  constructor(settings: ServiceSettings) {
    this.scope = { region: settings.region, accountId: settings.accountId };
    this.transitionMs = Math.max(0, settings.transitionMs);
    this.retentionMs = Math.max(0, settings.retentionMs ?? defaultRetentionMs(this.transitionMs));
    this.catalogue = managedCatalogue(settings.region);
    this.now = settings.now ?? Date.now;
    this.idempotency = new IdempotencyRecords(this.now, this.retentionMs);
  }

  /** A fresh, increasing number that orders items for paging. */
  nextSeq(): number {
    return this.seq++;
  }

  /** Runs the work that has come due; every operation starts with it. */
  sweep(): void {
    const now = this.now();
    this.schedule.runDue(now);
    this.idempotency.expire(now);
  }
}
