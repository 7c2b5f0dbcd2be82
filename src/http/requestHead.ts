/** The parts of an HTTP/1.1 request the transports build from a smithy `HttpRequest`. */
import { buildQueryString } from "@smithy/core/protocols";
import type { HttpRequest } from "@smithy/core/transport";
import { CHUNKED_LAST, DIGITS, NOT_FIELD_CHAR, TOKEN } from "./syntax";

/** What Node refuses in a header value (it would split the message). */
const INVALID_VALUE = new RegExp(NOT_FIELD_CHAR);
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

/** True when a header name and value pass the checks {@link requestHead} makes. */
export function isValidHeader(name: string, value: string): boolean {
  return TOKEN.test(name) && !INVALID_VALUE.test(value);
}

/** Node's error for a character that would corrupt the message. */
function invalid(code: string, message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

/** The request line and headers, and whether the body goes out in chunked framing. */
interface Head {
  text: string;
  chunked: boolean;
}

/**
 * The request line and headers, checked as Node checks them (so a bad value fails before
 * anything is sent). Adds `Host`, `Content-Length` and `Connection: keep-alive` where missing.
 */
export function requestHead(request: HttpRequest): string {
  return buildHead(request, bodyLength(request.body as Body)).text;
}

/** The whole request as bytes to write: head (Latin-1, as Node writes headers) and framed body. */
export function requestPayload(request: HttpRequest): string | Buffer {
  const body = request.body as Body;
  const length = bodyLength(body);
  const head = buildHead(request, length);
  if (!head.chunked) return requestBytes(head.text, body);
  // One chunk holds the whole body (this handler buffers bodies), then the last chunk.
  if (!length) return requestBytes(`${head.text}0\r\n\r\n`, undefined);
  return Buffer.concat([Buffer.from(`${head.text}${length.toString(16)}\r\n`, "latin1"), asBytes(body!), Buffer.from("\r\n0\r\n\r\n")]);
}

type Body = string | Uint8Array | undefined;

const bodyLength = (body: Body): number | undefined => (body === undefined ? undefined : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
const asBytes = (body: string | Uint8Array): Uint8Array => (typeof body === "string" ? Buffer.from(body, "utf8") : body);

function buildHead(request: HttpRequest, length: number | undefined): Head {
  const path = pathOf(request);
  if (!TOKEN.test(request.method)) throw invalid("ERR_INVALID_HTTP_TOKEN", `Method must be a valid HTTP token ["${request.method}"]`);
  if (INVALID_PATH.test(path)) throw invalid("ERR_UNESCAPED_CHARACTERS", "Request path contains unescaped characters");
  let head = `${request.method} ${path} HTTP/1.1\r\n`;
  let hasHost = false;
  let hasConnection = false;
  let contentLength: string | undefined;
  let transferEncoding: string | undefined;
  const headers = request.headers;
  for (const name in headers) {
    const value = headers[name];
    if (value == null) continue;
    if (!TOKEN.test(name)) throw invalid("ERR_INVALID_HTTP_TOKEN", `Header name must be a valid HTTP token ["${name}"]`);
    if (INVALID_VALUE.test(value)) throw invalid("ERR_INVALID_CHAR", `Invalid character in header content ["${name}"]`);
    const lower = name.toLowerCase();
    if (lower === "host") hasHost = true;
    else if (lower === "connection") hasConnection = true;
    else if (lower === "content-length") contentLength = once(name, contentLength, value);
    else if (lower === "transfer-encoding") transferEncoding = once(name, transferEncoding, value);
    head += `${name}: ${value}\r\n`;
  }
  if (!hasHost) head += `Host: ${request.port != null ? `${request.hostname}:${request.port}` : request.hostname}\r\n`;
  const chunked = checkFraming(contentLength, transferEncoding, length ?? 0);
  // The client's headers step has set the length already; it is worked out here only for bodies
  // from elsewhere. Like Node, a POST or PUT without a body still says `Content-Length: 0`.
  if (contentLength === undefined && transferEncoding === undefined && (length !== undefined || !NO_BODY_METHODS.has(request.method))) {
    head += `Content-Length: ${length ?? 0}\r\n`;
  }
  if (!hasConnection) head += "Connection: keep-alive\r\n";
  return { text: `${head}\r\n`, chunked };
}

/** A framing header given twice (in two spellings) would be sent twice: a server could pick either. */
function once(name: string, previous: string | undefined, value: string): string {
  if (previous !== undefined) throw invalid("ERR_HTTP_INVALID_HEADER_VALUE", `Header must not be given twice ["${name}"]`);
  return value;
}

/**
 * Checks the framing the caller's headers ask for against the body, so that the server never
 * reads a body other than the one sent (RFC 9112, section 6). True when it is chunked.
 */
function checkFraming(contentLength: string | undefined, transferEncoding: string | undefined, length: number): boolean {
  if (transferEncoding !== undefined) {
    if (contentLength !== undefined) {
      throw invalid("ERR_HTTP_INVALID_HEADER_VALUE", "Content-Length and Transfer-Encoding must not both be set on a request (RFC 9112, section 6.2)");
    }
    if (!CHUNKED_LAST.test(transferEncoding)) {
      throw invalid("ERR_HTTP_INVALID_HEADER_VALUE", 'Transfer-Encoding must end with "chunked", the only framing this handler sends ["transfer-encoding"]');
    }
    return true;
  }
  if (contentLength !== undefined && (!DIGITS.test(contentLength.trim()) || Number(contentLength) !== length)) {
    const given = DIGITS.test(contentLength.trim()) ? `${Number(contentLength)} bytes` : "not a number";
    throw Object.assign(new Error(`Content-Length (${given}) does not match the body's length (${length} bytes)`), { code: "ERR_HTTP_CONTENT_LENGTH_MISMATCH" });
  }
  return false;
}

/** The bytes of a head and an unframed body, as one string when they are ASCII text. */
function requestBytes(head: string, body: Body): string | Buffer {
  if (body === undefined) return ASCII.test(head) ? head : Buffer.from(head, "latin1");
  if (typeof body === "string" && ASCII.test(head)) return head + body;
  return Buffer.concat([Buffer.from(head, "latin1"), asBytes(body)]);
}
