/**
 * Build step: the headers every request carries, in the official client's four middleware (same
 * names, steps and priorities, so that middleware placed relative to them lands where it would
 * with the official client): content length, user agent, host, and the Lambda trace id.
 */
import { HttpRequest } from "@smithy/core/transport";
import type { BodyLengthCalculator, BuildMiddleware, Pluggable } from "@smithy/types";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../client/version";
import { envVar } from "../platform/runtime";

export interface HeadersConfig {
  bodyLengthChecker: BodyLengthCalculator;
  /** The `user-agent` value, worked out once per client. */
  userAgent(): Promise<string>;
}

const contentLengthMiddleware =
  (config: HeadersConfig): BuildMiddleware<any, any> =>
  (next) =>
  (args) => {
    const request = args.request;
    if (HttpRequest.isInstance(request) && request.body != null && request.headers["content-length"] === undefined) {
      const length = config.bodyLengthChecker(request.body);
      if (length !== undefined) request.headers["content-length"] = String(length);
    }
    return next(args);
  };

const userAgentMiddleware =
  (config: HeadersConfig): BuildMiddleware<any, any> =>
  (next) =>
  async (args) => {
    const request = args.request;
    if (HttpRequest.isInstance(request)) {
      request.headers["user-agent"] = await config.userAgent();
      request.headers["x-amz-user-agent"] = `${PACKAGE_NAME}/${PACKAGE_VERSION}`;
    }
    return next(args);
  };

const hostHeaderMiddleware: BuildMiddleware<any, any> = (next) => (args) => {
  const request = args.request;
  if (HttpRequest.isInstance(request) && !request.headers.host) {
    request.headers.host = request.port != null ? `${request.hostname}:${request.port}` : request.hostname;
  }
  return next(args);
};

/** Whether this process is a Lambda function (its name does not change while it runs). */
let inLambda: boolean | undefined;

/**
 * Inside a Lambda function, the function's X-Ray trace id goes with the request (as the official
 * client sends it), so that the service can stop a function from calling itself in a loop and
 * X-Ray can join the traces. The trace id changes with every invocation, so it is read per call.
 */
const recursionDetectionMiddleware: BuildMiddleware<any, any> = (next) => (args) => {
  inLambda ??= Boolean(envVar("AWS_LAMBDA_FUNCTION_NAME"));
  const request = args.request;
  if (inLambda && HttpRequest.isInstance(request)) {
    const traceId = envVar("_X_AMZN_TRACE_ID");
    const present = Object.keys(request.headers).some((name) => name.toLowerCase() === "x-amzn-trace-id");
    if (traceId && !present) request.headers["X-Amzn-Trace-Id"] = traceId;
  }
  return next(args);
};

export function getHeadersPlugin(config: HeadersConfig): Pluggable<any, any> {
  return {
    applyToStack(stack) {
      stack.add(contentLengthMiddleware(config), { step: "build", tags: ["SET_CONTENT_LENGTH", "CONTENT_LENGTH"], name: "contentLengthMiddleware", override: true });
      stack.add(userAgentMiddleware(config), { step: "build", priority: "low", tags: ["SET_USER_AGENT", "USER_AGENT"], name: "getUserAgentMiddleware", override: true });
      stack.add(hostHeaderMiddleware, { step: "build", priority: "low", tags: ["HOST"], name: "hostHeaderMiddleware", override: true });
      stack.add(recursionDetectionMiddleware, { step: "build", priority: "low", tags: ["RECURSION_DETECTION", "TRACE_CONTEXT_PROPAGATION"], name: "recursionDetectionMiddleware", override: true });
    },
  };
}
