/**
 * Keep-alive connections per origin for the socket transport: at most `maxSockets` open per
 * origin, idle ones reused last-in first-out, callers queued when all are busy. An idle socket
 * that the server closes (or that sends anything unasked) is dropped, and idle sockets do not
 * keep the process alive.
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

/** Called with a connected socket (and whether it was reused), or with the error that prevented it. */
export type SocketCallback = (error: Error | undefined, socket?: Socket, reused?: boolean) => void;

interface IdleState {
  timer: NodeJS.Timeout | undefined;
  onGone: () => void;
}

class OriginSockets {
  /** Every open socket, busy or idle. */
  readonly all = new Set<Socket>();
  readonly idle: Socket[] = [];
  readonly waiting: SocketCallback[] = [];
  open = 0;
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
  private readonly idleState = new WeakMap<Socket, IdleState>();
  private readonly owner = new WeakMap<Socket, OriginSockets>();

  constructor(private readonly options: SocketPoolOptions) {}

  /** Hands a socket to `callback`: an idle one, a new one, or the next one released. Returns a cancel function. */
  acquire(origin: Origin, callback: SocketCallback): () => void {
    const sockets = this.socketsOf(origin);
    const idle = this.takeIdle(sockets);
    if (idle !== undefined) {
      callback(undefined, idle, true);
      return noop;
    }
    if (sockets.open < this.options.maxSockets) {
      this.connect(sockets, callback);
      return noop;
    }
    sockets.waiting.push(callback);
    return () => {
      const i = sockets.waiting.indexOf(callback);
      if (i >= 0) sockets.waiting.splice(i, 1);
    };
  }

  /** Gives back a socket whose exchange completed cleanly; `keepAliveSeconds` is the server's hint. */
  release(socket: Socket, keepAliveSeconds: number | undefined): void {
    const sockets = this.owner.get(socket);
    if (sockets === undefined || socket.destroyed) return;
    const waiter = sockets.waiting.shift();
    if (waiter !== undefined) {
      waiter(undefined, socket, true);
      return;
    }
    this.park(sockets, socket, keepAliveSeconds);
  }

  /** Closes every socket, idle or busy (busy exchanges fail), as an agent's destroy() does. */
  destroy(): void {
    for (const sockets of this.origins.values()) {
      for (const socket of sockets.all) socket.destroy();
    }
  }

  private socketsOf(origin: Origin): OriginSockets {
    const key = `${origin.protocol}//${origin.host}:${origin.port}`;
    let sockets = this.origins.get(key);
    if (sockets === undefined) this.origins.set(key, (sockets = new OriginSockets(origin)));
    return sockets;
  }

  private takeIdle(sockets: OriginSockets): Socket | undefined {
    for (let socket = sockets.idle.pop(); socket !== undefined; socket = sockets.idle.pop()) {
      const state = this.idleState.get(socket);
      if (state !== undefined) this.unpark(socket, state);
      if (!socket.destroyed) {
        socket.ref();
        return socket;
      }
    }
    return undefined;
  }

  private park(sockets: OriginSockets, socket: Socket, keepAliveSeconds: number | undefined): void {
    const onGone = (): void => {
      const i = sockets.idle.indexOf(socket);
      if (i >= 0) sockets.idle.splice(i, 1);
      const state = this.idleState.get(socket);
      if (state !== undefined) this.unpark(socket, state);
      socket.destroy();
    };
    // Close a little before the server's announced timeout, as Node's agent does, so that a
    // request never goes out on a connection the server is closing.
    const timer = keepAliveSeconds !== undefined ? setTimeout(onGone, Math.max(0, keepAliveSeconds * 1000 - 1000)) : undefined;
    timer?.unref();
    socket.on("close", onGone);
    socket.on("end", onGone);
    socket.on("error", onGone);
    socket.on("data", onGone);
    socket.unref();
    this.idleState.set(socket, { timer, onGone });
    sockets.idle.push(socket);
  }

  private unpark(socket: Socket, state: IdleState): void {
    clearTimeout(state.timer);
    socket.off("close", state.onGone);
    socket.off("end", state.onGone);
    socket.off("error", state.onGone);
    socket.off("data", state.onGone);
    this.idleState.delete(socket);
  }

  private connect(sockets: OriginSockets, callback: SocketCallback): void {
    const { protocol, host, port } = sockets.origin;
    const secure = protocol === "https:";
    const socket = secure
      ? connectTls({ ...this.options.tls, host, port, servername: isIP(host) ? undefined : host, ALPNProtocols: ["http/1.1"], session: sockets.session })
      : connectTcp({ host, port });
    sockets.open++;
    sockets.all.add(socket);
    this.owner.set(socket, sockets);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1000);
    if (secure) socket.on("session", (session: Buffer) => (sockets.session = session));
    socket.once("close", () => this.closed(sockets, socket));

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
      callback(undefined, socket, false);
    });
  }

  /** A socket of `sockets` closed: its slot goes to the next caller waiting, if any. */
  private closed(sockets: OriginSockets, socket: Socket): void {
    sockets.open--;
    sockets.all.delete(socket);
    const waiter = sockets.waiting.shift();
    if (waiter !== undefined) this.connect(sockets, waiter);
  }
}

function noop(): void {}
