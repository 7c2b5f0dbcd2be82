/**
 * The default (socket) transport of KeepAliveHttpHandler against loopback servers the tests
 * start: the same responses as smithy's NodeHttpHandler makes of the same bytes (a few here; the
 * differential fuzz is `differential.test.ts`), request framing, connection reuse and limits,
 * TLS, and failures that close the connection.
 */
import { afterEach, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { HttpRequest } from "@smithy/core/transport";
import { KeepAliveHttpHandler } from "../../src/http/KeepAliveHttpHandler";
import { HttpParseError } from "../../src/http/responseParser";
import { TEST_CERT, TEST_KEY } from "../fixtures/tls";
import { startRawTcpServer } from "../helpers/rawTcpServer";

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface RawServer {
  port: number;
  /** Raw request texts received, per connection. */
  connections: string[][];
}

/** A TCP server that answers every request with `answer(n)` (undefined: drop the connection; `<close>` at the end: end it). */
async function rawServer(answer: (n: number) => string | undefined): Promise<RawServer> {
  const connections: string[][] = [];
  let n = 0;
  const server = await startRawTcpServer((socket) => {
    const seen: string[] = [];
    connections.push(seen);
    return (request) => {
      seen.push(request);
      const reply = answer(n++);
      if (reply === undefined) socket.destroy();
      else if (reply.endsWith("<close>")) socket.end(reply.slice(0, -"<close>".length), "latin1");
      else socket.write(reply, "latin1");
    };
  });
  closers.push(() => server.close());
  return { port: server.port, connections };
}

function handler(options?: ConstructorParameters<typeof KeepAliveHttpHandler>[0]): KeepAliveHttpHandler {
  const h = new KeepAliveHttpHandler(options);
  closers.push(() => h.destroy());
  return h;
}

function request(port: number, extra: Partial<ConstructorParameters<typeof HttpRequest>[0]> = {}): HttpRequest {
  return new HttpRequest({ protocol: "http:", hostname: "127.0.0.1", port, method: "GET", path: "/x", headers: { host: `127.0.0.1:${port}` }, ...extra });
}

/** What a caller sees of a response: status, headers and the body as text. */
async function outcome(h: { handle(r: HttpRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body?: unknown } }> }, r: HttpRequest) {
  const { response } = await h.handle(r);
  let body = response.body as Buffer | AsyncIterable<Buffer>;
  if (!Buffer.isBuffer(body)) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk);
    body = Buffer.concat(chunks);
  }
  return { statusCode: response.statusCode, headers: response.headers, body: body.toString("utf8") };
}

describe("socket transport", () => {
  it("makes the same responses as NodeHttpHandler of the same bytes", async () => {
    const responses = [
      // "é" as its two UTF-8 bytes, written here as Latin-1 characters.
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{"Ã©":"x"}',
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Multi: a\r\nX-Multi: b\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 204 No Content\r\nX-Amzn-RequestId: r-204\r\n\r\n",
      "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy",
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nto the end<close>",
      "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n",
    ];
    for (const raw of responses) {
      const server = await rawServer(() => raw);
      const ours = await outcome(handler(), request(server.port));
      const smithy = new NodeHttpHandler();
      const theirs = await outcome(smithy, request(server.port));
      smithy.destroy();
      // Node adds nothing to the headers it received; compare everything a caller sees.
      expect(ours).toEqual(theirs);
    }
  });

  it("sends the request as node:http would: Host, Content-Length (0 for an empty POST), keep-alive, body bytes", async () => {
    const server = await rawServer(() => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    const h = handler();
    await h.handle(request(server.port, { method: "POST", path: "/p", query: { b: "2 3", a: ["x", "y/z"] }, headers: { "x-h": "v" }, body: '{"k":"é"}' }));
    await h.handle(request(server.port, { method: "POST", path: "/empty", headers: {} }));
    const [first, second] = server.connections[0]!;
    expect(first).toBe(`POST /p?a=x&a=y%2Fz&b=2%203 HTTP/1.1\r\nx-h: v\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: 10\r\nConnection: keep-alive\r\n\r\n{"k":"Ã©"}`);
    expect(second).toContain("Content-Length: 0\r\n");
  });

  it("refuses header values that would split the message, before sending anything", async () => {
    const server = await rawServer(() => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    const error = (await handler()
      .handle(request(server.port, { headers: { "x-evil": "a\r\nInjected: 1" } }))
      .catch((e: unknown) => e)) as TypeError & { code?: string };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe("ERR_INVALID_CHAR");
    expect(error.message).toContain("x-evil");
    expect(server.connections).toHaveLength(0);
  });

  it("frames the body in chunks when the caller set Transfer-Encoding: chunked (node:http reads it back)", async () => {
    const seen: { headers: Record<string, unknown>; body: string }[] = [];
    const server = createHttpServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => {
        seen.push({ headers: req.headers, body });
        res.end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    closers.push(() => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    });
    const port = (server.address() as AddressInfo).port;
    const h = handler();
    for (const body of ['{"k":"é"}', new TextEncoder().encode("bytes"), undefined]) {
      const { response } = await h.handle(request(port, { method: "POST", headers: { "Transfer-Encoding": "chunked" }, body }));
      expect(response.statusCode).toBe(200);
    }
    expect(seen.map((s) => s.body)).toEqual(['{"k":"é"}', "bytes", ""]);
    expect(seen.every((s) => s.headers["transfer-encoding"] === "chunked" && s.headers["content-length"] === undefined)).toBe(true);
  });

  it("refuses framing it cannot honour before sending anything: a wrong Content-Length, both framings, another coding, a framing header twice", async () => {
    const server = await rawServer(() => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    const h = handler();
    const refusal = (headers: Record<string, string>, body = '{"a":1}') =>
      h.handle(request(server.port, { method: "POST", headers, body })).then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string },
      );
    expect(await refusal({ "content-length": "3" })).toMatchObject({ code: "ERR_HTTP_CONTENT_LENGTH_MISMATCH", message: expect.stringMatching(/Content-Length \(3 bytes\).*7 bytes/) });
    expect(await refusal({ "content-length": "70" })).toMatchObject({ code: "ERR_HTTP_CONTENT_LENGTH_MISMATCH" });
    expect(await refusal({ "content-length": "7x" })).toMatchObject({ code: "ERR_HTTP_CONTENT_LENGTH_MISMATCH", message: expect.stringMatching(/not a number/) });
    expect(await refusal({ "content-length": "7", "transfer-encoding": "chunked" })).toMatchObject({ code: "ERR_HTTP_INVALID_HEADER_VALUE", message: expect.stringMatching(/both/) });
    expect(await refusal({ "transfer-encoding": "gzip" })).toMatchObject({ code: "ERR_HTTP_INVALID_HEADER_VALUE", message: expect.stringMatching(/must end with "chunked"/) });
    expect(await refusal({ "Content-Length": "7", "content-length": "7" })).toMatchObject({ code: "ERR_HTTP_INVALID_HEADER_VALUE", message: expect.stringMatching(/twice/) });
    expect(server.connections).toHaveLength(0);
    // A length that matches is sent as given.
    expect(await refusal({ "content-length": "7" })).toBeUndefined();
    expect(server.connections[0]![0]).toContain("content-length: 7\r\n");
  });

  it("reuses one connection, opens no more than maxSockets, and queues the rest", async () => {
    const server = await rawServer(() => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    const h = handler({ maxSockets: 2 });
    const results = await Promise.all(Array.from({ length: 10 }, () => outcome(h, request(server.port))));
    expect(results.every((r) => r.body === "ok")).toBe(true);
    expect(server.connections).toHaveLength(2);
    for (let i = 0; i < 5; i++) await h.handle(request(server.port));
    expect(server.connections).toHaveLength(2);
    expect(server.connections.flat()).toHaveLength(15);
  });

  it("drops an idle connection the server closed, so the next request opens a new one", async () => {
    // Each answer is followed by the server closing the connection (without saying so in a header).
    const server = await rawServer(() => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok<close>");
    const h = handler();
    for (let i = 0; i < 3; i++) {
      expect((await outcome(h, request(server.port))).body).toBe("ok");
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(server.connections).toHaveLength(3);
  });

  it("closes an idle connection before the server's Keep-Alive timeout would", async () => {
    const server = await rawServer((n) => `HTTP/1.1 200 OK\r\n${n === 0 ? "Keep-Alive: timeout=1\r\n" : ""}Content-Length: 0\r\n\r\n`);
    const h = handler();
    await h.handle(request(server.port));
    await new Promise((r) => setTimeout(r, 20));
    await h.handle(request(server.port));
    await h.handle(request(server.port));
    // timeout=1 leaves no safe time to reuse the first connection; the second is reused.
    expect(server.connections.map((c) => c.length)).toEqual([1, 2]);
  });

  it("a malformed response fails the attempt with HttpParseError and closes that connection only", async () => {
    const server = await rawServer((n) => (n === 0 ? "HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n" : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    const h = handler();
    const error = await h.handle(request(server.port)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpParseError);
    expect((await outcome(h, request(server.port))).body).toBe("ok");
    expect(server.connections).toHaveLength(2);
  });

  it("a malformed head fails as soon as its bad line arrives, though the head never ends and the connection stays open", async () => {
    for (const partial of ["HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 0\r\n", "HTTP/1.1 200 OK\r\nX-A: 1\rX", "HTTP/1.1 100 Continue\r\n\r\nGARBAGE", "HTTP/1.1 200 OK\r\nBad Header"]) {
      const server = await rawServer(() => partial);
      // The attempt's own limit is far off: only the parser can end it in time.
      const error = await handler({ requestTimeout: 60_000 })
        .handle(request(server.port))
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(partial)).toBeInstanceOf(HttpParseError);
    }
  });

  it("a connection closed before the response is an ECONNRESET 'socket hang up', named as NodeHttpHandler names it", async () => {
    const server = await rawServer(() => undefined);
    const error = (await handler()
      .handle(request(server.port))
      .catch((e: unknown) => e)) as Error & { code?: string };
    expect(error).toMatchObject({ name: "TimeoutError", code: "ECONNRESET", message: "socket hang up" });
  });

  it("an abort while waiting for a free connection rejects at once and sends nothing", async () => {
    let release: (() => void) | undefined;
    const server = await rawServer(() => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    const h = handler({ maxSockets: 1 });
    const slow = createHttpServer((_req, res) => (release = () => res.end("{}")));
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    closers.push(() => {
      slow.closeAllConnections();
      return new Promise((r) => slow.close(r));
    });
    const slowPort = (slow.address() as AddressInfo).port;
    const first = h.handle(request(slowPort));
    while (release === undefined) await new Promise((r) => setTimeout(r, 5));
    const controller = new AbortController();
    const second = h.handle(request(slowPort), { abortSignal: controller.signal }).catch((e: unknown) => e);
    const abortedAt = Date.now();
    controller.abort();
    expect(((await second) as Error).name).toBe("AbortError");
    expect(Date.now() - abortedAt).toBeLessThan(100);
    release();
    expect((await first).response.statusCode).toBe(200);
    expect(server.connections).toHaveLength(0);
  });

  it("speaks TLS with the given certificate authority, reuses the connection, and refuses an unknown one", async () => {
    let connections = 0;
    const server = createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }, (_req, res) => res.end('{"tls":true}'));
    server.on("secureConnection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    closers.push(() => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    });
    const port = (server.address() as AddressInfo).port;
    const tlsRequest = (hostname: string) => new HttpRequest({ protocol: "https:", hostname, port, method: "GET", path: "/", headers: { host: `${hostname}:${port}` } });
    const trusted = handler({ tls: { ca: TEST_CERT } });
    for (let i = 0; i < 3; i++) expect((await outcome(trusted, tlsRequest("localhost"))).body).toBe('{"tls":true}');
    expect(connections).toBe(1);
    const error = (await handler()
      .handle(tlsRequest("localhost"))
      .catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  it("idle connections do not keep a script alive (no destroy() needed to exit)", async () => {
    const server = await rawServer(() => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    const script = `
      const { KeepAliveHttpHandler } = await import(${JSON.stringify(join(__dirname, "../../src/http/KeepAliveHttpHandler.ts"))});
      const { HttpRequest } = await import("@smithy/core/transport");
      const h = new KeepAliveHttpHandler();
      await h.handle(new HttpRequest({ protocol: "http:", hostname: "127.0.0.1", port: ${server.port}, method: "GET", path: "/", headers: {} }));
      globalThis.doneAt = Date.now();
      process.on("exit", () => console.log("exit-after-ms", Date.now() - globalThis.doneAt));
    `;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 20_000 }, (error, stdout, stderr) => (error ? reject(new Error(stderr || String(error))) : resolve(stdout)));
    });
    expect(Number(/exit-after-ms (\d+)/.exec(out)?.[1])).toBeLessThan(1000);
  });
});
