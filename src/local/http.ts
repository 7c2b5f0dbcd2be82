/** Small node:http helpers: reading a bounded body, reading headers, writing answers. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WireResponse } from "../protocol/server";

/** How a body read ended. Anything but "complete" is answered before the body has arrived. */
export type BodyOutcome = "complete" | "too-large" | "over-budget" | "timed-out" | "aborted";

export interface BodyResult {
  readonly outcome: BodyOutcome;
  /** The body when complete; empty otherwise. */
  readonly body: Buffer;
}

/**
 * Bytes held by request bodies that are still arriving, across all requests, with a ceiling: a
 * crowd of clients that each send most of a body and stop cannot pin more than `max` bytes.
 */
export class BodyBudget {
  private used = 0;
  constructor(readonly max: number) {}

  take(bytes: number): boolean {
    if (this.used + bytes > this.max) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }

  get inUse(): number {
    return this.used;
  }
}

export interface BodyLimits {
  readonly maxBytes: number;
  readonly budget: BodyBudget;
  /** Milliseconds the whole body may take to arrive. */
  readonly timeoutMs: number;
}

/** Beyond this many discarded bytes, or the body timeout, a body that is still coming is cut off. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a request body within the limits. It settles as soon as the outcome is known, so that
 * a body over the limit is answered (413) while the client is still sending; the rest of such a
 * body is read and thrown away (so that the client gets the answer rather than a reset) until
 * it ends, or until the drain limit or the timeout, when the connection is closed.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let held = 0;
    let seen = 0;
    let settled = false;
    const release = (): void => {
      limits.budget.give(held);
      held = 0;
      chunks.length = 0;
    };
    const settle = (outcome: BodyOutcome): void => {
      if (settled) return;
      settled = true;
      const body = outcome === "complete" ? Buffer.concat(chunks, held) : Buffer.alloc(0);
      release();
      resolve({ outcome, body });
    };
    // A body still arriving at the deadline is answered 408; one still being thrown away is cut.
    const timer = setTimeout(() => (settled ? req.socket.destroy() : settle("timed-out")), limits.timeoutMs);
    timer.unref();
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limits.maxBytes) settle("too-large");
    req.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (settled) {
        if (seen > DRAIN_LIMIT_BYTES) req.socket.destroy();
        return;
      }
      if (seen > limits.maxBytes) return settle("too-large");
      if (!limits.budget.take(chunk.length)) return settle("over-budget");
      held += chunk.length;
      chunks.push(chunk);
    });
    req.on("end", () => {
      clearTimeout(timer);
      settle("complete");
    });
    req.on("error", () => settle("aborted"));
    req.on("close", () => {
      clearTimeout(timer);
      settle(req.complete ? "complete" : "aborted");
    });
  });
}

export function send(res: ServerResponse, response: WireResponse, requestId?: string, close = false): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string | number> = { ...response.headers };
  if (requestId !== undefined) headers["x-amzn-requestid"] = requestId;
  const body = response.body === undefined ? undefined : Buffer.from(response.body, "utf8");
  headers["content-length"] = body?.length ?? 0;
  if (close) headers.connection = "close";
  // setHeader (not writeHead's object) keeps them readable for the request log.
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.writeHead(response.status);
  res.end(body);
}

/**
 * The request's headers by lowercase name, repeated ones joined by `,` as SigV4 joins them. Read
 * from the raw list into a record without a prototype: Node's own `req.headers` loses a header
 * named `__proto__`, and a lookup of `constructor` there would find a function.
 */
export function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out = Object.create(null) as Record<string, string | undefined>;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!.trim();
    const previous = out[name];
    out[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return out;
}
