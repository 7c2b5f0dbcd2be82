/**
 * One attempt over a pooled socket: the request written in one piece, the response read by
 * {@link ResponseParser}. This is the default transport of {@link KeepAliveHttpHandler}; it
 * skips `node:http`'s per-request objects (ClientRequest, IncomingMessage, the agent's
 * bookkeeping), which cost more CPU per call than the rest of the client together.
 */
import type { Socket } from "node:net";
import { HttpResponse, type HttpRequest } from "@smithy/protocol-http";
import type { HttpHandlerOptions } from "@smithy/types";
import { abortError, connectionClosedError, socketError, timeoutError } from "./errors";
import { hostOf, requestBytes, requestHead } from "./requestHead";
import { ResponseParser, type ParsedResponse } from "./responseParser";
import type { SocketPool } from "./socketPool";

export class SocketExchange {
  private socket: Socket | undefined;
  private cancelWait: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  private readonly parser: ResponseParser;

  constructor(
    private readonly pool: SocketPool,
    private readonly requestTimeout: number,
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
    const body = this.request.body as string | Uint8Array | undefined;
    let payload: string | Buffer;
    try {
      const length = body === undefined ? undefined : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
      payload = requestBytes(requestHead(this.request, length), body);
    } catch (error) {
      return this.fail(error as Error);
    }
    const limit = this.options.requestTimeout ?? this.requestTimeout;
    if (limit > 0) this.timer = setTimeout(this.onTimeout, limit, limit);
    if (signal) (signal as AbortSignal).addEventListener("abort", this.onAbort, { once: true });
    const { protocol, port } = this.request;
    const origin = { protocol, host: hostOf(this.request), port: port ?? (protocol === "https:" ? 443 : 80) };
    this.cancelWait = this.pool.acquire(origin, (error, socket) => {
      this.cancelWait = undefined;
      if (error !== undefined) return this.fail(socketError(error));
      if (this.done) return this.pool.release(socket!, undefined);
      this.send(socket!, payload);
    });
  }

  private send(socket: Socket, payload: string | Buffer): void {
    this.socket = socket;
    socket.on("data", this.onData);
    socket.on("error", this.onError);
    socket.on("end", this.onClose);
    socket.on("close", this.onClose);
    socket.write(payload);
  }

  private readonly onData = (data: Buffer): void => {
    let response: ParsedResponse | undefined;
    try {
      response = this.parser.push(data);
    } catch (error) {
      return this.fail(error as Error);
    }
    if (response !== undefined) this.complete(response);
  };

  private readonly onClose = (): void => {
    const response = this.parser.end();
    if (response !== undefined) this.complete(response);
    else this.fail(connectionClosedError(this.parser.started));
  };

  private readonly onError = (error: Error): void => {
    this.fail(socketError(error));
  };

  private readonly onTimeout = (limit: number): void => {
    this.fail(timeoutError(`The attempt exceeded requestTimeout (${limit} ms).`));
  };

  private readonly onAbort = (): void => {
    this.fail(abortError(this.options.abortSignal));
  };

  private complete(parsed: ParsedResponse): void {
    if (this.done) return;
    const socket = this.finish();
    if (socket !== undefined) {
      if (parsed.keepAlive) this.pool.release(socket, parsed.keepAliveTimeout);
      else discard(socket);
    }
    this.resolve({ response: new HttpResponse({ statusCode: parsed.statusCode, reason: parsed.reason, headers: parsed.headers, body: parsed.body }) });
  }

  /** Ends the attempt with `error`; its socket is closed (a half-done exchange cannot be reused). */
  private fail(error: Error): void {
    if (this.done) return;
    this.cancelWait?.();
    const socket = this.finish();
    if (socket !== undefined) discard(socket);
    this.reject(error);
  }

  /** Settles the attempt's bookkeeping and detaches it from its socket, which it returns. */
  private finish(): Socket | undefined {
    this.done = true;
    clearTimeout(this.timer);
    (this.options.abortSignal as AbortSignal | undefined)?.removeEventListener("abort", this.onAbort);
    const socket = this.socket;
    if (socket !== undefined) {
      socket.off("data", this.onData);
      socket.off("error", this.onError);
      socket.off("end", this.onClose);
      socket.off("close", this.onClose);
      this.socket = undefined;
    }
    return socket;
  }
}

/** Closes a socket for good; an error it reports while closing has no one left to tell. */
function discard(socket: Socket): void {
  socket.on("error", noop);
  socket.destroy();
}

function noop(): void {}
