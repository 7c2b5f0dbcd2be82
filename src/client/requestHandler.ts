/**
 * The client's HTTP handler: a handler passed in is used as is; options (the form the official
 * client also takes) configure the default handler, or smithy's `NodeHttpHandler` when they carry
 * an HTTP agent, which only `node:http` can use. In Cloudflare Workers (this build with
 * `nodejs_compat`) the default is smithy's `FetchHttpHandler`: a socket opened there belongs to
 * the request that opened it, so a pool kept by a client at module scope would hand the next
 * request a socket it may not use. The build for other runtimes replaces this module with
 * `requestHandler.web.ts`.
 */
import type { HttpHandlerOptions, NodeHttpHandlerOptions, RequestHandler } from "@smithy/types";
import type { HttpRequest, HttpResponse } from "@smithy/core/transport";
import { KeepAliveHttpHandler, type KeepAliveHttpHandlerOptions } from "../http/KeepAliveHttpHandler";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../middleware/attemptTimeout";
import { isRequestHandler, type HandlerDefaults, type HttpHandler } from "./httpHandler";

/** True in Cloudflare Workers, whose I/O objects belong to the request that made them. */
function inWorkers(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers";
}

/** The handler for a `requestHandler` option: a handler, its options, or nothing. */
export function resolveRequestHandler(given: unknown, defaults: HandlerDefaults): HttpHandler {
  if (isRequestHandler(given)) return given;
  const options = (given ?? {}) as NodeHttpHandlerOptions & KeepAliveHttpHandlerOptions;
  const requestTimeout = options.requestTimeout ?? defaults.requestTimeout;
  if (inWorkers()) {
    const fetchOptions = { requestTimeout: requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS };
    return new LazyHttpHandler(async (current) => new (await import("../lazy/fetchHttpHandler")).FetchHttpHandler(current), fetchOptions);
  }
  if (options.httpAgent !== undefined || options.httpsAgent !== undefined) {
    const agentOptions = { requestTimeout: defaults.requestTimeout, connectionTimeout: defaults.connectionTimeout, ...options };
    return new LazyHttpHandler(async (current) => new (await import("../lazy/nodeHttpHandler")).NodeHttpHandler(current), agentOptions);
  }
  return new KeepAliveHttpHandler({
    ...options,
    requestTimeout,
    connectionTimeout: options.connectionTimeout ?? defaults.connectionTimeout,
    logger: options.logger ?? defaults.logger,
  });
}

type LoadedHandler = RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> & {
  destroy(): void;
  updateHttpClientConfig(key: never, value: never): void;
};

/**
 * A handler loaded at the first request (smithy's `NodeHttpHandler` for callers with an agent,
 * its `FetchHttpHandler` in Workers): clients that never need one do not load its code.
 */
class LazyHttpHandler<Options extends object> implements HttpHandler {
  readonly metadata = { handlerProtocol: "http/1.1" };
  private handler: Promise<LoadedHandler> | undefined;

  /** `load` makes the handler from the options as they are at the first request. */
  constructor(
    private readonly load: (options: Options) => Promise<LoadedHandler>,
    private options: Options,
  ) {}

  private loaded(): Promise<LoadedHandler> {
    this.handler ??= this.load(this.options);
    return this.handler;
  }

  async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    return (await this.loaded()).handle(request, options);
  }

  destroy(): void {
    void this.handler?.then((handler) => handler.destroy());
  }

  updateHttpClientConfig(key: keyof Options, value: unknown): void {
    this.options = { ...this.options, [key]: value };
    void this.handler?.then((handler) => handler.updateHttpClientConfig(key as never, value as never));
  }

  httpHandlerConfigs(): Options {
    return { ...this.options };
  }
}
