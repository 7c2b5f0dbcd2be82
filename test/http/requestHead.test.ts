/** Request heads and payloads as bytes, and the checks Node makes before anything is sent. */
import { describe, expect, it } from "vitest";
import { HttpRequest } from "@smithy/core/transport";
import { hostOf, isValidHeader, pathOf, requestHead, requestPayload } from "../../src/http/requestHead";

const req = (over: Partial<ConstructorParameters<typeof HttpRequest>[0]> = {}) =>
  new HttpRequest({ protocol: "http:", hostname: "h.example", method: "GET", path: "/p", headers: {}, ...over });
const text = (payload: string | Buffer) => (typeof payload === "string" ? payload : payload.toString("latin1"));
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  return undefined;
};

describe("request heads", () => {
  it("adds Host (with the port when there is one) and keep-alive, and no length for a GET without a body", () => {
    expect(requestHead(req({ port: 8080, headers: { "x-a": "1" } }))).toBe("GET /p HTTP/1.1\r\nx-a: 1\r\nHost: h.example:8080\r\nConnection: keep-alive\r\n\r\n");
    expect(requestHead(req())).toBe("GET /p HTTP/1.1\r\nHost: h.example\r\nConnection: keep-alive\r\n\r\n");
  });

  it("keeps the caller's Host and Connection, whatever their case, and skips null headers", () => {
    const head = requestHead(req({ headers: { HOST: "other:1", connection: "close", "x-null": null as unknown as string } }));
    expect(head).toBe("GET /p HTTP/1.1\r\nHOST: other:1\r\nconnection: close\r\n\r\n");
  });

  it("says the body's length in bytes, and 0 for a POST without a body, like Node", () => {
    expect(requestHead(req({ method: "POST", body: "é" }))).toContain("\r\nContent-Length: 2\r\n");
    expect(requestHead(req({ method: "POST" }))).toContain("\r\nContent-Length: 0\r\n");
    expect(requestHead(req({ method: "DELETE" }))).not.toContain("Content-Length");
    expect(requestHead(req({ method: "DELETE", body: new Uint8Array(3) }))).toContain("\r\nContent-Length: 3\r\n");
    expect(requestHead(req({ method: "POST", body: "ab", headers: { "content-length": "2" } }))).toBe(
      "POST /p HTTP/1.1\r\ncontent-length: 2\r\nHost: h.example\r\nConnection: keep-alive\r\n\r\n",
    );
  });

  it("puts the query string on the path", () => {
    expect(pathOf(req({ query: { b: "2 3", a: ["1", "x"] } }))).toBe("/p?a=1&a=x&b=2%203");
    expect(pathOf(req({ query: {} }))).toBe("/p");
    expect(pathOf(req())).toBe("/p");
  });

  it("refuses what Node refuses, before anything is sent", () => {
    expect(codeOf(() => requestHead(req({ method: "G T" })))).toEqual({ code: "ERR_INVALID_HTTP_TOKEN", message: 'Method must be a valid HTTP token ["G T"]' });
    expect(codeOf(() => requestHead(req({ path: "/a b" })))).toEqual({ code: "ERR_UNESCAPED_CHARACTERS", message: "Request path contains unescaped characters" });
    expect(codeOf(() => requestHead(req({ headers: { "bad name": "v" } })))).toEqual({ code: "ERR_INVALID_HTTP_TOKEN", message: 'Header name must be a valid HTTP token ["bad name"]' });
    expect(codeOf(() => requestHead(req({ headers: { "x-a": "v\r\nInjected: 1" } })))).toEqual({ code: "ERR_INVALID_CHAR", message: 'Invalid character in header content ["x-a"]' });
    expect(codeOf(() => requestHead(req({ method: "POST", body: "ab", headers: { "content-length": "3" } })))?.message).toBe("Content-Length (3 bytes) does not match the body's length (2 bytes)");
    expect(codeOf(() => requestHead(req({ method: "POST", body: "ab", headers: { "content-length": " 2 " } })))).toBeUndefined();
    expect(codeOf(() => requestHead(req({ method: "POST", body: "ab", headers: { "content-length": "two" } })))?.message).toBe("Content-Length (not a number) does not match the body's length (2 bytes)");
  });

  it("isValidHeader makes the same checks", () => {
    expect(isValidHeader("x-a", "ok value")).toBe(true);
    expect(isValidHeader("x a", "v")).toBe(false);
    expect(isValidHeader("x-a", "v\n")).toBe(false);
  });

  it("hostOf takes the brackets off an IPv6 literal only", () => {
    expect(hostOf(req({ hostname: "[::1]" }))).toBe("::1");
    expect(hostOf(req({ hostname: "[::1" }))).toBe("[::1");
    expect(hostOf(req({ hostname: "::1]" }))).toBe("::1]");
    expect(hostOf(req({ hostname: "h.example" }))).toBe("h.example");
  });
});

describe("request payloads", () => {
  it("is one string for an ASCII head and a string body, bytes otherwise", () => {
    expect(requestPayload(req({ method: "POST", body: "{}" }))).toBe("POST /p HTTP/1.1\r\nHost: h.example\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}");
    const utf8 = requestPayload(req({ method: "POST", body: "é" }));
    expect(typeof utf8).toBe("string");
    expect(Buffer.byteLength(utf8 as string)).toBe(Buffer.from("POST /p HTTP/1.1\r\nHost: h.example\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\né").length);
    const latin = requestPayload(req({ method: "POST", body: "é", headers: { "x-n": "café" } }));
    expect(Buffer.isBuffer(latin)).toBe(true);
    expect((latin as Buffer).subarray(-2)).toEqual(Buffer.from("é", "utf8"));
    expect(text(latin)).toContain("x-n: caf\xe9\r\n");
    const bytes = requestPayload(req({ method: "PUT", body: new Uint8Array([1, 2]) }));
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect((bytes as Buffer).subarray(-2)).toEqual(Buffer.from([1, 2]));
    expect(requestPayload(req())).toBe("GET /p HTTP/1.1\r\nHost: h.example\r\nConnection: keep-alive\r\n\r\n");
    expect(Buffer.isBuffer(requestPayload(req({ headers: { "x-n": "café" } })))).toBe(true);
  });

  it("frames a body in one chunk when the caller asks for chunked transfer", () => {
    const chunked = requestPayload(req({ method: "POST", body: "hello", headers: { "transfer-encoding": "chunked" } }));
    expect(text(chunked)).toBe("POST /p HTTP/1.1\r\ntransfer-encoding: chunked\r\nHost: h.example\r\nConnection: keep-alive\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    const empty = requestPayload(req({ method: "POST", headers: { "transfer-encoding": "chunked" } }));
    expect(text(empty)).toBe("POST /p HTTP/1.1\r\ntransfer-encoding: chunked\r\nHost: h.example\r\nConnection: keep-alive\r\n\r\n0\r\n\r\n");
    const sixteen = requestPayload(req({ method: "POST", body: "x".repeat(16), headers: { "transfer-encoding": "chunked" } }));
    expect(text(sixteen)).toContain("\r\n\r\n10\r\nxxxxxxxxxxxxxxxx\r\n0\r\n\r\n");
  });
});
