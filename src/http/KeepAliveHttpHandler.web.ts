/**
 * `KeepAliveHttpHandler` outside Node.js (it replaces `KeepAliveHttpHandler.ts` in that build):
 * there are no sockets to pool there, the client sends its requests with `fetch`. The name stays
 * exported so that code shared with Node.js still loads; constructing one says what to do instead.
 */
import type { KeepAliveHttpHandlerOptions } from "./KeepAliveHttpHandler";

export type { KeepAliveHttpHandlerConfig, KeepAliveHttpHandlerOptions } from "./KeepAliveHttpHandler";

export class KeepAliveHttpHandler {
  constructor(_options?: KeepAliveHttpHandlerOptions) {
    throw new Error(
      "KeepAliveHttpHandler needs Node.js sockets. Outside Node.js the client sends requests with fetch: leave requestHandler out, or pass its options ({ requestTimeout }) or a FetchHttpHandler of @smithy/fetch-http-handler.",
    );
  }
}
