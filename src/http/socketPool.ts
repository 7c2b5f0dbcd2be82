/**
 * Keep-alive connections per origin for the socket transport: at most `maxSockets` open per
 * origin, idle ones reused last-in first-out, callers queued when all are busy. An idle
 * connection that the server closes (or that sends anything unasked) is dropped, and idle
 * connections do not keep the process alive.
 */
import { connect as connectTcp, isIP, type Socket } from "node:net";
import { connect as connectTls, type ConnectionOptions } from "node:tls";
import { connectionClosedError, handlerDestroyedError, timeoutError } from "./errors";

/** The longest delay `setTimeout` takes; a longer one fires at once, with a warning. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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

/** A caller waiting for a connection: queued, or with one being opened for it. */
interface Waiter {
  callback: ConnectionCallback;
  /** Set while a connection is being opened for this caller: gives up on it and frees its slot. */
  cancelConnect?: () => void;
}

/**
 * One socket of the pool. Its listeners are installed once and pass events to its current
 * user; while idle, any event drops it. (Adding and removing listeners per request cost more
 * than parsing the response.)
 */
export class Connection {
  user: ConnectionUser | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  /** Set while connecting: ends the attempt to connect with an error. */
  abortConnect: ((error: Error) => void) | undefined;

  constructor(
    readonly socket: Socket,
    readonly sockets: OriginSockets,
    /** The pool's settings generation this connection was opened with. */
    readonly generation: number,
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
  readonly waiting: Waiter[] = [];
  /** The last TLS session, so that new connections resume it. */
  session: Buffer | undefined;
  constructor(readonly origin: Origin) {}
}

export interface SocketPoolOptions {
  maxSockets: number;
  connectionTimeout: number;
  /** Extra options for TLS connections (`ca`, `rejectUnauthorized`, `servername`, …). */
  tls?: ConnectionOptions;
}

export class SocketPool {
  private readonly origins = new Map<string, OriginSockets>();
  /** Bumped by `reconfigure`: connections of an older generation are not reused. */
  private generation = 0;

  constructor(private options: SocketPoolOptions) {}

  /** Hands a connection to `callback`: an idle one, a new one, or the next one released. Returns a cancel function. */
  acquire(origin: Origin, callback: ConnectionCallback): () => void {
    const sockets = this.socketsOf(origin);
    for (let idle = sockets.idle.pop(); idle !== undefined; idle = sockets.idle.pop()) {
      clearTimeout(idle.idleTimer);
      if (idle.socket.destroyed) continue;
      idle.socket.ref?.();
      callback(undefined, idle);
      return noop;
    }
    const waiter: Waiter = { callback };
    if (sockets.all.size < this.options.maxSockets) this.connect(sockets, waiter);
    else sockets.waiting.push(waiter);
    return () => {
      const i = sockets.waiting.indexOf(waiter);
      if (i >= 0) sockets.waiting.splice(i, 1);
      waiter.cancelConnect?.();
    };
  }

  /** Gives back a connection whose exchange completed cleanly; `keepAliveSeconds` is the server's hint. */
  release(connection: Connection, keepAliveSeconds: number | undefined): void {
    connection.user = undefined;
    const sockets = connection.sockets;
    if (connection.socket.destroyed) return;
    // Opened with settings since replaced: its slot goes to a connection opened with the new ones.
    if (connection.generation !== this.generation) return connection.close();
    const waiter = sockets.waiting.shift();
    if (waiter !== undefined) return waiter.callback(undefined, connection);
    // Close a little before the server's announced timeout, as Node's agent does, so that a
    // request never goes out on a connection the server is closing; with a second or less
    // announced, there is no safe time to reuse it.
    if (keepAliveSeconds !== undefined) {
      const ms = keepAliveSeconds * 1000 - 1000;
      if (!(ms > 0)) return connection.close();
      if (ms <= MAX_TIMER_MS) {
        connection.idleTimer = setTimeout(() => connection.close(), ms);
        // Not every runtime's timers and sockets have unref (Workers' timers can be plain numbers).
        connection.idleTimer.unref?.();
      }
    }
    connection.socket.unref?.();
    sockets.idle.push(connection);
  }

  /**
   * New settings for the connections opened from now on. Requests in flight and queued ones
   * complete; idle connections close now, busy ones when their exchange ends.
   */
  reconfigure(options: SocketPoolOptions): void {
    this.options = options;
    this.generation++;
    for (const sockets of this.origins.values()) {
      // A session of the old settings would skip the new ones' certificate checks.
      sockets.session = undefined;
      for (const connection of sockets.idle.splice(0)) connection.close();
    }
  }

  /**
   * Closes every connection, idle or busy (busy exchanges fail), as an agent's destroy() does,
   * and fails the requests still waiting for one rather than opening connections for them.
   */
  destroy(): void {
    for (const sockets of this.origins.values()) {
      for (const waiter of sockets.waiting.splice(0)) waiter.callback(handlerDestroyedError());
      for (const connection of [...sockets.all]) {
        if (connection.abortConnect) connection.abortConnect(handlerDestroyedError());
        else connection.close();
      }
    }
  }

  private socketsOf(origin: Origin): OriginSockets {
    const key = `${origin.protocol}//${origin.host}:${origin.port}`;
    let sockets = this.origins.get(key);
    if (sockets === undefined) this.origins.set(key, (sockets = new OriginSockets(origin)));
    return sockets;
  }

  private connect(sockets: OriginSockets, waiter: Waiter): void {
    const { protocol, host, port } = sockets.origin;
    const secure = protocol === "https:";
    const tls = this.options.tls;
    const socket = secure
      ? connectTls({ ...tls, host, port, servername: tls?.servername ?? (isIP(host) ? undefined : host), ALPNProtocols: ["http/1.1"], session: sockets.session })
      : connectTcp({ host, port });
    const connection = new Connection(socket, sockets, this.generation);
    sockets.all.add(connection);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1000);
    if (secure) socket.on("session", (session: Buffer) => (sockets.session = session));
    socket.once("close", () => this.closed(connection));

    const limit = this.options.connectionTimeout;
    const timer = limit > 0 ? setTimeout(() => fail(timeoutError(`Could not connect within connectionTimeout (${limit} ms).`)), limit) : undefined;
    /** Ends the attempt to connect; true if it was still under way. */
    const settle = (): boolean => {
      if (connection.abortConnect === undefined) return false;
      connection.abortConnect = undefined;
      waiter.cancelConnect = undefined;
      clearTimeout(timer);
      return true;
    };
    const fail = (error: Error): void => {
      if (!settle()) return;
      socket.destroy();
      this.closed(connection);
      waiter.callback(error);
    };
    connection.abortConnect = fail;
    // The caller gave up: the slot is free at once, not when the connection would have opened.
    waiter.cancelConnect = () => {
      if (!settle()) return;
      socket.destroy();
      this.closed(connection);
    };
    socket.once("error", fail);
    socket.once("close", () => fail(connectionClosedError(false)));
    socket.once(secure ? "secureConnect" : "connect", () => {
      if (!settle()) return;
      socket.off("error", fail);
      waiter.callback(undefined, connection);
    });
  }

  /** A connection closed: it leaves the pool, and its slot goes to the next caller waiting, if any. */
  private closed(connection: Connection): void {
    const sockets = connection.sockets;
    if (!sockets.all.delete(connection)) return;
    clearTimeout(connection.idleTimer);
    const i = sockets.idle.indexOf(connection);
    if (i >= 0) sockets.idle.splice(i, 1);
    const waiter = sockets.waiting.shift();
    if (waiter !== undefined) this.connect(sockets, waiter);
  }
}

function noop(): void {}
