/** What every build's request handler resolution shares: the handler's shape and the client's defaults for it. */
import type { HttpHandlerOptions, Logger, RequestHandler } from "@smithy/types";
import type { HttpRequest, HttpResponse } from "@smithy/core/transport";

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

/** True for a handler (anything with `handle`), false for handler options. */
export function isRequestHandler(value: unknown): value is HttpHandler {
  return typeof (value as { handle?: unknown } | undefined)?.handle === "function";
}
