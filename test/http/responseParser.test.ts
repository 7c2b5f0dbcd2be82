/** The HTTP/1.1 response parser: framing, header rules and refusals, whatever pieces the bytes arrive in. */
import { describe, expect, it } from "vitest";
import { HttpParseError, ResponseParser, type ParsedResponse } from "../../src/http/responseParser";

/** Parses `raw` fed in one piece, then split at every byte position; all must agree. */
function parse(raw: string, options: { noBody?: boolean; closeAtEnd?: boolean } = {}): ParsedResponse {
  const bytes = Buffer.from(raw, "latin1");
  const results: ParsedResponse[] = [];
  for (let cut = 0; cut <= bytes.length; cut++) {
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

function refuses(raw: string): string {
  const parser = new ResponseParser();
  try {
    parser.push(Buffer.from(raw, "latin1"));
  } catch (error) {
    expect(error).toBeInstanceOf(HttpParseError);
    return (error as Error).message;
  }
  throw new Error("accepted");
}

describe("ResponseParser", () => {
  it("reads a Content-Length body with status, reason and lower-case headers", () => {
    const r = parse('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Amzn-RequestId: r-1\r\nContent-Length: 10\r\n\r\n{"a":"é1"}');
    expect(r).toMatchObject({ statusCode: 200, reason: "OK", keepAlive: true, keepAliveTimeout: undefined });
    expect(r.headers).toEqual({ "content-type": "application/json", "x-amzn-requestid": "r-1", "content-length": "10" });
    expect(r.body.toString("latin1")).toBe('{"a":"é1"}');
  });

  it("reads chunked bodies, ignoring chunk extensions and trailers", () => {
    const r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=x\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
    expect(r.body.toString()).toBe("hello world");
    expect(r.keepAlive).toBe(true);
  });

  it("skips interim 1xx responses", () => {
    const r = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}");
    expect(r.statusCode).toBe(201);
    expect(r.headers.link).toBeUndefined();
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
    expect(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(false);
    expect(parse("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n")).toMatchObject({ keepAlive: true, keepAliveTimeout: 5 });
    // Both framings at once: the chunked body is read, and the connection is not trusted further.
    const both = parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
    expect(both).toMatchObject({ keepAlive: false });
    expect(both.body.toString()).toBe("ok");
  });

  it("combines repeated headers as Node does (joined, set-cookie with commas, single-valued ones keep the first)", () => {
    const r = parse("HTTP/1.1 200 OK\r\nX-Multi: 1\r\nx-multi: 2\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Type: a/b\r\nContent-Type: c/d\r\nContent-Length: 0\r\n\r\n");
    expect(r.headers).toMatchObject({ "x-multi": "1, 2", "set-cookie": "a=1,b=2", "content-type": "a/b" });
  });

  it("refuses what it does not understand, without quoting the response", () => {
    expect(refuses("HTTP/2 200\r\n\r\n")).toMatch(/status line/);
    expect(refuses("HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n")).toMatch(/header line/);
    expect(refuses("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n")).toMatch(/header line/);
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")).toMatch(/Content-Length/);
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")).toMatch(/conflicting/);
    expect(refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")).toMatch(/chunk size/);
    expect(refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX")).toMatch(/CRLF/);
    expect(refuses(`HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(17_000)}`)).toMatch(/larger than/);
    expect(refuses("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}extra")).toMatch(/after the end/);
  });

  it("says whether any byte of a response arrived (a stale keep-alive socket closes before that)", () => {
    const parser = new ResponseParser();
    expect(parser.started).toBe(false);
    parser.push(Buffer.from("HTTP/1.1 2"));
    expect(parser.started).toBe(true);
    expect(parser.end()).toBeUndefined();
  });
});
