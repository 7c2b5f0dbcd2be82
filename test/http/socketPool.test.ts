/**
 * The socket transport's connection pool, against loopback servers the tests start: keep-alive
 * hints, the slots of connections being opened, destroy() and settings changes with requests
 * in flight or queued, and the caller's TLS options.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createServer as createHttpServer, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { HttpRequest } from "@smithy/core/transport";
import { KeepAliveHttpHandler } from "../../src/http/KeepAliveHttpHandler";
import { TEST_CERT, TEST_KEY } from "../fixtures/tls";

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function handler(options?: ConstructorParameters<typeof KeepAliveHttpHandler>[0]): KeepAliveHttpHandler {
  const h = new KeepAliveHttpHandler(options);
  closers.push(() => h.destroy());
  return h;
}

function request(port: number, protocol = "http:", hostname = "127.0.0.1"): HttpRequest {
  return new HttpRequest({ protocol, hostname, port, method: "GET", path: "/", headers: { host: `${hostname}:${port}` } });
}

async function listen<T extends Server | HttpServer>(server: T): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    if ("closeAllConnections" in server) server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
}

/** A TCP server that accepts connections and never says anything: a TLS handshake with it never ends. */
async function silentServer(): Promise<{ port: number; sockets: Socket[]; closed: number }> {
  const state = { port: 0, sockets: [] as Socket[], closed: 0 };
  const server = createTcpServer((socket) => {
    state.sockets.push(socket);
    socket.resume(); // read (and drop) what comes, so that the client's close is seen
    socket.on("error", () => undefined);
    socket.on("close", () => state.closed++);
  });
  state.port = await listen(server);
  closers.push(() => state.sockets.forEach((s) => s.destroy()));
  return state;
}

/** An HTTP server that holds every request until `release()`; counts connections. */
async function holdingServer(headers: Record<string, string> = {}): Promise<{ port: number; held: ServerResponse[]; connections: number; closed: number; release(): void }> {
  const state = {
    port: 0,
    held: [] as ServerResponse[],
    connections: 0,
    closed: 0,
    release: () => state.held.splice(0).forEach((res) => res.writeHead(200, headers).end("{}")),
  };
  const server = createHttpServer((_req, res) => state.held.push(res));
  server.on("connection", (socket: Socket) => {
    state.connections++;
    socket.on("close", () => state.closed++);
  });
  state.port = await listen(server);
  return state;
}

/** The error a request failed with (the test fails if it succeeded). */
const failure = (pending: Promise<unknown>): Promise<Error & { code?: string }> =>
  pending.then(
    () => {
      throw new Error("the request succeeded");
    },
    (error: unknown) => error as Error & { code?: string },
  );

/** Resolves once `condition` holds, checking on each turn of the event loop (the test's timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe("keep-alive hints", () => {
  it("a huge Keep-Alive timeout neither warns nor stops reuse", async () => {
    const server = await holdingServer({ "keep-alive": "timeout=99999999999", "content-length": "2" });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    closers.push(() => process.off("warning", onWarning));
    const h = handler();
    for (let i = 0; i < 3; i++) {
      const pending = h.handle(request(server.port));
      await until(() => server.held.length === 1);
      server.release();
      expect((await pending).response.statusCode).toBe(200);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.connections).toBe(1);
    expect(warnings.map((w) => w.name)).not.toContain("TimeoutOverflowWarning");
  });

  it("a Keep-Alive timeout of 0 or 1 second leaves no time to reuse the connection; 2 seconds does", async () => {
    for (const [seconds, connections] of [
      [0, 3],
      [1, 3],
      [2, 1],
    ]) {
      const server = await holdingServer({ "keep-alive": `timeout=${seconds}`, "content-length": "2" });
      const h = handler();
      for (let i = 0; i < 3; i++) {
        const pending = h.handle(request(server.port));
        await until(() => server.held.length === 1);
        server.release();
        await pending;
      }
      expect(server.connections, `timeout=${seconds}`).toBe(connections);
    }
  });
});

describe("connection slots", () => {
  it("an abort while connecting frees the slot at once: the next request connects without waiting for connectionTimeout", async () => {
    const server = await silentServer();
    const h = handler({ maxSockets: 1, connectionTimeout: 60_000 });
    const first = new AbortController();
    const aborted = failure(h.handle(request(server.port, "https:"), { abortSignal: first.signal }));
    await until(() => server.sockets.length === 1);
    first.abort();
    expect((await aborted).name).toBe("AbortError");
    const second = new AbortController();
    const next = failure(h.handle(request(server.port, "https:"), { abortSignal: second.signal }));
    await until(() => server.sockets.length === 2);
    await until(() => server.closed === 1); // the first connection was given up, not kept
    second.abort();
    expect((await next).name).toBe("AbortError");
  });

  it("destroy() fails queued requests at once instead of opening connections for them", async () => {
    const server = await holdingServer();
    const h = handler({ maxSockets: 1, requestTimeout: 10_000 });
    const inFlight = failure(h.handle(request(server.port)));
    await until(() => server.held.length === 1);
    const queued = failure(h.handle(request(server.port)));
    h.destroy();
    expect(await queued).toMatchObject({ code: "ERR_HTTP_HANDLER_DESTROYED" });
    expect(await inFlight).toMatchObject({ code: "ECONNRESET" });
    await until(() => server.closed === 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.connections).toBe(1);
  });

  it("destroy() fails a request whose connection is still being opened", async () => {
    const server = await silentServer();
    const h = handler({ connectionTimeout: 60_000 });
    const connecting = failure(h.handle(request(server.port, "https:")));
    await until(() => server.sockets.length === 1);
    h.destroy();
    expect(await connecting).toMatchObject({ code: "ERR_HTTP_HANDLER_DESTROYED" });
    await until(() => server.closed === 1);
  });

  it("the handler still works after destroy(), as an agent does", async () => {
    const server = await holdingServer();
    const h = handler();
    h.destroy();
    const pending = h.handle(request(server.port));
    await until(() => server.held.length === 1);
    server.release();
    expect((await pending).response.statusCode).toBe(200);
  });
});

describe("updateHttpClientConfig", () => {
  it("drains: requests in flight complete on their connections, idle ones close, later requests get new connections", async () => {
    const server = await holdingServer();
    const h = handler();
    const idle = h.handle(request(server.port));
    await until(() => server.held.length === 1);
    server.release();
    await idle;
    const a = h.handle(request(server.port));
    const b = h.handle(request(server.port));
    await until(() => server.held.length === 2);
    expect(server.connections).toBe(2);
    h.updateHttpClientConfig("maxSockets", 10);
    server.release();
    expect((await a).response.statusCode).toBe(200);
    expect((await b).response.statusCode).toBe(200);
    await until(() => server.closed === 2); // neither old connection goes back to the pool
    const later = h.handle(request(server.port));
    await until(() => server.held.length === 1);
    server.release();
    expect((await later).response.statusCode).toBe(200);
    expect(server.connections).toBe(3);
  });

  it("requests queued for a connection still get one after the settings change", async () => {
    const server = await holdingServer();
    const h = handler({ maxSockets: 1 });
    const first = h.handle(request(server.port));
    await until(() => server.held.length === 1);
    const queued = h.handle(request(server.port));
    h.updateHttpClientConfig("connectionTimeout", 1000);
    server.release();
    await first;
    await until(() => server.held.length === 1);
    server.release();
    expect((await queued).response.statusCode).toBe(200);
    expect(server.connections).toBe(2);
  });
});

describe("TLS options", () => {
  it("keeps the caller's servername (sent as SNI and checked against the certificate), also for an IP address", async () => {
    const seen: (string | false | null)[] = [];
    const server = createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }, (_req, res) => res.end("{}"));
    server.on("secureConnection", (socket: TLSSocket) => seen.push(socket.servername));
    const port = await listen(server);
    await handler({ tls: { ca: TEST_CERT, servername: "localhost" } }).handle(request(port, "https:", "127.0.0.1"));
    await handler({ tls: { ca: TEST_CERT } }).handle(request(port, "https:", "localhost"));
    expect(seen).toEqual(["localhost", "localhost"]);
  });
});
