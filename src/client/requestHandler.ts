/**
 * The client's HTTP handler: a handler passed in is used as is; options (the form the official
 * client also takes) configure the default handler, or smithy's `NodeHttpHandler` when they carry
 * an HTTP agent, which only `node:http` can use.
 */
import type { HttpHandlerOptions, Logger, NodeHttpHandlerOptions, RequestHandler } from "@smithy/types";
import type { HttpRequest, HttpResponse } from "@smithy/core/transport";
import { KeepAliveHttpHandler, type KeepAliveHttpHandlerOptions } from "../http/KeepAliveHttpHandler";

export type HttpHandler = RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> & {
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): object;
};

/** What the client's own options add to the handler's. */
export interface HandlerDefaults {
  requestTimeout?: number | undefined;
  connectionTimeout?: number | undefined;
  logger?: Logger | undefined;
}

export function isRequestHandler(value: unknown): value is HttpHandler {
  return typeof (value as { handle?: unknown } | undefined)?.handle === "function";
}

/** The handler for a `requestHandler` option: a handler, its options, or nothing. */
export function resolveRequestHandler(given: unknown, defaults: HandlerDefaults): HttpHandler {
  if (isRequestHandler(given)) return given;
  const options = (given ?? {}) as NodeHttpHandlerOptions & KeepAliveHttpHandlerOptions;
  if (options.httpAgent !== undefined || options.httpsAgent !== undefined) {
    return new AgentHttpHandler({ requestTimeout: defaults.requestTimeout, connectionTimeout: defaults.connectionTimeout, ...options });
  }
  return new KeepAliveHttpHandler({
    ...options,
    requestTimeout: options.requestTimeout ?? defaults.requestTimeout,
    connectionTimeout: options.connectionTimeout ?? defaults.connectionTimeout,
    logger: options.logger ?? defaults.logger,
  });
}

/**
 * smithy's `NodeHttpHandler` with the caller's agents, loaded at the first request: clients that
 * never pass an agent do not load `node:http`'s handler at all.
 */
export class AgentHttpHandler implements HttpHandler {
  readonly metadata = { handlerProtocol: "http/1.1" };
  private handler: Promise<RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> & { destroy(): void; updateHttpClientConfig(k: string, v: unknown): void }> | undefined;

  constructor(private options: NodeHttpHandlerOptions) {}

  private load() {
    this.handler ??= import("../lazy/nodeHttpHandler").then(({ NodeHttpHandler }) => new NodeHttpHandler(this.options));
    return this.handler;
  }

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    return (await this.load()).handle(request, options);
  }

  destroy(): void {
    void this.handler?.then((handler) => handler.destroy());
  }

  updateHttpClientConfig(key: keyof NodeHttpHandlerOptions, value: unknown): void {
    this.options = { ...this.options, [key]: value };
    void this.handler?.then((handler) => handler.updateHttpClientConfig(key, value));
  }

  httpHandlerConfigs(): NodeHttpHandlerOptions {
    return { ...this.options };
  }
}
