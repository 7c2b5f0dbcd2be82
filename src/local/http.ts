/** Small node:http helpers: reading a capped body, writing answers. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WireResponse } from "../protocol/server";

export interface BodyResult {
  readonly body: Buffer;
  /** True when the body was larger than the cap (the rest was read and thrown away). */
  readonly tooLarge: boolean;
}

/** Beyond this the connection is cut instead of drained. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) req.socket.destroy();
    });
    req.on("end", () => resolve({ body: Buffer.concat(chunks), tooLarge: size > maxBytes }));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("the connection closed before the request was complete"));
    });
  });
}

export function send(res: ServerResponse, response: WireResponse, requestId?: string): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string | number> = { ...response.headers };
  if (requestId !== undefined) headers["x-amzn-requestid"] = requestId;
  const body = response.body === undefined ? undefined : Buffer.from(response.body, "utf8");
  headers["content-length"] = body?.length ?? 0;
  // setHeader (not writeHead's object) keeps them readable for the request log.
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.writeHead(response.status);
  res.end(body);
}

/** Node's headers with repeated values joined, as SigV4 and the router read them. */
export function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(",") : value;
  return out;
}
