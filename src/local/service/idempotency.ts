/**
 * Client-token records: a retried call with the same token and the same input gets the first
 * result back; the same token with other input is a conflict.
 */
import { LocalServiceError } from "../errors";

interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly result: unknown;
  readonly expiresAt: number;
}

/** JSON with sorted keys, so that member order does not change the fingerprint. */
function stableJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(object[key])}`).join(",")}}`;
  }
  // Stryker disable next-line StringLiteral: undefined members are dropped above and inputs hold no functions or symbols, so JSON.stringify always gives text here
  return JSON.stringify(value) ?? "null";
}

/**
 * Records expire after a fixed time; all live equally long, so the Map's insertion order is
 * also their expiry order and expiring is a walk from the front.
 */
export class IdempotencyRecords {
  private readonly records = new Map<string, IdempotencyRecord>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  /** Forgets the records that have expired by `now`. */
  expire(now: number): void {
    for (const [key, record] of this.records) {
      if (record.expiresAt > now) return;
      this.records.delete(key);
    }
  }

  /**
   * Runs `create` once per (operation, client token) while the record lasts. Without a token
   * every call creates.
   */
  run<I extends { clientToken?: string | undefined }, O>(operation: string, input: I, create: () => O): O {
    if (input.clientToken === undefined) return create();
    const key = `${operation}\u0000${input.clientToken}`;
    // The token itself is the key, not part of the input compared (a member of that name deeper
    // down, such as an environment variable, is).
    const { clientToken: _token, ...rest } = input;
    const fingerprint = stableJson(rest);
    let record = this.records.get(key);
    if (record && record.expiresAt <= this.now()) {
      this.records.delete(key);
      record = undefined;
    }
    if (record) {
      if (record.fingerprint !== fingerprint) {
        throw new LocalServiceError(
          "ConflictException",
          `The clientToken was already used for a ${operation} request with different parameters.`,
        );
      }
      return record.result as O;
    }
    const result = create();
    this.records.set(key, { fingerprint, result, expiresAt: this.now() + this.ttlMs });
    return result;
  }

  get size(): number {
    return this.records.size;
  }
}
