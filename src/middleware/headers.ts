/** Build step: host, content length, user agent and invocation id headers. */
import { randomUUID } from "node:crypto";
import { platform, release } from "node:os";
import { HttpRequest } from "@smithy/protocol-http";
import type { BuildMiddleware, Pluggable } from "@smithy/types";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../client/version";

/** The user agent: this package, then the runtime, then the caller's own suffix. */
export function userAgent(customUserAgent?: string, appId?: string): string {
  const parts = [
    `${PACKAGE_NAME}/${PACKAGE_VERSION}`,
    "ua/2.1",
    `os/${platform()}#${release()}`,
    "lang/js",
    `md/nodejs#${process.versions.node}`,
    `api/lambda-microvms#${PACKAGE_VERSION}`,
  ];
  if (appId) parts.push(`app/${appId}`);
  if (customUserAgent) parts.push(customUserAgent);
  return parts.join(" ");
}

export function headersMiddleware(getUserAgent: () => string): BuildMiddleware<any, any> {
  return (next) => (args) => {
    const request = args.request;
    if (HttpRequest.isInstance(request)) {
      const headers = request.headers;
      if (!headers.host) headers.host = request.port != null ? `${request.hostname}:${request.port}` : request.hostname;
      if (typeof request.body === "string" && headers["content-length"] === undefined) {
        headers["content-length"] = String(Buffer.byteLength(request.body));
      }
      headers["user-agent"] = getUserAgent();
      headers["x-amz-user-agent"] = `${PACKAGE_NAME}/${PACKAGE_VERSION}`;
      // One id per call: the same on every attempt, so the service can tie retries together.
      headers["amz-sdk-invocation-id"] ??= randomUUID();
    }
    return next(args);
  };
}

export function getHeadersPlugin(getUserAgent: () => string): Pluggable<any, any> {
  return {
    applyToStack(stack) {
      stack.add(headersMiddleware(getUserAgent), { step: "build", name: "requestHeadersMiddleware", override: true });
    },
  };
}
