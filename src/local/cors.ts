/**
 * Cross-origin access for clients in browsers: the preflight `OPTIONS` is answered before
 * authentication (a browser sends it without credentials), every answer carries the
 * `Access-Control-*` headers for an allowed origin, and the headers a client reads (request id,
 * error type, `Date` for clock skew, `Retry-After`) are exposed to it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** The methods of this service's operations. */
const METHODS = "GET, POST, PUT, PATCH, DELETE";
/** Response headers a client reads beyond those every browser shows. */
const EXPOSED = "x-amzn-requestid, x-amzn-errortype, x-amz-request-id, date, retry-after";
/** How long a browser may keep a preflight's answer, in seconds. */
const MAX_AGE = "600";
/** A list of header names as a preflight asks for them (RFC 9110 tokens, comma separated). */
const HEADER_LIST = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:[ \t]*,[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*$/;

/** Which origins may call the emulator from a browser: any (`"*"`), or these exactly. */
export type CorsOrigins = "*" | readonly string[];

export class CorsPolicy {
  private readonly allowed: ReadonlySet<string> | undefined;

  constructor(origins: CorsOrigins = "*") {
    this.allowed = origins === "*" ? undefined : new Set(origins.map(normalizeOrigin));
  }

  /** True when a browser page from `origin` may read the answers. */
  allows(origin: string): boolean {
    return this.allowed === undefined || this.allowed.has(normalizeOrigin(origin));
  }

  /** The `Access-Control-Allow-Origin` for any request, when every origin is allowed (for answers given before the head is read). */
  get anyOrigin(): boolean {
    return this.allowed === undefined;
  }

  /**
   * Sets the CORS headers of the answer to `req` (for an allowed origin), and answers it when it
   * is a preflight. Returns true when the request was answered here.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    const allowed = this.allowed === undefined || (origin !== undefined && this.allows(origin));
    if (this.allowed !== undefined) res.setHeader("vary", "Origin");
    if (allowed) {
      res.setHeader("access-control-allow-origin", this.allowed === undefined ? "*" : origin!);
      res.setHeader("access-control-expose-headers", EXPOSED);
    }
    if (req.method !== "OPTIONS" || req.headers["access-control-request-method"] === undefined) return false;
    this.preflight(req, res, allowed);
    return true;
  }

  private preflight(req: IncomingMessage, res: ServerResponse, allowed: boolean): void {
    const asked = req.headers["access-control-request-headers"];
    if (!allowed || (asked !== undefined && asked.trim() !== "" && !HEADER_LIST.test(asked))) {
      res.writeHead(403, { "content-length": 0 });
      res.end();
      return;
    }
    res.setHeader("access-control-allow-methods", METHODS);
    // Echoed rather than "*": a wildcard does not cover `Authorization`, which every call signs with.
    if (asked !== undefined && asked.trim() !== "") res.setHeader("access-control-allow-headers", asked);
    res.setHeader("access-control-max-age", MAX_AGE);
    res.setHeader("vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    res.writeHead(204, { "content-length": 0 });
    res.end();
  }
}

/** Origins compare by scheme, host and port, case-insensitively, without a trailing slash. */
function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, "").toLowerCase();
}
