/**
 * Client-token records: a retried call with the same token and the same input gets the first
 * result back; the same token with other input is a conflict.
 */
import { LocalServiceError } from "../errors";

interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly result: unknown;
}

/** JSON with sorted keys, so that member order does not change the fingerprint. */
function stableJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key, item]) => item !== undefined && key !== "clientToken")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export class IdempotencyRecords {
  private readonly records = new Map<string, IdempotencyRecord>();

  /**
   * Runs `create` once per (operation, client token). Without a token every call creates.
   */
  run<I extends { clientToken?: string | undefined }, O>(operation: string, input: I, create: () => O): O {
    if (input.clientToken === undefined) return create();
    const key = `${operation}\u0000${input.clientToken}`;
    const fingerprint = stableJson(input);
    const record = this.records.get(key);
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
    this.records.set(key, { fingerprint, result });
    return result;
  }

  get size(): number {
    return this.records.size;
  }
}
