/**
 * One HTTP CLIENT span per attempt of the default handler, as instrumentation-http makes one per
 * `node:http` request (which this handler does not use, so that instrumentation sees nothing of
 * it): named by the method, with the stable HTTP client attributes, the attempt's number
 * (`http.request.resend_count` from the second attempt on) and the propagation headers of the
 * registered propagator. Handlers passed in (smithy's NodeHttpHandler) go through `node:http`,
 * where instrumentation-http makes these spans itself, so they get none from here.
 */
import type { Attributes, Span } from "@opentelemetry/api";
import { HttpRequest, type HttpResponse } from "@smithy/core/transport";
import { hostOf, isValidHeader, pathOf } from "../http/requestHead";
import { errorName, recordFailure, safely } from "./failure";
import { instrumentsOf } from "./metrics";
import { loadedApi, type Api } from "./otel";
import * as attr from "./semconv";

type Send = (request: HttpRequest) => Promise<{ response: HttpResponse }>;

/** The attempt number the retry loop wrote into `amz-sdk-request` (`attempt=2; max=3`). */
function attemptOf(request: HttpRequest): number | undefined {
  const header = request.headers["amz-sdk-request"];
  const match = header === undefined ? null : /(?:^|;)\s*attempt=(\d+)/.exec(header);
  return match ? Number(match[1]) : undefined;
}

function portOf(request: HttpRequest): number {
  return request.port ?? (request.protocol === "https:" ? 443 : 80);
}

function startAttributes(request: HttpRequest): Attributes {
  const scheme = request.protocol.replace(/:$/, "");
  const port = request.port != null ? `:${request.port}` : "";
  const url = `${scheme}://${request.hostname}${port}${pathOf(request)}`;
  const attributes: Attributes = {
    [attr.HTTP_REQUEST_METHOD]: request.method,
    [attr.URL_FULL]: url,
    [attr.SERVER_ADDRESS]: hostOf(request),
    [attr.SERVER_PORT]: portOf(request),
  };
  const attempt = attemptOf(request);
  if (attempt !== undefined && attempt > 1) attributes[attr.HTTP_RESEND_COUNT] = attempt - 1;
  if (attr.oldHttpNames()) {
    attributes[attr.OLD_HTTP.method] = request.method;
    attributes[attr.OLD_HTTP.url] = url;
    attributes[attr.OLD_HTTP.peerName] = hostOf(request);
    attributes[attr.OLD_HTTP.peerPort] = portOf(request);
  }
  return attributes;
}

/**
 * The request with the registered propagator's headers added. A header the request already has is
 * left alone (it may be signed, and X-Ray's SDK sets its own trace header), and so is any value
 * the transport would refuse: propagation must not change whether a request can be sent.
 */
function withPropagation(api: Api, context: ReturnType<Api["context"]["active"]>, request: HttpRequest): HttpRequest {
  const carrier: Record<string, string> = {};
  api.propagation.inject(context, carrier);
  const present = new Set(Object.keys(request.headers).map((name) => name.toLowerCase()));
  const added = Object.entries(carrier).filter(([name, value]) => !present.has(name.toLowerCase()) && isValidHeader(name, value));
  if (added.length === 0) return request;
  const copy = HttpRequest.clone(request);
  for (const [name, value] of added) copy.headers[name] = value;
  return copy;
}

function ended(api: Api, span: Span, metric: Attributes, started: number, status: number | undefined, error: unknown): void {
  if (status !== undefined) {
    span.setAttribute(attr.HTTP_RESPONSE_STATUS_CODE, status);
    span.setAttribute(attr.NETWORK_PROTOCOL_VERSION, "1.1");
    if (attr.oldHttpNames()) {
      span.setAttribute(attr.OLD_HTTP.statusCode, status);
      span.setAttribute(attr.OLD_HTTP.flavor, "1.1");
    }
    metric[attr.HTTP_RESPONSE_STATUS_CODE] = status;
    metric[attr.NETWORK_PROTOCOL_VERSION] = "1.1";
    if (status >= 400) {
      span.setAttribute(attr.ERROR_TYPE, String(status));
      span.setStatus({ code: api.SpanStatusCode.ERROR });
      metric[attr.ERROR_TYPE] = String(status);
    }
  } else {
    recordFailure(api, span, error);
    metric[attr.ERROR_TYPE] = errorName(error);
  }
  span.end();
  instrumentsOf(api)?.httpDuration.record((performance.now() - started) / 1000, metric);
}

/** Sends `request` through `send` inside an HTTP CLIENT span, when a provider is registered. */
export function tracedSend(request: HttpRequest, send: Send): Promise<{ response: HttpResponse }> {
  const api = loadedApi();
  const traced = api && safely(() => startAttempt(api, request));
  if (traced === undefined) return send(request);
  const { span, context, metric, sent, started } = traced;
  return api!.context.with(context, send, undefined, sent).then(
    (result) => {
      safely(() => ended(api!, span, metric, started, result.response.statusCode, undefined));
      return result;
    },
    (error: unknown) => {
      safely(() => ended(api!, span, metric, started, undefined, error));
      throw error;
    },
  );
}

function startAttempt(api: Api, request: HttpRequest) {
  const attributes = startAttributes(request);
  const parent = api.context.active();
  const span = attr.tracerOf(api).startSpan(request.method, { kind: api.SpanKind.CLIENT, attributes }, parent);
  const context = api.trace.setSpan(parent, span);
  const metric: Attributes = {
    [attr.HTTP_REQUEST_METHOD]: request.method,
    [attr.SERVER_ADDRESS]: attributes[attr.SERVER_ADDRESS],
    [attr.SERVER_PORT]: attributes[attr.SERVER_PORT],
  };
  return { span, context, metric, sent: withPropagation(api, context, request), started: performance.now() };
}
