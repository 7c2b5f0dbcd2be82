/**
 * An incremental HTTP/1.1 response parser (RFC 9112) for the socket transport: fed the bytes of
 * one exchange in whatever pieces they arrive, it yields the status, the headers and the whole
 * body. It is at least as strict as llhttp, the parser Node ships (the differential fuzz in
 * `test/http/differential.test.ts` proves it, and lists where it is stricter on purpose):
 * anything it does not understand is an error (the attempt fails and the connection is closed),
 * never a guess, and a malformed line fails as soon as its bad byte arrives, not when the head ends.
 *
 * Lines are checked with a few regular expressions over Latin-1 text (one pass over the head when
 * it comes in one piece, as it nearly always does), never byte by byte in JavaScript.
 */
import {
  CHUNK_LINE,
  CHUNK_LINE_START,
  CLOSE,
  FIELD_LINE,
  KEEP_ALIVE_TIMEOUT,
  KEEP_ALIVE_TOKEN,
  LINE_ENDS,
  NAME_CHARS,
  SINGLE_VALUED,
  STATUS_FIXED_BYTES,
  STATUS_LINE,
  STATUS_START,
  TRANSFER_CODINGS,
  VALUE_CHARS,
  fieldLineProblem,
  statusLineProblem,
} from "./responseSyntax";
import { hasOwn, setOwn } from "../protocol/keys";
import { CHUNKED_LAST, DIGITS } from "./syntax";

/** Node's default `maxHeaderSize`; counted here over the raw bytes (line ends included) of one section. */
export const MAX_SECTION_BYTES = 16 * 1024;
/** Node's limit on chunk extensions; counted here over the whole chunk-size line. */
export const MAX_CHUNK_LINE_BYTES = 16 * 1024;

const CR = 13;
const LF = 10;
const COLON = 58;
/** The start of a Content-Length value: whitespace, digits, then only spaces. */
const PARTIAL_LENGTH = /^[ \t]*(?:\d+ *)?$/;
const EMPTY = Buffer.alloc(0);
const BLANK_LINE = Buffer.from("\r\n\r\n");

/**
 * Header names to values: a plain object, as node:http and smithy's handler give (callers may
 * use its Object.prototype methods), whose entries are all own properties, so that names such as
 * `constructor` or `__proto__` are read and stored as headers like any other.
 */
export type Headers = Record<string, string>;
const newHeaders = (): Headers => ({});

export interface ParsedResponse {
  statusCode: number;
  reason: string;
  /** Lower-case names; repeated headers combined as Node and smithy's handler combine them. */
  headers: Headers;
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
  /** Bytes received and not yet consumed; in a field section, it starts at a line start. */
  private pending: Buffer = EMPTY;
  /** Bytes of `pending` already checked as the start of the current, incomplete line. */
  private checked = 0;
  /** Where that incomplete line's value starts, once its colon has come (else -1). */
  private valueStart = -1;
  /** Set when that line is a Content-Length of the head, whose value is checked as it comes. */
  private partialLength = false;
  /** Bytes of the current field section (a head, or the trailers) consumed so far. */
  private sectionBytes = 0;
  private statusSeen = false;
  private statusCode = 0;
  private reason = "";
  private http10 = false;
  private headers: Headers = newHeaders();
  private keepAlive = true;
  private remaining = 0;
  private chunks: Buffer[] = [];
  private received = false;

  /** @param noBody the request was a HEAD, whose response has no body whatever its headers say */
  constructor(private readonly noBody = false) {}

  /** Takes the next bytes; returns the response once it is complete. Throws HttpParseError. */
  push(data: Buffer): ParsedResponse | undefined {
    // Stryker disable next-line ConditionalExpression: an empty piece changes nothing below either; this skips the work
    if (data.length === 0) return undefined;
    this.received = true;
    // Stryker disable next-line ConditionalExpression: concatenating to nothing gives the same bytes; this skips a copy
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    while (this.state !== "done") {
      if (!this.step()) return undefined;
    }
    if (this.pending.length > 0) {
      // Line ends after a response are harmless (llhttp skips them before the next one), but the
      // connection is not reused after them; anything else means the framing is in doubt.
      if (!LINE_ENDS.test(this.pending.toString("latin1"))) throw new HttpParseError("bytes after the end of the response");
      this.keepAlive = false;
    }
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
    return this.received;
  }

  private result(): ParsedResponse {
    const { statusCode, reason, headers, keepAlive } = this;
    // Stryker disable next-line ConditionalExpression: the same bytes either way; one piece needs no copy
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    // Stryker disable next-line ConditionalExpression: without the header there is nothing to match either
    const hint = headers["keep-alive"] === undefined ? null : KEEP_ALIVE_TIMEOUT.exec(headers["keep-alive"]);
    return { statusCode, reason, headers, body, keepAlive, keepAliveTimeout: hint ? Number(hint[1]) : undefined };
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
        return this.readChunkEnd();
      case "trailers":
        if (!this.readSection()) return false;
        this.state = "done";
        return true;
      case "untilClose":
        this.take(this.pending.length);
        return false;
      default:
        return false;
    }
  }

  private readHead(): boolean {
    if (!this.statusSeen && !this.skipLineEnds()) return false;
    if (!this.readSection()) return false;
    // Interim answers (100 Continue, 103 Early Hints) precede the real one, and have no body.
    if (this.statusCode < 200) {
      // One that closes the connection leaves no room for the real answer (llhttp refuses what follows).
      if (this.closes(KEEP_ALIVE_TOKEN)) throw new HttpParseError("an interim response closes the connection");
      this.statusSeen = false;
      this.headers = newHeaders();
      this.sectionBytes = 0;
      return true;
    }
    this.frameBody();
    return true;
  }

  /** CRLFs before a status line are skipped, as llhttp skips them; a bare CR or LF there is refused. */
  private skipLineEnds(): boolean {
    const p = this.pending;
    let i = 0;
    while (i + 1 < p.length && p[i] === CR && p[i + 1] === LF) i += 2;
    if (i > 0) {
      this.sectionBytes += i;
      if (this.sectionBytes > MAX_SECTION_BYTES) throw new HttpParseError("head larger than 16 KiB");
      this.pending = p.subarray(i);
    }
    if (this.pending[0] === LF) throw new HttpParseError("bare CR or LF before the status line");
    return this.pending.length > 1 || (this.pending.length === 1 && this.pending[0] !== CR);
  }

  /**
   * Reads lines of a field section (the head, from its status line, or the trailers) as far as
   * they have come; true once the section's empty line is read. The incomplete last line is
   * checked as far as it goes, so that a bad byte fails at once.
   */
  private readSection(): boolean {
    const p = this.pending;
    const inHead = this.state === "head";
    if (this.checked === 0 && (this.statusSeen || !inHead) && p.length >= 2 && p[0] === CR && p[1] === LF) {
      return this.endSection(2);
    }
    const from = this.checked;
    const blank = p.indexOf(BLANK_LINE, from > 3 ? from - 3 : 0);
    let stop: number;
    if (blank >= 0) stop = blank + 2;
    else if (p.indexOf(LF, from) >= 0) stop = p.lastIndexOf(LF) + 1;
    else return this.checkPartialLine();
    if (this.sectionBytes + stop + (blank >= 0 ? 2 : 0) > MAX_SECTION_BYTES) throw this.tooLarge();
    this.readLines(p.toString("latin1", 0, stop), inHead);
    this.sectionBytes += stop;
    this.pending = p.subarray(stop);
    this.checked = 0;
    this.valueStart = -1;
    this.partialLength = false;
    return blank >= 0 ? this.endSection(2) : this.checkPartialLine();
  }

  private endSection(blankBytes: number): boolean {
    this.sectionBytes += blankBytes;
    this.pending = this.pending.subarray(blankBytes);
    return true;
  }

  private tooLarge(): HttpParseError {
    return new HttpParseError(this.state === "head" ? "head larger than 16 KiB" : "trailers larger than 16 KiB");
  }

  /** Complete lines, each ending in CRLF: the status line first if it is due, then fields. */
  private readLines(text: string, inHead: boolean): void {
    let at = 0;
    if (inHead && !this.statusSeen) {
      STATUS_LINE.lastIndex = 0;
      const status = STATUS_LINE.exec(text);
      if (status === null) throw new HttpParseError(statusLineProblem(text.slice(0, text.indexOf("\n") + 1)));
      this.readStatus(status);
      at = STATUS_LINE.lastIndex;
    }
    while (at < text.length) {
      FIELD_LINE.lastIndex = at;
      const field = FIELD_LINE.exec(text);
      if (field === null) throw new HttpParseError(fieldLineProblem(text.slice(at, text.indexOf("\n", at) + 1), inHead));
      if (inHead) this.addField(field[1]!, field[2]!, field[3]!);
      // A length among the trailers would contradict the chunked framing (llhttp refuses it too).
      else if (field[1]!.toLowerCase() === "content-length") throw new HttpParseError("Content-Length among the trailers");
      at = FIELD_LINE.lastIndex;
    }
  }

  private readStatus(status: RegExpExecArray): void {
    this.statusCode = Number(status[2]);
    // This client never asks to switch protocols: what follows a 101 is not HTTP/1.1.
    if (this.statusCode === 101) throw new HttpParseError("101 Switching Protocols, though no upgrade was asked for");
    this.http10 = status[1] === "0";
    this.reason = status[3] ?? "";
    this.statusSeen = true;
  }

  private addField(name: string, value: string, trailingSpace: string): void {
    const key = name.toLowerCase();
    const headers = this.headers;
    const previous = hasOwn(headers, key) ? headers[key] : undefined;
    if (key === "content-length" || key === "transfer-encoding") this.checkFraming(key, value, trailingSpace);
    if (previous === undefined) setOwn(headers, key, value);
    else if (key === "set-cookie") setOwn(headers, key, `${previous},${value}`);
    else if (key === "cookie") setOwn(headers, key, `${previous}; ${value}`);
    else if (!SINGLE_VALUED.has(key)) setOwn(headers, key, `${previous}, ${value}`);
  }

  /** A framing header, checked as it arrives (in interim responses too, as llhttp does). */
  private checkFraming(key: "content-length" | "transfer-encoding", value: string, trailingSpace: string): void {
    this.checkFramingName(key);
    if (key === "content-length") {
      // llhttp refuses a tab after the length (spaces are fine).
      if (!DIGITS.test(value) || trailingSpace.includes("\t")) throw new HttpParseError("Content-Length is not a number");
    } else if (!TRANSFER_CODINGS.test(value) || trailingSpace.includes("\t")) {
      // Lists with tabs, parameters or empty members are framed differently by different parsers
      // (llhttp reads `chunked<HTAB>` as another coding, `gzip,<HTAB>chunked` as chunked).
      throw new HttpParseError("Transfer-Encoding is not a plain list of codings");
    }
  }

  /**
   * A field name of the head, checked as soon as its colon comes: a repeated length (even with
   * the same value, as llhttp has it) or a length with Transfer-Encoding fails at once.
   */
  private checkFramingName(key: string): void {
    if (key !== "content-length" && key !== "transfer-encoding") return;
    const headers = this.headers;
    if (key === "content-length" && headers[key] !== undefined) throw new HttpParseError("Content-Length given twice");
    if (headers[key === "content-length" ? "transfer-encoding" : "content-length"] !== undefined) {
      throw new HttpParseError("both Content-Length and Transfer-Encoding");
    }
  }

  /**
   * Checks the incomplete line at the end of `pending` (no LF in it yet) from where the last
   * check stopped: a bad byte or an overlong section fails now rather than when the line ends.
   */
  private checkPartialLine(): false {
    const p = this.pending;
    if (this.sectionBytes + p.length > MAX_SECTION_BYTES) throw this.tooLarge();
    // A CR may end what has come so far (its LF may be next); anywhere else it is a bare CR.
    const end = p.length > 0 && p[p.length - 1] === CR ? p.length - 1 : p.length;
    if (end <= this.checked) return false;
    if (this.state === "head" && !this.statusSeen) this.checkPartialStatusLine(p, end);
    else this.checkPartialField(p, end);
    this.checked = end;
    return false;
  }

  private checkPartialStatusLine(p: Buffer, end: number): void {
    if (this.checked < STATUS_FIXED_BYTES && !STATUS_START.test(p.toString("latin1", 0, Math.min(end, STATUS_FIXED_BYTES)))) {
      throw new HttpParseError(statusLineProblem(p.toString("latin1", 0, end)));
    }
    if (end > STATUS_FIXED_BYTES && !VALUE_CHARS.test(p.toString("latin1", Math.max(this.checked, STATUS_FIXED_BYTES), end))) {
      throw new HttpParseError(statusLineProblem(p.toString("latin1", 0, end)));
    }
  }

  private checkPartialField(p: Buffer, end: number): void {
    const inHead = this.state === "head";
    let from = this.checked;
    if (this.valueStart < 0) {
      const colon = p.indexOf(COLON, from);
      const nameEnd = colon < 0 || colon >= end ? end : colon;
      if (!NAME_CHARS.test(p.toString("latin1", from, nameEnd)) || colon === 0) throw new HttpParseError(fieldLineProblem(p.toString("latin1", 0, nameEnd), inHead));
      if (nameEnd === end) return;
      this.valueStart = from = colon + 1;
      if (inHead) {
        const key = p.toString("latin1", 0, colon).toLowerCase();
        this.checkFramingName(key);
        this.partialLength = key === "content-length";
      }
    }
    if (!VALUE_CHARS.test(p.toString("latin1", from, end))) throw new HttpParseError(`control character or bare CR in a ${inHead ? "header" : "trailer"} value`);
    // A length's value so far (a short one: longer ones are checked when the line ends).
    if (this.partialLength && end - this.valueStart <= 64 && !PARTIAL_LENGTH.test(p.toString("latin1", this.valueStart, end))) {
      throw new HttpParseError("Content-Length is not a number");
    }
  }

  /** How the body is delimited (RFC 9112, section 6.3), refusing what llhttp refuses. */
  private frameBody(): void {
    const encoding = this.headers["transfer-encoding"];
    const length = this.headers["content-length"];
    // HTTP/1.0 keep-alive (an opt-in Node honours) is not used: such a connection is closed.
    this.keepAlive = !this.closes(undefined);
    if (this.noBody || this.statusCode === 204 || this.statusCode === 304) {
      this.state = "done";
    } else if (encoding !== undefined) {
      if (CHUNKED_LAST.test(encoding)) this.state = "chunkLine";
      else this.untilClose();
    } else if (length !== undefined) {
      this.remaining = Number(length);
      if (!Number.isSafeInteger(this.remaining)) throw new HttpParseError("Content-Length too large");
      this.state = this.remaining === 0 ? "done" : "length";
    } else {
      this.untilClose();
    }
  }

  /** Whether the message ends the connection: `Connection: close`, or HTTP/1.0 without the `optIn` token. */
  private closes(optIn: RegExp | undefined): boolean {
    const connection = this.headers.connection;
    if (connection !== undefined && CLOSE.test(connection)) return true;
    return this.http10 && (optIn === undefined || connection === undefined || !optIn.test(connection));
  }

  private untilClose(): void {
    this.keepAlive = false;
    this.state = "untilClose";
  }

  private readBytes(next: State): boolean {
    // Stryker disable next-line ConditionalExpression: with nothing pending, nothing is taken and more bytes are needed anyway
    if (this.pending.length === 0) return false;
    const n = Math.min(this.remaining, this.pending.length);
    this.take(n);
    this.remaining -= n;
    // Stryker disable next-line BooleanLiteral: asking for another step with nothing pending ends the same way
    if (this.remaining > 0) return false;
    this.state = next;
    return true;
  }

  private take(n: number): void {
    // Stryker disable next-line ConditionalExpression: an empty piece adds no bytes to the body
    if (n === 0) return;
    this.chunks.push(this.pending.subarray(0, n));
    this.pending = this.pending.subarray(n);
  }

  private readChunkLine(): boolean {
    const p = this.pending;
    const lf = p.indexOf(LF, this.checked);
    if (lf < 0) return this.checkPartialChunkLine();
    if (lf + 1 > MAX_CHUNK_LINE_BYTES) throw new HttpParseError("chunk-size line longer than 16 KiB");
    if (lf === 0 || p[lf - 1] !== CR) throw new HttpParseError("bare CR or LF in a chunk-size line");
    const size = CHUNK_LINE.exec(p.toString("latin1", 0, lf - 1));
    if (size === null) throw new HttpParseError(CHUNK_LINE_START.test(p.toString("latin1", 0, 1)) ? "bad chunk size or extension" : "bad chunk size");
    this.pending = p.subarray(lf + 1);
    this.checked = 0;
    this.remaining = parseInt(size[1]!, 16);
    if (this.remaining === 0) {
      this.state = "trailers";
      this.sectionBytes = 0;
    } else {
      this.state = "chunkData";
    }
    return true;
  }

  private checkPartialChunkLine(): false {
    const p = this.pending;
    if (p.length > MAX_CHUNK_LINE_BYTES) throw new HttpParseError("chunk-size line longer than 16 KiB");
    const end = p[p.length - 1] === CR ? p.length - 1 : p.length;
    if (end > this.checked) {
      if (this.checked === 0 && !CHUNK_LINE_START.test(p.toString("latin1", 0, 1))) throw new HttpParseError("bad chunk size");
      if (!VALUE_CHARS.test(p.toString("latin1", this.checked, end))) throw new HttpParseError("control character, bare CR or bare LF in a chunk-size line");
      this.checked = end;
    }
    return false;
  }

  private readChunkEnd(): boolean {
    const p = this.pending;
    if (p.length === 0) return false;
    if (p[0] !== CR || (p.length > 1 && p[1] !== LF)) throw new HttpParseError("chunk data not followed by CRLF");
    if (p.length < 2) return false;
    this.pending = p.subarray(2);
    this.state = "chunkLine";
    return true;
  }
}
