/** What every part of the local service shares: identity, time, sequence numbers, tokens. */
import type { AccountScope } from "./ids";
import { IdempotencyRecords } from "./idempotency";
import { PageTokens } from "./paging";
import { newSecret } from "./ids";
import { managedCatalogue, type ManagedImage } from "./catalogue";

export interface ServiceSettings {
  readonly region: string;
  readonly accountId: string;
  /** Milliseconds per state transition; 0 makes every transition visible at once. */
  readonly transitionMs: number;
  /** The clock, in epoch milliseconds; tests may replace it to move time forward. */
  readonly now?: () => number;
}

export class ServiceContext {
  readonly scope: AccountScope;
  readonly transitionMs: number;
  readonly tokens = new PageTokens(newSecret());
  readonly idempotency = new IdempotencyRecords();
  readonly catalogue: readonly ManagedImage[];
  readonly now: () => number;
  private seq = 0;

  constructor(settings: ServiceSettings) {
    this.scope = { region: settings.region, accountId: settings.accountId };
    this.transitionMs = Math.max(0, settings.transitionMs);
    this.catalogue = managedCatalogue(settings.region);
    this.now = settings.now ?? Date.now;
  }

  /** A fresh, increasing number that orders items for paging. */
  nextSeq(): number {
    return this.seq++;
  }
}
