/**
 * The client's HTTP handler outside Node.js (it replaces `requestHandler.ts` in that build): a
 * handler passed in is used as is; otherwise smithy's `FetchHttpHandler`, with the options given
 * (`requestTimeout`, `requestInit`, …). Node.js-only options (agents, sockets) mean nothing here
 * and are left out, as the official client's browser build does.
 */
import { FetchHttpHandler, type FetchHttpHandlerOptions } from "@smithy/fetch-http-handler";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../middleware/attemptTimeout";
import { isRequestHandler, type HandlerDefaults, type HttpHandler } from "./httpHandler";

export function resolveRequestHandler(given: unknown, defaults: HandlerDefaults): HttpHandler {
  if (isRequestHandler(given)) return given;
  const options = (given ?? {}) as FetchHttpHandlerOptions & { httpAgent?: unknown; httpsAgent?: unknown; connectionTimeout?: unknown; socketTimeout?: unknown };
  const { httpAgent: _http, httpsAgent: _https, connectionTimeout: _connect, socketTimeout: _socket, ...fetchOptions } = options;
  return new FetchHttpHandler({ ...fetchOptions, requestTimeout: options.requestTimeout ?? defaults.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS }) as HttpHandler;
}
