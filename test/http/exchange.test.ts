/**
 * One attempt through KeepAliveHttpHandler against a raw TCP server the test scripts byte by
 * byte: HEAD responses, timeouts (whole attempt and silence), keep-alive decisions, settings
 * changes, streamed request bodies and abort listeners.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { Readable } from "node:stream";
import { HttpRequest } from "@smithy/core/transport";
import { KeepAliveHttpHandler } from "../../src/http/KeepAliveHttpHandler";
import { listeningSignal } from "../helpers/listeningSignal";

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A server that calls `answer` with each request's text (head and body) and the socket. */
async function rawServer(answer: (request: string, socket: Socket) => void) {
  const state = { connections: 0, requests: [] as string[] };
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    state.connections++;
    sockets.push(socket);
    socket.on("error", () => undefined);
    let buffered = "";
    socket.on("data", (data) => {
      buffered += data.toString("latin1");
      for (;;) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const request = buffered.slice(0, end + 4 + length);
        buffered = buffered.slice(end + 4 + length);
        state.requests.push(request);
        answer(request, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(resolve))));
  return { ...state, get connections() { return state.connections; }, requests: state.requests, port: (server.address() as AddressInfo).port };
}

function handler(options?: ConstructorParameters<typeof KeepAliveHttpHandler>[0]) {
  const h = new KeepAliveHttpHandler(options);
  closers.push(() => h.destroy());
  return h;
}

const request = (port: number, over: Partial<ConstructorParameters<typeof HttpRequest>[0]> = {}) =>
  new HttpRequest({ protocol: "http:", hostname: "127.0.0.1", port, method: "GET", path: "/", headers: {}, ...over });
const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";

describe("an exchange", () => {
  it("reports its protocol as smithy's handlers do", () => {
    expect(handler().metadata).toEqual({ handlerProtocol: "http/1.1" });
  });

  it("a HEAD response has no body, whatever its Content-Length says", async () => {
    const s = await rawServer((_, socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"));
    const { response } = await handler({ requestTimeout: 2000 }).handle(request(s.port, { method: "HEAD" }));
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-length"]).toBe("5");
  });

  it("requestTimeout 0 sets no bound on the attempt", async () => {
    const s = await rawServer((_, socket) => setTimeout(() => socket.write(OK), 30));
    const { response } = await handler({ requestTimeout: 0 }).handle(request(s.port));
    expect(response.statusCode).toBe(200);
  });

  it("socketTimeout fails a silent response, and each piece of the response restarts it", async () => {
    const silent = await rawServer(() => undefined);
    await expect(handler({ socketTimeout: 100 }).handle(request(silent.port))).rejects.toMatchObject({
      name: "TimeoutError",
      message: "The response was silent for socketTimeout (100 ms).",
    });
    const trickle = await rawServer((_, socket) => {
      const parts = ["HTTP/1.1 200 OK\r\n", "Content-Length: 2\r\n", "\r\n", "{", "}"];
      parts.forEach((part, i) => setTimeout(() => socket.write(part), 60 * (i + 1)));
    });
    const { response } = await handler({ socketTimeout: 150 }).handle(request(trickle.port));
    expect(response.statusCode).toBe(200);
  });

  it("with throwOnRequestTimeout off, an exceeded requestTimeout is only logged and the answer still comes", async () => {
    const s = await rawServer((_, socket) => setTimeout(() => socket.write(OK), 150));
    const warn = vi.fn();
    const { response } = await handler({ requestTimeout: 50, throwOnRequestTimeout: false, logger: { warn } as never }).handle(request(s.port));
    expect(response.statusCode).toBe(200);
    expect(warn).toHaveBeenCalledWith("The attempt exceeded requestTimeout (50 ms). Set throwOnRequestTimeout to make this an error.");
    const thrown = handler({ requestTimeout: 50 }).handle(request(s.port));
    await expect(thrown).rejects.toMatchObject({ name: "TimeoutError", message: "The attempt exceeded requestTimeout (50 ms)." });
  });

  it("a per-request requestTimeout wins over the handler's", async () => {
    const s = await rawServer((_, socket) => setTimeout(() => socket.write(OK), 150));
    await expect(handler({ requestTimeout: 5000 }).handle(request(s.port), { requestTimeout: 50 })).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("keeps a connection the server keeps, and not one it says it closes", async () => {
    const keep = await rawServer((_, socket) => socket.write(OK));
    const h = handler();
    await h.handle(request(keep.port));
    await h.handle(request(keep.port));
    expect(keep.connections).toBe(1);
    const closing = await rawServer((_, socket) => socket.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"));
    await h.handle(request(closing.port));
    await h.handle(request(closing.port));
    expect(closing.connections).toBe(2);
  });

  it("a kept connection the server ends later is not used again", async () => {
    let first: Socket | undefined;
    const s = await rawServer((_, socket) => {
      first ??= socket;
      socket.write(OK);
    });
    const h = handler();
    await h.handle(request(s.port));
    first!.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { response } = await h.handle(request(s.port));
    expect(response.statusCode).toBe(200);
    expect(s.connections).toBe(2);
  });

  it("a streamed request body is read first and sent with its length", async () => {
    const s = await rawServer((_, socket) => socket.write(OK));
    const h = handler();
    await h.handle(request(s.port, { method: "POST", body: Readable.from(["ab", "cé"]) }));
    await h.handle(request(s.port, { method: "POST", body: Readable.from([Buffer.from("xy")]) }));
    expect(s.requests[0]).toMatch(/\r\nContent-Length: 5\r\n/);
    expect(Buffer.from(s.requests[0]!.split("\r\n\r\n")[1]!, "latin1").toString("utf8")).toBe("abcé");
    expect(s.requests[1]!.endsWith("\r\n\r\nxy")).toBe(true);
  });

  it("maxSockets set later limits the connections; other settings leave idle connections open", async () => {
    const s = await rawServer((_, socket) => setTimeout(() => socket.write(OK), 20));
    const h = handler();
    await h.handle(request(s.port));
    h.updateHttpClientConfig("requestTimeout", 10_000);
    h.updateHttpClientConfig("socketTimeout", 10_000);
    await h.handle(request(s.port));
    expect(s.connections).toBe(1);
    h.updateHttpClientConfig("maxSockets", 1);
    expect(h.httpHandlerConfigs().maxSockets).toBe(1);
    await Promise.all([h.handle(request(s.port)), h.handle(request(s.port)), h.handle(request(s.port))]);
    expect(s.connections).toBe(2);
    h.updateHttpClientConfig("connectionTimeout", 1000);
    await h.handle(request(s.port));
    expect(s.connections).toBe(3);
  });

  it("leaves no abort listener on the caller's signal once the attempt is over", async () => {
    const s = await rawServer((_, socket) => socket.write(OK));
    const { signal, listeners } = listeningSignal();
    await handler().handle(request(s.port), { abortSignal: signal });
    expect(listeners.size).toBe(0);
  });
});
