/**
 * An INTERNAL span over the calls of a waiter or a paginator, so that its polls or pages sit under
 * one parent. Made only when a tracer provider is registered.
 */
import type { Attributes, Context, Span } from "@opentelemetry/api";
import { recordFailure, safely } from "./failure";
import { loadApi, tracesRegistered, type Api } from "./otel";
import { SERVICE_NAME, tracerOf } from "./semconv";

export class ParentSpan {
  private constructor(
    private readonly api: Api,
    private readonly span: Span,
    private readonly context: Context,
  ) {}

  /**
   * `LambdaMicrovms.<label>`, child of the active span; undefined (at once, without a promise)
   * when no tracer provider is registered.
   */
  static start(label: string, attributes: Attributes): Promise<ParentSpan | undefined> | undefined {
    if (!tracesRegistered()) return undefined;
    return loadApi().then((api) => api && ParentSpan.make(api, label, attributes));
  }

  private static make(api: Api, label: string, attributes: Attributes): ParentSpan | undefined {
    return safely(() => {
      const parent = api.context.active();
      const span = tracerOf(api).startSpan(`${SERVICE_NAME}.${label}`, { kind: api.SpanKind.INTERNAL, attributes }, parent);
      return new ParentSpan(api, span, api.trace.setSpan(parent, span));
    });
  }

  /** Runs `fn` with this span active, so that the calls it makes are its children. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.api.context.with(this.context, fn);
  }

  /** Ends the span with `attributes`; `failure` (a reason or an error) makes its status ERROR. */
  end(attributes: Attributes, failure?: { reason?: string; error?: unknown }): void {
    safely(() => {
      this.span.setAttributes(attributes);
      if (failure?.error !== undefined) recordFailure(this.api, this.span, failure.error);
      else if (failure?.reason !== undefined) this.span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: failure.reason });
      this.span.end();
    });
  }
}
