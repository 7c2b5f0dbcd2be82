/** Small wire encodings shared by the client and the local emulator. */

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

/** Looks a header up case-insensitively. */
export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key];
  return undefined;
}
