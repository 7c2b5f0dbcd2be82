/**
 * The emulator's HTTP/1.1 edges over raw sockets: pipelined requests keep their answers when a
 * malformed one follows, heads and bodies over the limits get 431 and 413 (not a reset), and
 * bodies that arrive slowly or not at all are bounded in memory and in time.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { exchange, signWire, wireBytes } from "./wire";

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ transitionMs: 0, maxBodyBytes: 128 * 1024, maxBufferedBodyBytes: 256 * 1024, requestTimeoutMs: 400 });
});
afterAll(() => server.stop());

const list = () => wireBytes(signWire(server, { method: "GET", target: "/2025-09-09/microvms?maxResults=1" }));
const head = (length: number) => `POST /2025-09-09/microvms HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;

describe("pipelining", () => {
  it("answers every request before a malformed one, in order, then the malformed one, then closes", async () => {
    const { answers, ended } = await exchange(server, [Buffer.concat([list(), list(), list(), Buffer.from("NOT HTTP AT ALL\r\n\r\n")])]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 400]);
    expect(answers.slice(0, 3).every((a) => (JSON.parse(a.body) as { items: unknown[] }).items !== undefined)).toBe(true);
    expect(answers[3]!.headers["x-amzn-errortype"]).toBe("SerializationException");
    expect(ended).toBe("closed");
  });

  it("answers a malformed request alone on its connection at once", async () => {
    const { answers } = await exchange(server, ["GET / HTTP/1.1\r\nbad header line\r\n\r\n"]);
    expect(answers.map((a) => a.status)).toEqual([400]);
  });
});

describe("limits", () => {
  it("answers 431 to headers over the limit", async () => {
    const { answers, ended } = await exchange(server, [`GET /2025-09-09/microvms HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(20 * 1024)}\r\n\r\n`]);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.status).toBe(431);
    expect(answers[0]!.headers["x-amzn-errortype"]).toBe("RequestHeaderFieldsTooLargeException");
    expect(JSON.parse(answers[0]!.body).message).toMatch(/headers/);
    expect(ended).toBe("closed");
  });

  it("answers 413 as soon as a declared body is over the limit, while the client is still sending", async () => {
    // 100 MiB declared, 1 MiB sent, then the client waits: the answer must come anyway.
    const { answers } = await exchange(server, [head(100 * 1024 * 1024), Buffer.alloc(1024 * 1024, 0x20)], 1);
    expect(answers[0]!.status).toBe(413);
    expect(answers[0]!.headers["x-amzn-errortype"]).toBe("RequestEntityTooLargeException");
  });

  it("answers 413 to a chunked body that grows past the limit", async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const chunked = `POST /2025-09-09/microvms HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n`;
    const piece = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    const { answers } = await exchange(server, [chunked, piece, piece, piece], 1);
    expect(answers[0]!.status).toBe(413);
  });

  it("answers 413, not a reset, to a client that sends its whole oversized body before reading", async () => {
    const url = new URL(server.endpoint);
    const body = Buffer.alloc(80 * 1024 * 1024, 0x20);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ method: "POST", host: url.hostname, port: url.port, path: "/2025-09-09/microvms", headers: { "content-length": body.length } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      // The answer comes while the body is still being written; once it has ended, node:http
      // leaves the socket without an error listener, and the rest of the write meets the
      // server's close (a reset that would otherwise surface as an uncaught error).
      req.on("socket", (socket) => socket.on("error", () => undefined));
      req.end(body);
    });
    expect(status).toBe(413);
  });
});

describe("slow bodies", () => {
  it("bounds the bytes held by bodies still arriving (429) and cuts bodies that stall (408)", async () => {
    const stalled = () => exchange(server, [head(120 * 1024), Buffer.alloc(100 * 1024, 0x20)]);
    const first = stalled();
    const second = stalled();
    // Let the first two bodies be held before the third arrives.
    await new Promise((r) => setTimeout(r, 100));
    const third = await stalled();
    expect(third.answers[0]!.status).toBe(429);
    expect(third.answers[0]!.headers["x-amzn-errortype"]).toBe("ThrottlingException");
    expect(third.answers[0]!.headers["retry-after"]).toBe("1");
    for (const held of await Promise.all([first, second])) {
      expect(held.answers.map((a) => a.status)).toEqual([408]);
      expect(held.answers[0]!.headers["x-amzn-errortype"]).toBe("RequestTimeoutException");
      expect(held.ended).toBe("closed");
    }
    // The memory they held is free again: a body of the same size is read and answered.
    const body = JSON.stringify({ imageIdentifier: "mvi-none", runHookPayload: "x".repeat(100 * 1024) });
    const { answers } = await exchange(server, [wireBytes(signWire(server, { method: "POST", target: "/2025-09-09/microvms", headers: [["content-type", "application/json"]], body }))], 1);
    expect(answers[0]!.headers["x-amzn-errortype"]).toBe("ValidationException");
  });

  it("cuts a request whose head never ends (408)", async () => {
    const { answers, ended } = await exchange(server, ["GET /2025-09-09/microvms HTTP/1.1\r\nhost: x\r\n"]);
    expect(answers.map((a) => a.status)).toEqual([408]);
    expect(ended).toBe("closed");
  });
});
