/**
 * Keep-alive connections per origin for the socket transport: at most `maxSockets` open per
 * origin, idle ones reused last-in first-out, callers queued when all are busy. An idle
 * connection that the server closes (or that sends anything unasked) is dropped, and idle
 * connections do not keep the process alive.
 */
import { connect as connectTcp, isIP, type Socket } from "node:net";
import { connect as connectTls, type ConnectionOptions } from "node:tls";
import { timeoutError } from "./errors";

export interface Origin {
  /** `http:` or `https:`. */
  protocol: string;
  host: string;
  port: number;
}

/** Where a busy connection's events go: the exchange using it. */
export interface ConnectionUser {
  onData(data: Buffer): void;
  onError(error: Error): void;
  /** The server ended the connection, or it closed. */
  onClose(): void;
}

/** Called with a connected connection, or with the error that prevented one. */
export type ConnectionCallback = (error: Error | undefined, connection?: Connection) => void;

/**
 * One socket of the pool. Its listeners are installed once and pass events to its current
 * user; while idle, any event drops it. (Adding and removing listeners per request cost more
 * than parsing the response.)
 */
export class Connection {
  user: ConnectionUser | undefined;
  idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: Socket,
    readonly sockets: OriginSockets,
  ) {
    socket.on("data", (data: Buffer) => (this.user ? this.user.onData(data) : this.close()));
    socket.on("error", (error: Error) => (this.user ? this.user.onError(error) : this.close()));
    socket.on("end", () => (this.user ? this.user.onClose() : this.close()));
    socket.on("close", () => this.user?.onClose());
  }

  close(): void {
    this.socket.destroy();
  }
}

class OriginSockets {
  readonly all = new Set<Connection>();
  readonly idle: Connection[] = [];
  readonly waiting: ConnectionCallback[] = [];
  /** The last TLS session, so that new connections resume it. */
  session: Buffer | undefined;
  constructor(readonly origin: Origin) {}
}

export interface SocketPoolOptions {
  maxSockets: number;
  connectionTimeout: number;
  /** Extra options for TLS connections (`ca`, `rejectUnauthorized`, …). */
  tls?: ConnectionOptions;
}

export class SocketPool {
  private readonly origins = new Map<string, OriginSockets>();

  constructor(private readonly options: SocketPoolOptions) {}

  /** Hands a connection to `callback`: an idle one, a new one, or the next one released. Returns a cancel function. */
  acquire(origin: Origin, callback: ConnectionCallback): () => void {
    const sockets = this.socketsOf(origin);
    for (let idle = sockets.idle.pop(); idle !== undefined; idle = sockets.idle.pop()) {
      clearTimeout(idle.idleTimer);
      if (idle.socket.destroyed) continue;
      idle.socket.ref();
      callback(undefined, idle);
      return noop;
    }
    if (sockets.all.size < this.options.maxSockets) {
      this.connect(sockets, callback);
      return noop;
    }
    sockets.waiting.push(callback);
    return () => {
      const i = sockets.waiting.indexOf(callback);
      if (i >= 0) sockets.waiting.splice(i, 1);
    };
  }

  /** Gives back a connection whose exchange completed cleanly; `keepAliveSeconds` is the server's hint. */
  release(connection: Connection, keepAliveSeconds: number | undefined): void {
    connection.user = undefined;
    const sockets = connection.sockets;
    if (connection.socket.destroyed) return;
    const waiter = sockets.waiting.shift();
    if (waiter !== undefined) return waiter(undefined, connection);
    // Close a little before the server's announced timeout, as Node's agent does, so that a
    // request never goes out on a connection the server is closing.
    if (keepAliveSeconds !== undefined) {
      connection.idleTimer = setTimeout(() => connection.close(), Math.max(0, keepAliveSeconds * 1000 - 1000));
      connection.idleTimer.unref();
    }
    connection.socket.unref();
    sockets.idle.push(connection);
  }

  /** Closes every connection, idle or busy (busy exchanges fail), as an agent's destroy() does. */
  destroy(): void {
    for (const sockets of this.origins.values()) {
      for (const connection of sockets.all) connection.close();
    }
  }

  private socketsOf(origin: Origin): OriginSockets {
    const key = `${origin.protocol}//${origin.host}:${origin.port}`;
    let sockets = this.origins.get(key);
    if (sockets === undefined) this.origins.set(key, (sockets = new OriginSockets(origin)));
    return sockets;
  }

  private connect(sockets: OriginSockets, callback: ConnectionCallback): void {
    const { protocol, host, port } = sockets.origin;
    const secure = protocol === "https:";
    const socket = secure
      ? connectTls({ ...this.options.tls, host, port, servername: isIP(host) ? undefined : host, ALPNProtocols: ["http/1.1"], session: sockets.session })
      : connectTcp({ host, port });
    const connection = new Connection(socket, sockets);
    sockets.all.add(connection);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1000);
    if (secure) socket.on("session", (session: Buffer) => (sockets.session = session));
    socket.once("close", () => this.closed(connection));

    let settled = false;
    const limit = this.options.connectionTimeout;
    const timer = limit > 0 ? setTimeout(() => fail(timeoutError(`Could not connect within connectionTimeout (${limit} ms).`)), limit) : undefined;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      callback(error);
    };
    socket.once("error", fail);
    socket.once(secure ? "secureConnect" : "connect", () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off("error", fail);
      callback(undefined, connection);
    });
  }

  /** A connection closed: it leaves the pool, and its slot goes to the next caller waiting, if any. */
  private closed(connection: Connection): void {
    const sockets = connection.sockets;
    clearTimeout(connection.idleTimer);
    sockets.all.delete(connection);
    const i = sockets.idle.indexOf(connection);
    if (i >= 0) sockets.idle.splice(i, 1);
    const waiter = sockets.waiting.shift();
    if (waiter !== undefined) this.connect(sockets, waiter);
  }
}

function noop(): void {}
