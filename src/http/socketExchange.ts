/**
 * One attempt over a pooled socket: the request written in one piece, the response read by
 * {@link ResponseParser}. This is the default transport of {@link KeepAliveHttpHandler}; it
 * skips `node:http`'s per-request objects (ClientRequest, IncomingMessage, the agent's
 * bookkeeping), which cost more CPU per call than the rest of the client together.
 */
import { HttpResponse, type HttpRequest } from "@smithy/core/transport";
import type { HttpHandlerOptions } from "@smithy/types";
import { abortError, connectionClosedError, socketError, timeoutError } from "./errors";
import { hostOf, requestPayload } from "./requestHead";
import { ResponseParser, type ParsedResponse } from "./responseParser";
import type { Connection, ConnectionUser, SocketPool } from "./socketPool";

/** The limits of an attempt, from the handler's settings. */
export interface ExchangeLimits {
  /** Milliseconds for the whole attempt; 0 for none. */
  readonly requestTimeout: number;
  /** Milliseconds of silence allowed while waiting for the response; 0 for none. */
  readonly socketTimeout: number;
  /** False: an exceeded requestTimeout is only reported to `logger`. */
  readonly throwOnRequestTimeout: boolean;
  readonly logger?: { warn?: (message: string) => void } | undefined;
}

export class SocketExchange implements ConnectionUser {
  private connection: Connection | undefined;
  private cancelWait: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private done = false;
  private readonly parser: ResponseParser;

  constructor(
    private readonly pool: SocketPool,
    private readonly limits: ExchangeLimits,
    private readonly request: HttpRequest,
    private readonly options: HttpHandlerOptions,
    private readonly resolve: (value: { response: HttpResponse }) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.parser = new ResponseParser(request.method === "HEAD");
  }

  start(): void {
    const signal = this.options.abortSignal;
    if (signal?.aborted) return this.fail(abortError(signal));
    let payload: string | Buffer;
    try {
      payload = requestPayload(this.request);
    } catch (error) {
      return this.fail(error as Error);
    }
    const limit = this.options.requestTimeout ?? this.limits.requestTimeout;
    if (limit > 0) this.timer = setTimeout(this.onTimeout, limit, limit);
    const idle = this.limits.socketTimeout;
    if (idle > 0) this.idleTimer = setTimeout(this.onIdle, idle, idle);
    if (signal) (signal as AbortSignal).addEventListener("abort", this.onAbort, { once: true });
    const { protocol, port } = this.request;
    const origin = { protocol, host: hostOf(this.request), port: port ?? (protocol === "https:" ? 443 : 80) };
    this.cancelWait = this.pool.acquire(origin, (error, connection) => {
      this.cancelWait = undefined;
      if (error !== undefined) return this.fail(socketError(error));
      if (this.done) return this.pool.release(connection!, undefined);
      this.connection = connection;
      connection!.user = this;
      try {
        connection!.socket.write(payload);
      } catch (writeError) {
        this.fail(socketError(writeError as Error));
      }
    });
  }

  onData(data: Buffer): void {
    if (this.idleTimer !== undefined) this.idleTimer = refreshed(this.idleTimer, this.onIdle, this.limits.socketTimeout);
    let response: ParsedResponse | undefined;
    try {
      response = this.parser.push(data);
    } catch (error) {
      return this.fail(error as Error);
    }
    if (response !== undefined) this.complete(response);
  }

  onClose(): void {
    const response = this.parser.end();
    if (response !== undefined) this.complete(response);
    else this.fail(connectionClosedError(this.parser.started));
  }

  onError(error: Error): void {
    this.fail(socketError(error));
  }

  private readonly onTimeout = (limit: number): void => {
    const message = `The attempt exceeded requestTimeout (${limit} ms).`;
    if (this.limits.throwOnRequestTimeout) return this.fail(timeoutError(message));
    (this.limits.logger ?? console).warn?.(`${message} Set throwOnRequestTimeout to make this an error.`);
  };

  private readonly onIdle = (limit: number): void => {
    this.fail(timeoutError(`The response was silent for socketTimeout (${limit} ms).`));
  };

  private readonly onAbort = (): void => {
    this.fail(abortError(this.options.abortSignal));
  };

  /** Settles the call with the response, whatever happens on the way: a call is never left pending. */
  private complete(parsed: ParsedResponse): void {
    if (this.done) return;
    const connection = this.finish();
    try {
      if (connection !== undefined) this.giveBack(connection, parsed);
      this.resolve({ response: new HttpResponse({ statusCode: parsed.statusCode, reason: parsed.reason, headers: parsed.headers, body: parsed.body }) });
    } catch (error) {
      this.reject(error as Error);
    }
  }

  /**
   * Returns the connection to the pool, or closes it. One the pool cannot take is closed: the
   * answer is whole, so the call still gets it.
   */
  private giveBack(connection: Connection, parsed: ParsedResponse): void {
    try {
      if (parsed.keepAlive) this.pool.release(connection, parsed.keepAliveTimeout);
      else connection.close();
    } catch {
      connection.close();
    }
  }

  /** Ends the attempt with `error`; its socket is closed (a half-done exchange cannot be reused). */
  private fail(error: Error): void {
    if (this.done) return;
    try {
      this.cancelWait?.();
      this.finish()?.close();
    } finally {
      this.reject(error);
    }
  }

  /** Settles the attempt's bookkeeping and lets go of its connection, which it returns. */
  private finish(): Connection | undefined {
    this.done = true;
    clearTimeout(this.timer);
    clearTimeout(this.idleTimer);
    (this.options.abortSignal as AbortSignal | undefined)?.removeEventListener("abort", this.onAbort);
    const connection = this.connection;
    if (connection !== undefined) {
      connection.user = undefined;
      this.connection = undefined;
    }
    return connection;
  }
}

/**
 * A timer started again: `refresh()` where timers have it (Node.js), a new timer where
 * `setTimeout` gives a plain number (Cloudflare Workers on older compatibility dates).
 */
function refreshed(timer: NodeJS.Timeout, callback: (limit: number) => void, limit: number): NodeJS.Timeout {
  if (typeof timer.refresh === "function") return timer.refresh();
  clearTimeout(timer);
  return setTimeout(callback, limit, limit);
}
