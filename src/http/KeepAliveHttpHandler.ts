/**
 * The default HTTP handler: HTTP/1.1 with keep-alive connections, the whole response body read
 * into one `Buffer`, one timer per attempt.
 *
 * By default requests go over pooled sockets with a small strict HTTP/1.1 parser
 * (`socketExchange.ts`), measured at well under half of `node:http`'s CPU per request. Given
 * `httpAgent` or `httpsAgent` (a proxy agent, say), or a request with a streamed body or user
 * info, it uses `node:http` with those agents instead. Any smithy `RequestHandler` (including
 * `NodeHttpHandler`) can still be passed as the client's `requestHandler`.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { ConnectionOptions } from "node:tls";
import type { HttpRequest, HttpResponse } from "@smithy/protocol-http";
import type { HttpHandlerOptions } from "@smithy/types";
import { NodeHttpExchange, type NodeHttpSettings } from "./nodeHttpExchange";
import { SocketExchange } from "./socketExchange";
import { SocketPool } from "./socketPool";

/** Options of {@link KeepAliveHttpHandler}. */
export interface KeepAliveHttpHandlerOptions {
  /** Milliseconds an attempt may take, from sending to the last byte of the body; 0 for no limit. @default 30000 */
  requestTimeout?: number;
  /** Milliseconds to wait for a new connection to open; 0 for no limit. @default 5000 */
  connectionTimeout?: number;
  /** Most connections open at once per endpoint; more requests wait for one. @default 50 */
  maxSockets?: number;
  /** Extra TLS options for `https:` endpoints, e.g. `{ ca }` for a private certificate authority. */
  tls?: ConnectionOptions;
  /** Send `http:` requests through `node:http` with this agent. */
  httpAgent?: HttpAgent;
  /** Send `https:` requests through `node:https` with this agent. */
  httpsAgent?: HttpsAgent;
}

/** The resolved settings, as {@link KeepAliveHttpHandler.httpHandlerConfigs} reports them. */
export interface KeepAliveHttpHandlerConfig {
  requestTimeout: number;
  connectionTimeout: number;
  maxSockets: number;
  tls?: ConnectionOptions;
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
}

/** A smithy `RequestHandler` for HTTP/1.1 with keep-alive connections, buffering each response body. */
export class KeepAliveHttpHandler {
  readonly metadata = { handlerProtocol: "http/1.1" };
  private config: KeepAliveHttpHandlerConfig;
  private pool: SocketPool;
  /** `node:http` agents made here for requests the socket transport leaves out. */
  private fallbackAgents: { http?: HttpAgent; https?: HttpsAgent } = {};

  constructor(options: KeepAliveHttpHandlerOptions = {}) {
    this.config = {
      requestTimeout: options.requestTimeout ?? 30_000,
      connectionTimeout: options.connectionTimeout ?? 5_000,
      maxSockets: options.maxSockets ?? 50,
      tls: options.tls,
      httpAgent: options.httpAgent,
      httpsAgent: options.httpsAgent,
    };
    this.pool = this.newPool();
  }

  /** Sends one request; the response's body is a `Buffer` holding the whole body. */
  handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    return new Promise((resolve, reject) => {
      if (this.usesNodeHttp(request)) {
        new NodeHttpExchange(this.nodeHttpSettings(), request, options, resolve, reject).start();
      } else {
        new SocketExchange(this.pool, this.config.requestTimeout, request, options, resolve, reject).start();
      }
    });
  }

  /** Closes every connection (requests in flight fail), so that a script can exit. */
  destroy(): void {
    this.pool.destroy();
    this.config.httpAgent?.destroy();
    this.config.httpsAgent?.destroy();
    this.fallbackAgents.http?.destroy();
    this.fallbackAgents.https?.destroy();
  }

  /** Changes one setting for the requests sent after this call (smithy's handler interface). */
  updateHttpClientConfig<K extends keyof KeepAliveHttpHandlerConfig>(key: K, value: KeepAliveHttpHandlerConfig[K]): void {
    this.config = { ...this.config, [key]: value };
    if (key === "connectionTimeout" || key === "maxSockets" || key === "tls") {
      this.pool.destroy();
      this.pool = this.newPool();
    }
  }

  httpHandlerConfigs(): KeepAliveHttpHandlerConfig {
    return { ...this.config };
  }

  private newPool(): SocketPool {
    const { maxSockets, connectionTimeout, tls } = this.config;
    return new SocketPool({ maxSockets, connectionTimeout, tls });
  }

  private usesNodeHttp(request: HttpRequest): boolean {
    const body: unknown = request.body;
    const plainBody = body == null || typeof body === "string" || body instanceof Uint8Array;
    const agent = request.protocol === "https:" ? this.config.httpsAgent : this.config.httpAgent;
    return agent !== undefined || !plainBody || request.username != null || request.password != null || Boolean(request.fragment);
  }

  private nodeHttpSettings(): NodeHttpSettings {
    const { requestTimeout, connectionTimeout, maxSockets } = this.config;
    const agents = this.fallbackAgents;
    const httpAgent = this.config.httpAgent ?? (agents.http ??= new HttpAgent({ keepAlive: true, maxSockets }));
    const httpsAgent = this.config.httpsAgent ?? (agents.https ??= new HttpsAgent({ keepAlive: true, maxSockets, ...this.config.tls }));
    return { requestTimeout, connectionTimeout, httpAgent, httpsAgent };
  }
}
