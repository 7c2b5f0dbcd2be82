/**
 * The default handler's completion path in runtimes that are not quite Node.js: a throw while
 * the connection goes back to the pool, or timers that are plain numbers (Cloudflare Workers on
 * older compatibility dates), must never leave a call pending.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createServer, type Server } from "node:http";
import { Socket, type AddressInfo } from "node:net";
import { HttpRequest } from "@smithy/core/transport";
import { KeepAliveHttpHandler } from "../../src/http/KeepAliveHttpHandler";

let server: Server | undefined;
let handler: KeepAliveHttpHandler | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  handler?.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = handler = undefined;
});

/** A keep-alive server (Node's answers carry `Keep-Alive: timeout=5`) whose body comes in two writes. */
async function start(): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": 11 });
    res.write('{"ok"');
    setImmediate(() => res.end(":true}"));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

const get = (port: number) => new HttpRequest({ protocol: "http:", hostname: "127.0.0.1", port, method: "GET", path: "/", headers: { host: `127.0.0.1:${port}` } });

/** The call's outcome, or "pending" if it has not settled a second after the server answered. */
function settled<T>(call: Promise<T>): Promise<T | "pending"> {
  return Promise.race([call, new Promise<"pending">((resolve) => setTimeout(resolve, 1000, "pending"))]);
}

describe("completion path", () => {
  it("a connection the pool cannot take back is closed, and the call still gets its answer", async () => {
    const { port, connections } = await start();
    handler = new KeepAliveHttpHandler();
    vi.spyOn(Socket.prototype, "unref").mockImplementation(() => {
      throw new TypeError("socket.unref is not a function");
    });
    const first = await settled(handler.handle(get(port)));
    expect(first).not.toBe("pending");
    if (first === "pending") return;
    expect(first.response.statusCode).toBe(200);
    expect(Buffer.from(first.response.body as Uint8Array).toString()).toBe('{"ok":true}');
    // The next call works, on a new connection: the one that could not be pooled was closed.
    const second = await settled(handler.handle(get(port)));
    expect(second).not.toBe("pending");
    expect(connections()).toBe(2);
  });

  it("timers without unref and refresh (plain numbers) still bound and settle each call", async () => {
    const { port, connections } = await start();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    const timers = new Map<number, ReturnType<typeof realSet>>();
    let next = 1;
    vi.stubGlobal("setTimeout", (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const id = next++;
      timers.set(id, realSet(() => (timers.delete(id), callback(...args)), ms));
      return id;
    });
    vi.stubGlobal("clearTimeout", (id: unknown) => {
      if (typeof id !== "number") return realClear(id as ReturnType<typeof realSet>);
      realClear(timers.get(id));
      timers.delete(id);
    });
    handler = new KeepAliveHttpHandler({ socketTimeout: 5000 });
    for (let i = 0; i < 2; i++) {
      const outcome = await settled(handler.handle(get(port)));
      expect(outcome).not.toBe("pending");
      if (outcome !== "pending") expect(outcome.response.statusCode).toBe(200);
    }
    // Both calls on one kept-alive connection: pooling works without unref.
    expect(connections()).toBe(1);
    vi.unstubAllGlobals();
    for (const timer of timers.values()) realClear(timer);
  });
});
