/**
 * An incremental HTTP/1.1 response parser (RFC 9112) for the socket transport: fed the bytes of
 * one exchange in whatever pieces they arrive, it yields the status, the headers and the whole
 * body. It is strict: anything it does not understand is an error (the attempt fails and the
 * connection is closed), never a guess.
 */

import { TOKEN } from "./requestHead";
import { hasOwn, setOwn } from "../protocol/keys";

/** Headers no longer than Node's default limit. */
const MAX_HEAD_BYTES = 16 * 1024;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;
/** Chunk size, then optional extensions (ignored). */
const CHUNK_LINE = /^([0-9A-Fa-f]{1,8})[ \t]*(?:;.*)?$/;

/** Node keeps the first of these when repeated, so smithy's handler sees only one. */
const SINGLE_VALUED = new Set([
  "age",
  "authorization",
  "content-length",
  "content-type",
  "etag",
  "expires",
  "from",
  "host",
  "if-modified-since",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "proxy-authorization",
  "referer",
  "retry-after",
  "server",
  "user-agent",
]);

export interface ParsedResponse {
  statusCode: number;
  reason: string;
  /** Lower-case names; repeated headers combined as Node and smithy's handler combine them. */
  headers: Record<string, string>;
  body: Buffer;
  /** True when the connection may carry another request. */
  keepAlive: boolean;
  /** Seconds from the server's `Keep-Alive: timeout=N`, if it sent one. */
  keepAliveTimeout?: number;
}

/** A response that broke the protocol; the connection cannot be trusted after it. */
export class HttpParseError extends Error {
  override name = "HttpParseError";
  readonly code = "HPE_INVALID";
  constructor(what: string) {
    super(`Invalid HTTP response: ${what}.`);
  }
}

type State = "head" | "length" | "chunkLine" | "chunkData" | "chunkEnd" | "trailers" | "untilClose" | "done";

export class ResponseParser {
  private state: State = "head";
  private buffered: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private chunks: Buffer[] = [];
  private head: Omit<ParsedResponse, "body"> | undefined;

  /** @param noBody the request was a HEAD, whose response has no body whatever its headers say */
  constructor(private readonly noBody = false) {}

  /** Takes the next bytes; returns the response once it is complete. Throws HttpParseError. */
  push(data: Buffer): ParsedResponse | undefined {
    this.buffered = this.buffered.length === 0 ? data : Buffer.concat([this.buffered, data]);
    while (this.state !== "done") {
      if (!this.step()) return undefined;
    }
    if (this.buffered.length > 0) throw new HttpParseError("bytes after the end of the response");
    return this.result();
  }

  /** The socket closed: completes a response whose body runs to the end of the connection. */
  end(): ParsedResponse | undefined {
    if (this.state !== "untilClose") return undefined;
    this.state = "done";
    return this.result();
  }

  /** True once any byte of a response arrived (so a failure is not a stale keep-alive socket's). */
  get started(): boolean {
    return this.state !== "head" || this.buffered.length > 0;
  }

  private result(): ParsedResponse {
    const { statusCode, reason, headers, keepAlive, keepAliveTimeout } = this.head!;
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    return { statusCode, reason, headers, body, keepAlive, keepAliveTimeout };
  }

  /** One step of the state machine; false when it needs more bytes. */
  private step(): boolean {
    switch (this.state) {
      case "head":
        return this.readHead();
      case "length":
        return this.readBytes("done");
      case "chunkLine":
        return this.readChunkLine();
      case "chunkData":
        return this.readBytes("chunkEnd");
      case "chunkEnd":
        return this.readCrlf("chunkLine");
      case "trailers":
        return this.readTrailers();
      case "untilClose":
        this.take(this.buffered.length);
        return false;
      default:
        return false;
    }
  }

  private readHead(): boolean {
    const end = this.buffered.indexOf("\r\n\r\n");
    if (end < 0) {
      if (this.buffered.length > MAX_HEAD_BYTES) throw new HttpParseError("headers larger than 16 KiB");
      return false;
    }
    const text = this.buffered.toString("latin1", 0, end);
    this.buffered = this.buffered.subarray(end + 4);
    const lines = text.split("\r\n");
    const status = STATUS_LINE.exec(lines[0]!);
    if (!status) throw new HttpParseError("no HTTP/1.x status line");
    const statusCode = Number(status[2]);
    const headers = parseHeaderLines(lines, 1);
    // Interim answers (100 Continue, 103 Early Hints) precede the real one.
    if (statusCode >= 100 && statusCode < 200 && statusCode !== 101) return true;
    const http10 = status[1] === "0";
    const connection = (headers.connection ?? "").toLowerCase();
    const keepAlive = !http10 && !/(^|,)\s*close\s*(,|$)/.test(connection);
    const hint = /(?:^|,)\s*timeout=(\d+)/.exec(headers["keep-alive"] ?? "");
    this.head = { statusCode, reason: status[3] ?? "", headers, keepAlive, keepAliveTimeout: hint ? Number(hint[1]) : undefined };
    this.frameBody(statusCode, headers);
    return true;
  }

  /** How the body is delimited (RFC 9112, section 6.3). */
  private frameBody(statusCode: number, headers: Record<string, string>): void {
    if (this.noBody || statusCode === 204 || statusCode === 304) {
      this.state = "done";
      return;
    }
    const encoding = headers["transfer-encoding"];
    if (encoding !== undefined) {
      // With both headers the framing is ambiguous to some intermediaries: read it, then close.
      if (headers["content-length"] !== undefined) this.head!.keepAlive = false;
      if (/(^|,)\s*chunked\s*$/i.test(encoding)) this.state = "chunkLine";
      else this.untilClose();
      return;
    }
    const length = headers["content-length"];
    if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length)) throw new HttpParseError("bad Content-Length");
      this.remaining = Number(length);
      this.state = this.remaining === 0 ? "done" : "length";
      return;
    }
    this.untilClose();
  }

  private untilClose(): void {
    this.head!.keepAlive = false;
    this.state = "untilClose";
  }

  private readBytes(next: State): boolean {
    if (this.buffered.length === 0) return false;
    const n = Math.min(this.remaining, this.buffered.length);
    this.take(n);
    this.remaining -= n;
    if (this.remaining > 0) return false;
    this.state = next;
    return true;
  }

  private take(n: number): void {
    if (n === 0) return;
    this.chunks.push(this.buffered.subarray(0, n));
    this.buffered = this.buffered.subarray(n);
  }

  private readLine(): string | undefined {
    const end = this.buffered.indexOf("\r\n");
    if (end < 0) {
      if (this.buffered.length > MAX_HEAD_BYTES) throw new HttpParseError("chunk line too long");
      return undefined;
    }
    const line = this.buffered.toString("latin1", 0, end);
    this.buffered = this.buffered.subarray(end + 2);
    return line;
  }

  private readChunkLine(): boolean {
    const line = this.readLine();
    if (line === undefined) return false;
    const size = CHUNK_LINE.exec(line);
    if (!size) throw new HttpParseError("bad chunk size");
    this.remaining = parseInt(size[1]!, 16);
    this.state = this.remaining === 0 ? "trailers" : "chunkData";
    return true;
  }

  private readCrlf(next: State): boolean {
    if (this.buffered.length < 2) return false;
    if (this.buffered[0] !== 13 || this.buffered[1] !== 10) throw new HttpParseError("chunk not ended by CRLF");
    this.buffered = this.buffered.subarray(2);
    this.state = next;
    return true;
  }

  /** Trailer fields after the last chunk are read and dropped, up to the empty line. */
  private readTrailers(): boolean {
    for (;;) {
      const line = this.readLine();
      if (line === undefined) return false;
      if (line === "") {
        this.state = "done";
        return true;
      }
    }
  }
}

function parseHeaderLines(lines: string[], from: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon) : "";
    // Folded lines (leading whitespace) and names with spaces are refused, as RFC 9112 allows.
    if (!TOKEN.test(name)) throw new HttpParseError("bad header line");
    const key = name.toLowerCase();
    const value = line.slice(colon + 1).trim();
    // A header named `__proto__` or `constructor` is a header like any other.
    const previous = hasOwn(headers, key) ? headers[key] : undefined;
    if (previous === undefined) setOwn(headers, key, value);
    else if (key === "content-length" && value !== previous) throw new HttpParseError("conflicting Content-Length headers");
    else if (key === "set-cookie") headers[key] = `${previous},${value}`;
    else if (!SINGLE_VALUED.has(key)) headers[key] = `${previous}, ${value}`;
  }
  return headers;
}
