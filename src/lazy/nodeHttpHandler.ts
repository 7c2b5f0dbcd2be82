/**
 * smithy's `NodeHttpHandler`, loaded with `import()` only by clients given an HTTP agent.
 * Importing it through this module lets bundlers keep this one class rather than the package's
 * HTTP/2 handler as well.
 */
export { NodeHttpHandler } from "@smithy/node-http-handler";
