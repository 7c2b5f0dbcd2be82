/**
 * One attempt over `node:http`/`node:https` with the caller's agents: the transport of
 * {@link KeepAliveHttpHandler} when agents are given (a proxy agent, say) or the request needs
 * what the socket transport leaves out (a streamed body, user info).
 */
import { request as httpRequest, type Agent as HttpAgent, type ClientRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest, type Agent as HttpsAgent } from "node:https";
import type { Socket } from "node:net";
import type { Readable } from "node:stream";
import { HttpResponse, type HttpRequest } from "@smithy/protocol-http";
import type { HeaderBag, HttpHandlerOptions } from "@smithy/types";
import { abortError, socketError, timeoutError } from "./errors";
import { hostOf, pathOf } from "./requestHead";

export interface NodeHttpSettings {
  requestTimeout: number;
  connectionTimeout: number;
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
}

function requestOptions(config: NodeHttpSettings, request: HttpRequest): RequestOptions {
  let path = pathOf(request);
  if (request.fragment) path += `#${request.fragment}`;
  const hostname = hostOf(request);
  const auth = request.username != null || request.password != null ? `${request.username ?? ""}:${request.password ?? ""}` : undefined;
  return {
    agent: request.protocol === "https:" ? config.httpsAgent : config.httpAgent,
    host: hostname,
    port: request.port,
    method: request.method,
    path,
    headers: request.headers,
    auth,
  };
}

/**
 * Response headers as smithy's NodeHttpHandler gives them: Node's lower-case `headers`, repeated
 * ones joined with ",". (The keep-alive agent reads `headers` for every response anyway.)
 */
function headersOf(res: IncomingMessage): HeaderBag {
  const headers: HeaderBag = {};
  const parsed = res.headers;
  for (const name in parsed) {
    const value = parsed[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

/** One attempt over `node:http`: sends the request, reads the whole response, and settles exactly once. */
export class NodeHttpExchange {
  private req: ClientRequest | undefined;
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  private chunks: Buffer[] = [];
  private res: IncomingMessage | undefined;

  constructor(
    private readonly config: NodeHttpSettings,
    private readonly request: HttpRequest,
    private readonly options: HttpHandlerOptions,
    private readonly resolve: (value: { response: HttpResponse }) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  start(): void {
    const signal = this.options.abortSignal;
    if (signal?.aborted) return this.abandon(abortError(signal));
    const send = this.request.protocol === "https:" ? httpsRequest : httpRequest;
    const req = (this.req = send(requestOptions(this.config, this.request)));
    req.on("response", this.onResponse);
    req.on("error", this.onError);
    if (this.config.connectionTimeout > 0) req.on("socket", this.onSocket);
    const limit = this.options.requestTimeout ?? this.config.requestTimeout;
    if (limit > 0) this.timer = setTimeout(this.onTimeout, limit, limit);
    if (signal) (signal as AbortSignal).addEventListener("abort", this.onAbort, { once: true });
    this.writeBody(req);
  }

  private writeBody(req: ClientRequest): void {
    const body: unknown = this.request.body;
    if (body == null || typeof body === "string" || body instanceof Uint8Array) {
      req.end(body as string | Uint8Array | undefined);
    } else if (typeof (body as Readable).pipe === "function") {
      (body as Readable).on("error", this.onError);
      (body as Readable).pipe(req);
    } else {
      req.end(Buffer.from(body as ArrayBuffer));
    }
  }

  private readonly onSocket = (socket: Socket): void => {
    // A reused keep-alive socket is already connected; only a new one can hang while connecting.
    if (!socket.connecting) return;
    const limit = this.config.connectionTimeout;
    const timer = setTimeout(() => this.abandon(timeoutError(`Could not connect within connectionTimeout (${limit} ms).`)), limit);
    socket.once("connect", () => clearTimeout(timer));
    socket.once("close", () => clearTimeout(timer));
  };

  private readonly onResponse = (res: IncomingMessage): void => {
    this.res = res;
    res.on("data", this.onData);
    res.on("end", this.onEnd);
    res.on("error", this.onError);
  };

  private readonly onData = (chunk: Buffer): void => {
    this.chunks.push(chunk);
  };

  private readonly onEnd = (): void => {
    if (this.done) return;
    const res = this.res!;
    const chunks = this.chunks;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    this.settle();
    this.resolve({ response: new HttpResponse({ statusCode: res.statusCode ?? -1, reason: res.statusMessage, headers: headersOf(res), body }) });
  };

  private readonly onError = (error: Error): void => {
    this.abandon(socketError(error));
  };

  private readonly onTimeout = (limit: number): void => {
    this.abandon(timeoutError(`The attempt exceeded requestTimeout (${limit} ms).`));
  };

  private readonly onAbort = (): void => {
    this.abandon(abortError(this.options.abortSignal));
  };

  /** Ends the attempt with `error`, closing its socket (a half-read response cannot be reused). */
  private abandon(error: Error): void {
    if (this.done) return;
    this.settle();
    this.req?.destroy();
    this.reject(error);
  }

  private settle(): void {
    this.done = true;
    clearTimeout(this.timer);
    (this.options.abortSignal as AbortSignal | undefined)?.removeEventListener("abort", this.onAbort);
  }
}
