/**
 * Tracing seen from inside the process: it keeps the middleware fast path, adds the propagator's
 * headers without touching the ones the request has (signed or set by X-Ray) or sending one the
 * transport would refuse, and a tracer that fails changes nothing a call returns.
 */
import { context, propagation, trace, type TextMapPropagator, type TracerProvider } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GetMicrovmCommand, LambdaMicrovmsClient, ListMicrovmsCommand } from "../../src/index";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: LocalServer;
let capture: CaptureServer;
beforeAll(async () => {
  [server, capture] = await Promise.all([startLocalServer({ transitionMs: 0 }), startCaptureServer()]);
  capture.respond({ status: 200, body: JSON.stringify({ items: [] }) });
});
afterAll(async () => {
  await Promise.all([server.stop(), capture.close()]);
});

const clients: LambdaMicrovmsClient[] = [];
function clientOf(endpoint: string): LambdaMicrovmsClient {
  const client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  clients.push(client);
  return client;
}
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

/** Registers `provider` (and the propagator) for the tests of one describe block. */
function registered(provider: () => TracerProvider, propagator?: () => TextMapPropagator): void {
  beforeAll(() => {
    const tracerProvider = provider();
    if (tracerProvider instanceof NodeTracerProvider) tracerProvider.register({ propagator: propagator?.() });
    else {
      trace.setGlobalTracerProvider(tracerProvider);
      if (propagator) propagation.setGlobalPropagator(propagator());
    }
  });
  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });
}

describe("with a provider registered", () => {
  const exporter = new InMemorySpanExporter();
  registered(() => new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

  it("keeps the middleware fast path: the official resolution path is not taken", async () => {
    const command = new ListMicrovmsCommand({});
    let official = 0;
    const original = command.resolveMiddlewareWithContext;
    command.resolveMiddlewareWithContext = function (...args: Parameters<typeof original>) {
      official++;
      return original.apply(this, args);
    };
    exporter.reset();
    await clientOf(server.endpoint).send(command);
    expect(official).toBe(0);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["GET", "LambdaMicrovms.ListMicrovms"]);
  });

  it("sends the propagation headers, unsigned, and the service accepts the signature", async () => {
    exporter.reset();
    await clientOf(capture.endpoint).send(new ListMicrovmsCommand({}));
    const headers = capture.requests.at(-1)!.headers;
    const attempt = exporter.getFinishedSpans().find((s) => s.name === "GET")!;
    expect(headers.traceparent).toBe(`00-${attempt.spanContext().traceId}-${attempt.spanContext().spanId}-01`);
    expect(headers.authorization).not.toContain("traceparent");
    await expect(clientOf(server.endpoint).send(new GetMicrovmCommand({ microvmIdentifier: "mvm-none" }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("leaves a header the request already has alone (it may be signed)", async () => {
    const client = clientOf(capture.endpoint);
    client.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers.TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        return next(args);
      },
      { step: "build", name: "ownTraceParent" },
    );
    await client.send(new ListMicrovmsCommand({}));
    const request = capture.requests.at(-1)!;
    expect(request.headers.traceparent).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    expect(request.headers.authorization).toContain("traceparent");
  });
});

describe("with a propagator whose header the transport would refuse", () => {
  registered(
    () => new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] }),
    () => ({
      inject: (_context, carrier: Record<string, string>) => {
        carrier["x-bad"] = "line\r\nInjected: yes";
        carrier["x-good"] = "fine";
      },
      extract: (c) => c,
      fields: () => ["x-bad", "x-good"],
    }),
  );

  it("sends the valid headers and drops the other, and the call succeeds", async () => {
    await clientOf(capture.endpoint).send(new ListMicrovmsCommand({}));
    const headers = capture.requests.at(-1)!.headers;
    expect(headers["x-good"]).toBe("fine");
    expect(headers["x-bad"]).toBeUndefined();
    expect(headers.injected).toBeUndefined();
  });
});

describe("with a tracer that throws", () => {
  const boom = (): never => {
    throw new Error("tracer failure");
  };
  registered(() => ({ getTracer: () => ({ startSpan: boom, startActiveSpan: boom }) }));

  it("calls return and throw exactly what they would without it", async () => {
    const client = clientOf(server.endpoint);
    const output = await client.send(new ListMicrovmsCommand({}));
    expect(output.$metadata.httpStatusCode).toBe(200);
    await expect(client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-none" }))).rejects.toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
  });
});
