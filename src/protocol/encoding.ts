/** Small wire encodings shared by the client and the local emulator. */
import { hasOwn } from "./keys";

/** Percent-encodes one URI path segment per RFC 3986: only unreserved characters stay. */
export function encodeLabel(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Epoch seconds (fractional allowed) as restJson1 writes timestamps in bodies. */
export function toEpochSeconds(value: Date | number | string): number {
  if (value instanceof Date) return value.getTime() / 1000;
  if (typeof value === "number") return value;
  return Date.parse(value) / 1000;
}

/** Parses an epoch-seconds timestamp (number or numeric string); undefined when it is not one. */
export function fromEpochSeconds(value: unknown): Date | undefined {
  const seconds = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return undefined;
  return new Date(Math.round(seconds * 1000));
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const NUMERIC = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A UTC date from its fields, or undefined when a field is out of range (Feb 30, 25:00, …). */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): Date | undefined {
  // A month, day or hour out of range rolls over into another day or month, which the check
  // after Date.UTC catches; a minute or second out of range can stay within the day.
  if (minute > 59 || second > 60) return undefined;
  const time = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  const date = new Date(time);
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined;
  return second === 60 ? new Date(time + 1000) : date;
}

/**
 * A timestamp as a service may send it: epoch seconds (a number, or a numeric string), an
 * RFC 3339 date-time (`2024-01-02T03:04:05.123Z`, with an offset or not), or an HTTP date
 * (`Tue, 02 Jan 2024 03:04:05 GMT`), as botocore reads them. Undefined for anything else.
 * (smithy's own date parsers would add about 11 KB to every bundle for this one function.)
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === "number") return fromEpochSeconds(value);
  if (typeof value !== "string") return undefined;
  if (NUMERIC.test(value)) return fromEpochSeconds(value);
  let m = RFC3339.exec(value);
  if (m) {
    const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
    const date = utc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms);
    if (date === undefined || m[8]) return date;
    // Stryker disable next-line ArithmeticOperator: dividing by ±1 is multiplying by it
    const offset = (+m[10]! * 60 + +m[11]!) * (m[9] === "-" ? -1 : 1);
    return +m[10]! > 23 || +m[11]! > 59 ? undefined : new Date(date.getTime() - offset * 60_000);
  }
  m = IMF_FIXDATE.exec(value);
  if (m) return utc(+m[3]!, MONTHS.indexOf(m[2]!) + 1, +m[1]!, +m[4]!, +m[5]!, +m[6]!, 0);
  return undefined;
}

/** Looks a header up case-insensitively (own entries only: a header map may be a plain object). */
export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const direct = hasOwn(headers, name) ? headers[name] : undefined;
  // Stryker disable next-line ConditionalExpression: the loop below finds the same entry (this is the fast path)
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key];
  return undefined;
}
