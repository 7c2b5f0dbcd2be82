/**
 * The attribute names the spans and metrics use: OpenTelemetry's semantic conventions for AWS SDK
 * and HTTP client spans, the names `@opentelemetry/instrumentation-aws-sdk` gives the official
 * client's spans (which dashboards are built on), and this package's own, under `lambda_microvms.`.
 */
import type { Tracer } from "@opentelemetry/api";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../client/version";
import type { Api } from "./otel";

export const RPC_SYSTEM = "rpc.system";
export const RPC_SERVICE = "rpc.service";
export const RPC_METHOD = "rpc.method";
export const CLOUD_REGION = "cloud.region";
/** The request id as instrumentation-aws-sdk names it. */
export const AWS_REQUEST_ID = "aws.request.id";
export const AWS_REQUEST_EXTENDED_ID = "aws.request.extended_id";
/** The request id as the semantic conventions for AWS SDK name it. */
export const AWS_REQUEST_ID_SEMCONV = "aws.request_id";
export const ERROR_TYPE = "error.type";
export const EXCEPTION_TYPE = "exception.type";

export const HTTP_REQUEST_METHOD = "http.request.method";
export const HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
export const HTTP_RESEND_COUNT = "http.request.resend_count";
export const URL_FULL = "url.full";
export const SERVER_ADDRESS = "server.address";
export const SERVER_PORT = "server.port";
export const NETWORK_PROTOCOL_VERSION = "network.protocol.version";

/** The names HTTP attributes had before the HTTP conventions became stable. */
export const OLD_HTTP = {
  method: "http.method",
  url: "http.url",
  statusCode: "http.status_code",
  flavor: "http.flavor",
  peerName: "net.peer.name",
  peerPort: "net.peer.port",
} as const;

/** `rpc.service` and the first part of span names, as instrumentation-aws-sdk derives it from the service id. */
export const SERVICE_NAME = "LambdaMicrovms";

/**
 * Whether spans also carry the HTTP attribute names of before the conventions became stable, for
 * dashboards built on them: `OTEL_SEMCONV_STABILITY_OPT_IN=http/dup`, as OpenTelemetry's own
 * instrumentations read it. By default only the stable names are set (as they now do).
 */
export function oldHttpNames(): boolean {
  if (oldNames === undefined) {
    const optIn = globalThis.process?.env?.OTEL_SEMCONV_STABILITY_OPT_IN ?? "";
    oldNames = optIn.split(",").some((entry) => entry.trim() === "http/dup");
  }
  return oldNames;
}
let oldNames: boolean | undefined;

const tracers = new WeakMap<object, Tracer>();

/** This package's tracer from the registered provider, made once per provider. */
export function tracerOf(api: Api): Tracer {
  const provider = api.trace.getTracerProvider();
  let tracer = tracers.get(provider);
  if (tracer === undefined) {
    tracer = provider.getTracer(PACKAGE_NAME, PACKAGE_VERSION);
    tracers.set(provider, tracer);
  }
  return tracer;
}
