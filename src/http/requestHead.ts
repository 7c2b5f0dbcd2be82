/** The parts of an HTTP/1.1 request the transports build from a smithy `HttpRequest`. */
import { buildQueryString } from "@smithy/core/protocols";
import type { HttpRequest } from "@smithy/core/transport";

/** An HTTP token (RFC 9110): what method and header names are made of. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What Node refuses in a header value (it would split the message). */
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** What Node refuses in a request target. */
const INVALID_PATH = /[^\u0021-\u00ff]/;
const ASCII = /^[\x00-\x7f]*$/;
/** Methods whose requests Node sends without a length when they have no body. */
const NO_BODY_METHODS = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);

/** The request target: path and query string, encoded as smithy's NodeHttpHandler encodes them. */
export function pathOf(request: HttpRequest): string {
  const query = request.query ? buildQueryString(request.query) : "";
  return query ? `${request.path}?${query}` : request.path;
}

/** The host name to connect to (an IPv6 literal without its brackets). */
export function hostOf(request: HttpRequest): string {
  const hostname = request.hostname;
  return hostname[0] === "[" && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/** Node's error for a character that would corrupt the message. */
function invalid(code: string, message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

/**
 * The request line and headers, checked as Node checks them (so a bad value fails before
 * anything is sent). Adds `Host`, `Content-Length` and `Connection: keep-alive` where missing.
 */
export function requestHead(request: HttpRequest): string {
  const path = pathOf(request);
  if (!TOKEN.test(request.method)) throw invalid("ERR_INVALID_HTTP_TOKEN", `Method must be a valid HTTP token ["${request.method}"]`);
  if (INVALID_PATH.test(path)) throw invalid("ERR_UNESCAPED_CHARACTERS", "Request path contains unescaped characters");
  let head = `${request.method} ${path} HTTP/1.1\r\n`;
  let hasHost = false;
  let hasLength = false;
  let hasConnection = false;
  const headers = request.headers;
  for (const name in headers) {
    const value = headers[name];
    if (value == null) continue;
    if (!TOKEN.test(name)) throw invalid("ERR_INVALID_HTTP_TOKEN", `Header name must be a valid HTTP token ["${name}"]`);
    if (INVALID_VALUE.test(value)) throw invalid("ERR_INVALID_CHAR", `Invalid character in header content ["${name}"]`);
    const lower = name.toLowerCase();
    if (lower === "host") hasHost = true;
    else if (lower === "content-length" || lower === "transfer-encoding") hasLength = true;
    else if (lower === "connection") hasConnection = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!hasHost) head += `Host: ${request.port != null ? `${request.hostname}:${request.port}` : request.hostname}\r\n`;
  // The client's headers step has set the length already; it is worked out here only for bodies
  // from elsewhere. Like Node, a POST or PUT without a body still says `Content-Length: 0`.
  if (!hasLength) {
    const body = request.body as string | Uint8Array | undefined;
    const length = body === undefined ? undefined : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
    if (length !== undefined || !NO_BODY_METHODS.has(request.method)) head += `Content-Length: ${length ?? 0}\r\n`;
  }
  if (!hasConnection) head += "Connection: keep-alive\r\n";
  return `${head}\r\n`;
}

/** The whole request as bytes to write: head (Latin-1, as Node writes headers) and body. */
export function requestBytes(head: string, body: string | Uint8Array | undefined): string | Buffer {
  if (body === undefined) return ASCII.test(head) ? head : Buffer.from(head, "latin1");
  if (typeof body === "string" && ASCII.test(head)) return head + body;
  return Buffer.concat([Buffer.from(head, "latin1"), typeof body === "string" ? Buffer.from(body, "utf8") : body]);
}
