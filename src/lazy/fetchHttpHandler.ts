/**
 * smithy's `FetchHttpHandler`, loaded with `import()` by the Node.js build only where sockets
 * cannot be pooled across requests (Cloudflare Workers with `nodejs_compat`).
 */
export { FetchHttpHandler } from "@smithy/fetch-http-handler";
