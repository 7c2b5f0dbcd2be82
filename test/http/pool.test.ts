/**
 * The connection pool as a class, against a loopback TCP server the test starts: reuse, what
 * drops an idle connection, the queue of callers waiting for a slot, keep-alive timers, settings
 * changes and the connect timeout.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createServer, Socket, type AddressInfo } from "node:net";
import { SocketPool, type Connection, type ConnectionCallback, type Origin } from "../../src/http/socketPool";

const closers: (() => unknown)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const close of closers.splice(0).reverse()) await close();
});

/** A TCP server that accepts and keeps connections; `sockets` are its side of them. */
async function server() {
  const sockets: Socket[] = [];
  const s = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => (sockets.forEach((x) => x.destroy()), s.close(resolve))));
  const origin: Origin = { protocol: "http:", host: "127.0.0.1", port: (s.address() as AddressInfo).port };
  return { origin, sockets };
}

function pool(options: Partial<ConstructorParameters<typeof SocketPool>[0]> = {}) {
  const p = new SocketPool({ maxSockets: 4, connectionTimeout: 5000, ...options });
  closers.push(() => p.destroy());
  return p;
}

/** Acquires a connection; resolves with it (or rejects), and counts how often the callback ran. */
function acquire(p: SocketPool, origin: Origin) {
  let calls = 0;
  let cancel = (): void => undefined;
  const got = new Promise<Connection>((resolve, reject) => {
    const callback: ConnectionCallback = (error, connection) => {
      calls++;
      if (error) reject(error);
      else resolve(connection!);
    };
    cancel = p.acquire(origin, callback);
  });
  return { got, cancel, calls: () => calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const closed = (socket: Socket) => (socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once("close", resolve)));

describe("SocketPool", () => {
  it("reuses a released connection, with no delay and TCP keep-alive set on it", async () => {
    const noDelay = vi.spyOn(Socket.prototype, "setNoDelay");
    const keepAlive = vi.spyOn(Socket.prototype, "setKeepAlive");
    const { origin, sockets } = await server();
    const p = pool();
    const first = await acquire(p, origin).got;
    expect(noDelay).toHaveBeenCalledWith(true);
    expect(keepAlive).toHaveBeenCalledWith(true, 1000);
    p.release(first, undefined);
    const second = await acquire(p, origin).got;
    expect(second).toBe(first);
    await tick();
    expect(sockets).toHaveLength(1);
  });

  it("an idle connection the server ends is dropped, and the next caller gets a new one", async () => {
    const { origin, sockets } = await server();
    const p = pool();
    const first = await acquire(p, origin).got;
    p.release(first, undefined);
    await tick();
    sockets[0]!.end();
    await closed(first.socket);
    const second = await acquire(p, origin).got;
    expect(second).not.toBe(first);
    expect(second.socket.destroyed).toBe(false);
  });

  it("an idle connection destroyed in the same tick is skipped", async () => {
    const { origin } = await server();
    const p = pool();
    const first = await acquire(p, origin).got;
    p.release(first, undefined);
    first.socket.destroy();
    const second = await acquire(p, origin).got;
    expect(second).not.toBe(first);
  });

  it("callers beyond maxSockets wait; a cancelled one is skipped, the next gets the released connection", async () => {
    const { origin } = await server();
    const p = pool({ maxSockets: 1 });
    const first = await acquire(p, origin).got;
    const a = acquire(p, origin);
    const b = acquire(p, origin);
    a.cancel();
    p.release(first, undefined);
    expect(await b.got).toBe(first);
    expect(a.calls()).toBe(0);
    const c = acquire(p, origin);
    const d = acquire(p, origin);
    d.cancel();
    p.release(first, undefined);
    expect(await c.got).toBe(first);
    p.release(first, undefined);
    await tick();
    expect(d.calls()).toBe(0);
  });

  it("a keep-alive hint closes the idle connection a second before the server would", async () => {
    const { origin } = await server();
    const p = pool();
    const connection = await acquire(p, origin).got;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    p.release(connection, 3);
    await vi.advanceTimersByTimeAsync(1999);
    expect(connection.socket.destroyed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(connection.socket.destroyed).toBe(true);
  });

  it("a connection in use calls back once, even when it closes later", async () => {
    const { origin, sockets } = await server();
    const p = pool();
    const a = acquire(p, origin);
    const connection = await a.got;
    await tick();
    sockets[0]!.destroy();
    await closed(connection.socket);
    await tick();
    expect(a.calls()).toBe(1);
  });

  it("new settings close idle connections, and one released after the change is not kept", async () => {
    const { origin } = await server();
    const p = pool();
    const idle = await acquire(p, origin).got;
    const busy = await acquire(p, origin).got;
    p.release(idle, undefined);
    p.reconfigure({ maxSockets: 4, connectionTimeout: 5000 });
    expect(idle.socket.destroyed).toBe(true);
    p.release(busy, undefined);
    expect(busy.socket.destroyed).toBe(true);
    const fresh = await acquire(p, origin).got;
    p.release(fresh, undefined);
    expect(fresh.socket.destroyed).toBe(false);
  });

  it("connectionTimeout 0 sets no bound", async () => {
    const { origin } = await server();
    const p = pool({ connectionTimeout: 0 });
    const connection = await acquire(p, origin).got;
    expect(connection.socket.destroyed).toBe(false);
  });
});
