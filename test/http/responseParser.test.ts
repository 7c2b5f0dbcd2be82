/** The HTTP/1.1 response parser: framing, header rules, refusals and limits, whatever pieces the bytes arrive in. */
import { describe, expect, it } from "vitest";
import { HttpParseError, MAX_CHUNK_LINE_BYTES, MAX_SECTION_BYTES, ResponseParser, type ParsedResponse } from "../../src/http/responseParser";

/** Where to split `length` bytes: everywhere, or for long inputs at both ends and every 61st byte between. */
const cutsOf = (length: number): number[] =>
  Array.from({ length: length + 1 }, (_, i) => i).filter((i) => length <= 2000 || i < 200 || i > length - 200 || i % 61 === 0);

/** Parses `raw` fed in one piece, then split in two at every byte position; all must agree. */
function parse(raw: string, options: { noBody?: boolean; closeAtEnd?: boolean } = {}): ParsedResponse {
  const bytes = Buffer.from(raw, "latin1");
  const results: ParsedResponse[] = [];
  for (const cut of cutsOf(bytes.length)) {
    const parser = new ResponseParser(options.noBody);
    let result: ParsedResponse | undefined;
    for (const piece of cut === 0 ? [bytes] : [bytes.subarray(0, cut), bytes.subarray(cut)]) {
      if (piece.length > 0 && result === undefined) result = parser.push(piece);
    }
    if (options.closeAtEnd) result ??= parser.end();
    if (result === undefined) throw new Error(`incomplete when split at ${cut}`);
    results.push(result);
  }
  for (const r of results) expect({ ...r, body: r.body.toString("latin1") }).toEqual({ ...results[0]!, body: results[0]!.body.toString("latin1") });
  return results[0]!;
}

/** The error for `raw`, fed in one piece. */
function refuses(raw: string, noBody = false): string {
  try {
    new ResponseParser(noBody).push(Buffer.from(raw, "latin1"));
  } catch (error) {
    expect(error).toBeInstanceOf(HttpParseError);
    return (error as Error).message;
  }
  throw new Error("accepted");
}

/**
 * How many bytes of `raw` the parser takes before it refuses them, fed a byte at a time: the
 * parser must fail on the byte that makes the response malformed, not when the head ends.
 */
function refusedAfter(raw: string): number {
  const parser = new ResponseParser();
  const bytes = Buffer.from(raw, "latin1");
  for (let i = 0; i < bytes.length; i++) {
    try {
      parser.push(bytes.subarray(i, i + 1));
    } catch (error) {
      expect(error).toBeInstanceOf(HttpParseError);
      return i + 1;
    }
  }
  throw new Error("accepted");
}

const OK = (headers: string, body = "ok") => `HTTP/1.1 200 OK\r\n${headers}Content-Length: ${body.length}\r\n\r\n${body}`;

describe("ResponseParser", () => {
  it("reads a Content-Length body with status, reason and lower-case headers", () => {
    const r = parse('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Amzn-RequestId: r-1\r\nContent-Length: 10\r\n\r\n{"a":"é1"}');
    expect(r).toMatchObject({ statusCode: 200, reason: "OK", keepAlive: true, keepAliveTimeout: undefined });
    expect(r.headers).toEqual({ "content-type": "application/json", "x-amzn-requestid": "r-1", "content-length": "10" });
    expect(r.body.toString("latin1")).toBe('{"a":"é1"}');
  });

  it("reads chunked bodies: extensions (token or quoted), leading zeros and trailers", () => {
    const r = parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=x;flag;q="a \\"b\\""\r\nhello\r\n006\r\n world\r\n000\r\nX-Trailer: t\r\n\r\n');
    expect(r.body.toString()).toBe("hello world");
    expect(r.keepAlive).toBe(true);
    expect(r.headers["x-trailer"]).toBeUndefined();
  });

  it("takes the last coding of Transfer-Encoding: chunked last is decoded, anything else runs to the close", () => {
    expect(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip ,  chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n").body.toString()).toBe("ok");
    expect(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: CHUNKED\r\n\r\n2\r\nok\r\n0\r\n\r\n").body.toString()).toBe("ok");
    const toClose = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n2\r\nok", { closeAtEnd: true });
    expect(toClose).toMatchObject({ keepAlive: false });
    expect(toClose.body.toString()).toBe("2\r\nok");
  });

  it("skips interim 1xx responses, and CRLFs before any status line", () => {
    const r = parse("\r\nHTTP/1.1 100 Continue\r\n\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}");
    expect(r.statusCode).toBe(201);
    expect(r.headers.link).toBeUndefined();
  });

  it("refuses an interim response that closes the connection (there is no room left for the real answer)", () => {
    expect(refuses(`HTTP/1.1 100 Continue\r\nConnection: close\r\n\r\n${OK("")}`)).toMatch(/interim response closes the connection/);
    expect(refuses(`HTTP/1.0 103 Early Hints\r\n\r\n${OK("")}`)).toMatch(/interim response closes the connection/);
    expect(parse(`HTTP/1.0 103 Early Hints\r\nConnection: keep-alive\r\n\r\n${OK("")}`).statusCode).toBe(200);
  });

  it("has no body for 204, 304 and HEAD, whatever the headers say", () => {
    expect(parse("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n").body.length).toBe(0);
    expect(parse("HTTP/1.1 304 Not Modified\r\n\r\n").body.length).toBe(0);
    expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", { noBody: true }).body.length).toBe(0);
  });

  it("reads to the end of the connection when the length is not given, and does not reuse it", () => {
    const r = parse("HTTP/1.1 200 OK\r\n\r\nuntil close", { closeAtEnd: true });
    expect(r.body.toString()).toBe("until close");
    expect(r.keepAlive).toBe(false);
  });

  it("keeps the connection unless the server closes it, and reads the keep-alive hint", () => {
    expect(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(false);
    expect(parse("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(false);
    expect(parse("HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(true);
    expect(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(false);
    expect(parse("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n")).toMatchObject({ keepAlive: true, keepAliveTimeout: 5 });
  });

  it("a trailing CRLF after a complete response is accepted, and the connection is not reused", () => {
    // (Arriving later, on an idle connection, it makes the pool drop that connection.)
    const r = new ResponseParser().push(Buffer.from(`${OK("")}\r\n`))!;
    expect(r.body.toString()).toBe("ok");
    expect(r.keepAlive).toBe(false);
    expect(new ResponseParser().push(Buffer.from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n\r\n\r\n"))!.keepAlive).toBe(false);
  });

  it("combines repeated headers as Node does (joined, set-cookie with commas, cookie with semicolons, single-valued ones keep the first)", () => {
    const r = parse(OK("X-Multi: 1\r\nx-multi: 2\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nCookie: a\r\nCookie: b\r\nContent-Type: a/b\r\nContent-Type: c/d\r\nDate: x\r\nDate: y\r\n"));
    expect(r.headers).toMatchObject({ "x-multi": "1, 2", "set-cookie": "a=1,b=2", cookie: "a; b", "content-type": "a/b", date: "x, y" });
  });

  it("trims only SP and HTAB around values: obs-text such as NBSP is part of the value", () => {
    const r = parse(OK("X-A: \t a\xa0 \t\r\nX-B:\r\nX-C: a\tb  c\r\n"));
    expect(r.headers).toMatchObject({ "x-a": "a\xa0", "x-b": "", "x-c": "a\tb  c" });
  });

  it("keeps headers named like Object.prototype members as plain own values, on a plain object", () => {
    const r = parse(OK("__proto__: p\r\nconstructor: c\r\ntoString: t\r\nhasOwnProperty: h\r\n"));
    expect(Object.getPrototypeOf(r.headers)).toBe(Object.prototype);
    expect(Object.entries(r.headers)).toEqual([
      ["__proto__", "p"],
      ["constructor", "c"],
      ["tostring", "t"],
      ["hasownproperty", "h"],
      ["content-length", "2"],
    ]);
    const plain = parse(OK("Constructor: a\r\nconstructor: b\r\n"));
    expect(plain.headers.constructor).toBe("a, b");
    expect(Object.hasOwn(parse(OK("")).headers, "constructor")).toBe(false);
    expect(parse(OK("__proto__: a\r\n__proto__: b\r\n")).headers["__proto__"]).toBe("a, b");
  });

  it("refuses bare LF and bare CR anywhere in the head or the chunk framing", () => {
    for (const raw of [
      "HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello",
      "HTTP/1.1 200 OK\r\nX-A: 1\rContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello",
      "HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\r\n\r\nok",
      "\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "\rHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX: a\nY: b\r\n\r\n",
    ]) {
      expect(refuses(raw), JSON.stringify(raw)).toMatch(/bare CR or LF|chunk data not followed/);
    }
  });

  it("a bare LF cannot smuggle a response inside a chunked body", () => {
    const inner = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nevil!";
    const raw = `HTTP/1.1 200 OK\r\nX-A: 1\nTransfer-Encoding: chunked\r\n\r\n${inner.length.toString(16)}\r\n${inner}\r\n0\r\n\r\n`;
    expect(refuses(raw)).toMatch(/bare CR or LF in a header line/);
  });

  it("refuses control characters in header values, chunk extensions and trailers", () => {
    for (const c of ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f"]) {
      expect(refuses(OK(`X-A: a${c}b\r\n`)), JSON.stringify(c)).toMatch(/control character in a header value/);
      expect(refuses(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;a=b${c}\r\nok\r\n0\r\n\r\n`)).toMatch(/chunk/);
      expect(refuses(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-T: a${c}b\r\n\r\n`)).toMatch(/control character in a trailer value/);
    }
    expect(refuses("HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n")).toMatch(/control character in the reason phrase/);
  });

  it("refuses whitespace other than SP and HTAB around framing values (NBSP, VT, FF)", () => {
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: 5\xa0\r\n\r\nhello")).toMatch(/Content-Length is not a number/);
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: \xa05\r\n\r\nhello")).toMatch(/Content-Length is not a number/);
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: 5\x0b\r\n\r\nhello")).toMatch(/control character/);
    expect(refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\xa0\r\n\r\n2\r\nok\r\n0\r\n\r\n")).toMatch(/Transfer-Encoding is not a plain list/);
    expect(refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\x0c\r\n\r\n2\r\nok\r\n0\r\n\r\n")).toMatch(/control character/);
    // A tab after the length or the coding is read differently by llhttp: refused too.
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: 2\t\r\n\r\nok")).toMatch(/Content-Length is not a number/);
    expect(refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\t\r\n\r\n2\r\nok\r\n0\r\n\r\n")).toMatch(/Transfer-Encoding is not a plain list/);
    // Spaces around them are fine, as for llhttp.
    expect(parse("HTTP/1.1 200 OK\r\nContent-Length:   2  \r\n\r\nok").body.toString()).toBe("ok");
  });

  it("refuses conflicting or malformed framing", () => {
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")).toMatch(/Content-Length given twice/);
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nok")).toMatch(/Content-Length given twice/);
    for (const value of ["-1", "+2", "2, 2", "", "0x2", "1e3"]) expect(refuses(`HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\nok`)).toMatch(/Content-Length/);
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999\r\n\r\nok")).toMatch(/Content-Length too large/);
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")).toMatch(/both Content-Length and Transfer-Encoding/);
    expect(refuses("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n")).toMatch(/both Content-Length and Transfer-Encoding/);
    expect(refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n")).toMatch(/Content-Length among the trailers/);
    // In an interim response too, and as soon as the second framing header arrives.
    expect(refuses(`HTTP/1.1 100 Continue\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n${OK("")}`)).toMatch(/both Content-Length and Transfer-Encoding/);
    expect(refusedAfter("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n and the head never ends")).toBe(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length:".length,
    );
    expect(refusedAfter("HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 5\r\n")).toBe("HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length:".length);
    for (const bad of ["x", "\t", " 5"]) expect(refusedAfter(`HTTP/1.1 200 OK\r\nContent-Length: 5${bad}0\r\n`), bad).toBe(`HTTP/1.1 200 OK\r\nContent-Length: 5${bad}`.length);
    for (const value of ["chunked,", ",chunked", "", "gzip;q=1, chunked", "gzip,\tchunked"]) {
      expect(refuses(`HTTP/1.1 200 OK\r\nTransfer-Encoding: ${value}\r\n\r\n2\r\nok\r\n0\r\n\r\n`), value).toMatch(/Transfer-Encoding is not a plain list/);
    }
  });

  it("leading zeros in a chunk size are fine, sizes and extensions must be well formed", () => {
    expect(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000000002\r\nok\r\n0\r\n\r\n").body.toString()).toBe("ok");
    for (const line of ["5;", "5;a b", "5; a", "5 ;a", "5;a =b", "5;a= b", '5;a="x"y', '5;a="x', "5 ", " 5", "0x5", "-5", "g", "", "1000000000000"]) {
      expect(refuses(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${line}\r\nhello\r\n0\r\n\r\n`), line).toMatch(/chunk size/);
    }
    expect(refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n")).toMatch(/chunk data not followed by CRLF/);
  });

  it("refuses status lines other than HTTP/1.0 or HTTP/1.1 with a code from 100 to 599", () => {
    expect(parse("HTTP/1.1 599\r\nContent-Length: 0\r\n\r\n").statusCode).toBe(599);
    expect(parse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").reason).toBe("");
    for (const code of ["000", "099", "600", "999"]) expect(refuses(`HTTP/1.1 ${code} X\r\nContent-Length: 0\r\n\r\n`)).toMatch(/status code outside 100-599/);
    for (const version of ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "ICE/1.0"]) expect(refuses(`${version} 200 OK\r\nContent-Length: 0\r\n\r\n`)).toMatch(/not an HTTP\/1\.0 or HTTP\/1\.1 status line/);
    for (const line of ["HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1  200 OK", "HTTP/1.1 200\tOK", "http/1.1 200 OK"]) expect(refuses(`${line}\r\nContent-Length: 0\r\n\r\n`)).toMatch(/status/);
  });

  it("refuses a 101 (this client never asks to switch protocols), with or without a body", () => {
    expect(refuses("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")).toMatch(/101 Switching Protocols/);
    expect(refuses("HTTP/1.1 101 Switching Protocols\r\nContent-Length: 2\r\n\r\nok")).toMatch(/101 Switching Protocols/);
    expect(refusedAfter("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n")).toBe("HTTP/1.1 101 Switching Protocols\r\n".length);
  });

  it("refuses bad header lines: names that are not tokens, folding, a missing colon", () => {
    for (const line of ["Bad Header: x", "X-A : 1", ": 1", "X-A", "X-\xe9: 1", "X(A): 1"]) expect(refuses(OK(`${line}\r\n`)), line).toMatch(/header name/);
    expect(refuses(OK("X-A: 1\r\n folded\r\n"))).toMatch(/obsolete line folding/);
    expect(refuses("HTTP/1.1 200 OK\r\n X-A: 1\r\nContent-Length: 0\r\n\r\n")).toMatch(/obsolete line folding/);
    expect(refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nBad Name: x\r\n\r\n")).toMatch(/trailer name/);
  });

  it("fails on the byte that breaks the head, not when (or if) the head ends", () => {
    const cases: [string, string][] = [
      ["HTTP/1.1 200 OK\r\nX-A: 1\r", "x"],
      ["HTTP/1.1 200 OK\r\nX-A: 1", "\n"],
      ["HTTP/1.1 200 OK\r\nX-A: a", "\x01"],
      ["HTTP/1.1 200 OK\r\nBad", " "],
      ["HTTP/1.1 200 OK\r\n", ":"],
      ["HTTP/1.1 200 OK\r\n", " "],
      ["HTTP/1.1 20", "O"],
      ["HTTP/1.1 ", "0"],
      ["HTTP/1.1 100 Continue\r\n\r\n", "G"],
      ["HTTP/1.1 100 Continue\r\n\r\n\r\n", "\n"],
      ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "z"],
      ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;a", "\x00"],
      ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-T: t", "\x7f"],
    ];
    for (const [good, bad] of cases) expect(refusedAfter(`${good}${bad}and more to come`), JSON.stringify(good + bad)).toBe(good.length + 1);
  });

  it("limits a head to 16 KiB, counted as the bytes arrive, in one write or many", () => {
    const head = (size: number) => {
      const start = "HTTP/1.1 200 OK\r\nX-Big: ";
      const end = "\r\nContent-Length: 2\r\n\r\n";
      return `${start}${"a".repeat(size - start.length - end.length)}${end}`;
    };
    expect(head(MAX_SECTION_BYTES).length).toBe(MAX_SECTION_BYTES);
    expect(parse(`${head(MAX_SECTION_BYTES)}ok`).body.toString()).toBe("ok");
    expect(refuses(`${head(MAX_SECTION_BYTES + 1)}ok`)).toMatch(/head larger than 16 KiB/);
    expect(refuses(`${head(40 * 1024)}ok`)).toMatch(/head larger than 16 KiB/);
    expect(refuses(`HTTP/1.1 200 OK\r\n${"X-Many: a\r\n".repeat(2000)}\r\n`)).toMatch(/head larger than 16 KiB/);
    // A head that never ends fails once it passes the limit, not at the timeout.
    expect(refusedAfter(`HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(MAX_SECTION_BYTES)}`)).toBe(MAX_SECTION_BYTES + 1);
    // Each interim response has its own limit, as for llhttp.
    const interim = `HTTP/1.1 103 Early Hints\r\nLink: ${"l".repeat(MAX_SECTION_BYTES - 100)}\r\n\r\n`;
    expect(parse(`${interim}${interim}${OK("")}`).statusCode).toBe(200);
  });

  it("limits a chunk-size line (with its extensions) and the trailers to 16 KiB", () => {
    const chunked = (line: string, trailers = "") => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${line}\r\nok\r\n0\r\n${trailers}\r\n`;
    const extension = (size: number) => `2;e=${"x".repeat(size - 6)}`;
    expect(parse(chunked(extension(MAX_CHUNK_LINE_BYTES))).body.toString()).toBe("ok");
    expect(refuses(chunked(extension(MAX_CHUNK_LINE_BYTES + 1)))).toMatch(/chunk-size line longer than 16 KiB/);
    expect(refuses(chunked(extension(40 * 1024)))).toMatch(/chunk-size line longer than 16 KiB/);
    const trailer = (size: number) => `X-T: ${"t".repeat(size - 9)}\r\n`;
    expect(parse(chunked("2", trailer(MAX_SECTION_BYTES))).body.toString()).toBe("ok");
    expect(refuses(chunked("2", trailer(MAX_SECTION_BYTES + 1)))).toMatch(/trailers larger than 16 KiB/);
    expect(refuses(chunked("2", "X-T: t\r\n".repeat(3000)))).toMatch(/trailers larger than 16 KiB/);
  });

  it("refuses bytes other than CR and LF after a complete response, without quoting them", () => {
    const message = refuses(`${OK("")}HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nevil!`);
    expect(message).toMatch(/bytes after the end of the response/);
    expect(message).not.toContain("evil");
    expect(refuses("HTTP/1.1 204 No Content\r\n\r\nX")).toMatch(/bytes after the end/);
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", true)).toMatch(/bytes after the end/);
  });

  it("says whether any byte of a response arrived (a stale keep-alive socket closes before that)", () => {
    const parser = new ResponseParser();
    expect(parser.started).toBe(false);
    parser.push(Buffer.from("HTTP/1.1 2"));
    expect(parser.started).toBe(true);
    expect(parser.end()).toBeUndefined();
  });
});

describe("ResponseParser, details callers see", () => {
  it("its errors are named and coded as llhttp's are through Node", () => {
    let error: unknown;
    try {
      new ResponseParser().push(Buffer.from("XTTP/1.1 200 OK\r\n\r\n"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpParseError);
    expect(error).toMatchObject({ name: "HttpParseError", code: "HPE_INVALID" });
  });

  it("a status line without a reason phrase has an empty reason", () => {
    expect(parse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").reason).toBe("");
    expect(parse("HTTP/1.1 204\r\n\r\n").reason).toBe("");
  });

  it("CRLFs before the status line count toward the head's 16 KiB", () => {
    const padding = "\r\n".repeat(MAX_SECTION_BYTES / 2 + 1);
    expect(() => new ResponseParser().push(Buffer.from(`${padding}HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n`, "latin1"))).toThrow("head larger than 16 KiB");
  });
});
