/**
 * Initialize step, outermost: with an OpenTelemetry provider registered, one CLIENT span per call,
 * named and attributed as `@opentelemetry/instrumentation-aws-sdk` makes the official client's
 * (`LambdaMicrovms.GetMicrovm`; `rpc.system`, `rpc.service`, `rpc.method`, `cloud.region`,
 * `aws.request.id`, `http.response.status_code`), the request id also on errors, status ERROR and
 * an exception event on failure. The span is the active one while the call runs, so the HTTP
 * attempts' spans and anything else the call does sit under it. Plus the call's metrics.
 *
 * When instrumentation-aws-sdk is registered too it has already started a span for the call (our
 * client is a smithy `Client`, whose `send` it patches): that span is used instead of a second one.
 *
 * Without a provider the middleware hands the call straight on: nothing is loaded, no frame added.
 * Tracing never changes what a call returns or throws: any failure of it is swallowed.
 */
import type { Attributes, Context, Span } from "@opentelemetry/api";
import type { HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments, InitializeMiddleware, MetadataBearer, Pluggable } from "@smithy/types";
import { classifyError, type ErrorClass } from "../middleware/retryClassify";
import { errorName, recordFailure, safely } from "./failure";
import { instrumentsOf, type Instruments } from "./metrics";
import { loadApi, otelRegistered, tracesRegistered, type Api } from "./otel";
import * as attr from "./semconv";

/** The per-call state the retry loop reads, kept on the handler context. */
interface CallTrace {
  readonly api: Api;
  /** The call's span: ours, or the one instrumentation-aws-sdk started; undefined without a tracer provider. */
  readonly span: Span | undefined;
  /** True when the span is ours (then we end it). */
  readonly own: boolean;
  readonly context: Context;
  readonly metricAttributes: Attributes;
  readonly instruments: Instruments | undefined;
  readonly started: number;
}

const CALL = Symbol("lambda-microvms.callTrace");

/** The mark instrumentation-aws-sdk's patched `send` leaves on each command it sends. */
const AWS_SDK_INSTRUMENTATION_MARK = "opentelemetry.instrumentation.aws-sdk.client.config";

function sentByAwsSdkInstrumentation(command: object): boolean {
  for (const key of Object.getOwnPropertySymbols(command)) if (key.description === AWS_SDK_INSTRUMENTATION_MARK) return true;
  return false;
}

function operationOf(context: HandlerExecutionContext): string {
  const command = String(context.commandName ?? "");
  return command.endsWith("Command") ? command.slice(0, -"Command".length) : command;
}

function startCall(api: Api, context: HandlerExecutionContext, command: object): CallTrace {
  const method = operationOf(context);
  const metricAttributes: Attributes = { [attr.RPC_SERVICE]: attr.SERVICE_NAME, [attr.RPC_METHOD]: method };
  const base = { api, metricAttributes, instruments: instrumentsOf(api), started: performance.now() };
  const active = api.context.active();
  if (!tracesRegistered()) return { ...base, span: undefined, own: false, context: active };
  if (sentByAwsSdkInstrumentation(command)) return { ...base, span: api.trace.getSpan(active), own: false, context: active };
  const span = attr.tracerOf(api).startSpan(
    `${attr.SERVICE_NAME}.${method}`,
    { kind: api.SpanKind.CLIENT, attributes: { [attr.RPC_SYSTEM]: "aws-api", ...metricAttributes } },
    active,
  );
  return { ...base, span, own: true, context: api.trace.setSpan(active, span) };
}

interface Metadata {
  requestId?: string;
  extendedRequestId?: string;
  httpStatusCode?: number;
  attempts?: number;
}

function metadataOf(value: unknown): Metadata {
  const metadata = (value as { $metadata?: Metadata } | undefined)?.$metadata;
  return typeof metadata === "object" && metadata !== null ? metadata : {};
}

function annotate(call: CallTrace, metadata: Metadata): void {
  const span = call.span;
  if (span === undefined) return;
  if (metadata.requestId) {
    span.setAttribute(attr.AWS_REQUEST_ID, metadata.requestId);
    span.setAttribute(attr.AWS_REQUEST_ID_SEMCONV, metadata.requestId);
  }
  if (!call.own) return;
  if (metadata.extendedRequestId) span.setAttribute(attr.AWS_REQUEST_EXTENDED_ID, metadata.extendedRequestId);
  if (metadata.httpStatusCode) {
    span.setAttribute(attr.HTTP_RESPONSE_STATUS_CODE, metadata.httpStatusCode);
    if (attr.oldHttpNames()) span.setAttribute(attr.OLD_HTTP.statusCode, metadata.httpStatusCode);
  }
}

function finish(call: CallTrace, output: unknown, error: unknown, failed: boolean): void {
  const metadata = metadataOf(failed ? error : output);
  annotate(call, metadata);
  const span = call.span;
  if (failed && span !== undefined && call.own) recordFailure(call.api, span, error);
  if (call.own) span?.end();
  const instruments = call.instruments;
  if (instruments === undefined) return;
  instruments.callDuration.record((performance.now() - call.started) / 1000, call.metricAttributes);
  instruments.attempts.add(metadata.attempts ?? 1, call.metricAttributes);
  if (failed) instruments.errors.add(1, { ...call.metricAttributes, [attr.EXCEPTION_TYPE]: errorName(error) });
}

async function traceCall(
  config: TracingConfig,
  next: InitializeHandler<any, MetadataBearer>,
  context: HandlerExecutionContext,
  args: InitializeHandlerArguments<any>,
) {
  const api = await loadApi();
  const call = api && safely(() => startCall(api, context, args));
  if (call === undefined) return next(args);
  (context as Record<symbol, unknown>)[CALL] = call;
  if (call.own) {
    // As instrumentation-aws-sdk does: the region is known before the request goes out.
    const region = await config.region().catch(() => undefined);
    if (region) safely(() => call.span?.setAttribute(attr.CLOUD_REGION, region));
  }
  let result: Awaited<ReturnType<typeof next>>;
  try {
    result = await call.api.context.with(call.context, next, undefined, args);
  } catch (error) {
    safely(() => finish(call, undefined, error, true));
    throw error;
  }
  safely(() => finish(call, result.output, undefined, false));
  return result;
}

/** What the middleware needs from the client's configuration. */
export interface TracingConfig {
  region(): Promise<string>;
}

export function tracingMiddleware(config: TracingConfig): InitializeMiddleware<any, MetadataBearer> {
  return (next, context) => (otelRegistered() ? (args) => traceCall(config, next, context, args) : next);
}

export function getTracingPlugin(config: TracingConfig): Pluggable<any, any> {
  return {
    applyToStack(stack) {
      stack.add(tracingMiddleware(config), { name: "openTelemetryMiddleware", tags: ["TRACING"], step: "initialize", priority: "high", override: true });
    },
  };
}

const RETRY_REASONS: Record<ErrorClass, string> = {
  THROTTLING: "throttling",
  TRANSIENT: "transient",
  TIMEOUT: "timeout",
  CLOCK_SKEW: "clock_skew",
  NONE: "other",
};

/**
 * Called by the retry loops before they wait for the next attempt: a span event on the call's
 * span (the attempt that failed, why, and the wait) and the retry counter.
 */
export function noteRetry(context: HandlerExecutionContext, attempt: number, delayMs: number, error: unknown): void {
  const call = (context as Record<symbol, CallTrace | undefined>)[CALL];
  if (call === undefined) return;
  safely(() => {
    const reason = RETRY_REASONS[classifyError(error)];
    call.span?.addEvent("lambda_microvms.retry", {
      "lambda_microvms.retry.attempt": attempt,
      "lambda_microvms.retry.delay_ms": delayMs,
      "lambda_microvms.retry.reason": reason,
      [attr.ERROR_TYPE]: errorName(error),
    });
    call.instruments?.retries.add(1, { ...call.metricAttributes, "lambda_microvms.retry.reason": reason });
  });
}
