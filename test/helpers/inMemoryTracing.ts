/**
 * A real tracer provider with an in-memory exporter, registered for the enclosing `describe`
 * block and taken down after it (the API's globals too, so later files start untraced).
 */
import { context, propagation, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll } from "vitest";

export function inMemoryTracing(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => {
    new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();
  });
  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });
  return exporter;
}
