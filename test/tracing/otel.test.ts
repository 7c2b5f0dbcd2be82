/**
 * Native OpenTelemetry tracing, seen from programs that load the built package from CommonJS and
 * from ES modules, with a real tracer provider, an in-memory exporter and a meter provider, against
 * the emulator: span names, kinds, attributes, parentage and counts for a success, a modeled error,
 * a retried call, calls aborted in flight and during a backoff, a paginator and a waiter; the same
 * with `@opentelemetry/instrumentation-aws-sdk` and `instrumentation-http` registered too (no span
 * twice); and nothing loaded or changed without a provider.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  AWS_SDK_SCOPE,
  childrenOf,
  descendantsOf,
  ensureBuild,
  HTTP_SCOPE,
  OUR_SCOPE,
  runTraced,
  scenarioRoot,
  SPAN_KIND,
  STATUS,
  type Outcome,
  type Run,
  type SpanRecord,
} from "./harness";

const RUN_TIMEOUT = 120_000;

/** Each program run once per file, whichever describe block asks first. */
const runs = new Map<string, Promise<Run>>();
function traced(module: "cjs" | "esm", tracing: "off" | "on" | "instrumented"): Promise<Run> {
  const key = `${module}/${tracing}`;
  if (!runs.has(key)) runs.set(key, runTraced({ module, tracing }));
  return runs.get(key)!;
}

beforeAll(() => ensureBuild(), 180_000);

function valueOf(outcome: Outcome | undefined): Record<string, any> {
  if (!outcome?.ok) throw new Error(`expected a success, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}
function errorOf(outcome: Outcome | undefined) {
  if (outcome === undefined || outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

/** The one child of `root` (a call's span), and that call span's children. */
function onlyCall(spans: SpanRecord[], root: SpanRecord): { call: SpanRecord; attempts: SpanRecord[] } {
  const calls = childrenOf(spans, root);
  expect(calls.map((s) => s.name)).toHaveLength(1);
  return { call: calls[0]!, attempts: childrenOf(spans, calls[0]!) };
}

function expectCallSpan(call: SpanRecord, method: string, scope = OUR_SCOPE): void {
  expect(call).toMatchObject({ name: `LambdaMicrovms.${method}`, kind: SPAN_KIND.CLIENT, scope });
  expect(call.attributes).toMatchObject({ "rpc.system": "aws-api", "rpc.service": "LambdaMicrovms", "rpc.method": method, "cloud.region": "us-east-1" });
}

function expectAttemptSpan(attempt: SpanRecord, run: Run, path: string, status: number | undefined): void {
  expect(attempt).toMatchObject({ name: "GET", kind: SPAN_KIND.CLIENT, scope: OUR_SCOPE });
  expect(attempt.attributes).toMatchObject({
    "http.request.method": "GET",
    "url.full": `${run.endpoint}${path}`,
    "server.address": "127.0.0.1",
    "server.port": run.port,
  });
  expect(attempt.attributes["http.response.status_code"]).toBe(status);
}

const retryEvents = (span: SpanRecord) => span.events.filter((e) => e.name === "lambda_microvms.retry").map((e) => e.attributes);
const exceptionTypes = (span: SpanRecord) => span.events.filter((e) => e.name === "exception").map((e) => e.attributes["exception.type"]);

describe.each(["cjs", "esm"] as const)("with a tracer provider (%s)", (module) => {
  let run: Run;
  let spans: SpanRecord[];
  beforeAll(async () => {
    run = await traced(module, "on");
    spans = run.report.spans;
  }, RUN_TIMEOUT);

  it("a call is one CLIENT span named and attributed as instrumentation-aws-sdk names the official's, child of the active span, with one HTTP CLIENT span under it", () => {
    const output = valueOf(run.report.results.success);
    const root = scenarioRoot(spans, "success");
    const { call, attempts } = onlyCall(spans, root);
    expectCallSpan(call, "ListMicrovms");
    expect(call.attributes).toMatchObject({ "aws.request.id": output.requestId, "aws.request_id": output.requestId, "http.response.status_code": 200 });
    expect(call.status.code).toBe(STATUS.UNSET);
    expect(call.traceId).toBe(root.traceId);
    expect(attempts).toHaveLength(1);
    expectAttemptSpan(attempts[0]!, run, "/2025-09-09/microvms", 200);
    expect(attempts[0]!.attributes["http.request.resend_count"]).toBeUndefined();
    expect(descendantsOf(spans, root)).toHaveLength(2);
  });

  it("a modeled error: status ERROR, an exception event, the request id and the status code", () => {
    const error = errorOf(run.report.results.modeledError);
    expect(error.name).toBe("ResourceNotFoundException");
    const { call, attempts } = onlyCall(spans, scenarioRoot(spans, "modeledError"));
    expectCallSpan(call, "GetMicrovm");
    expect(call.status).toEqual({ code: STATUS.ERROR, message: error.message });
    expect(call.attributes).toMatchObject({ "aws.request.id": error.requestId, "http.response.status_code": 404, "error.type": "ResourceNotFoundException" });
    expect(exceptionTypes(call)).toEqual(["ResourceNotFoundException"]);
    expect(attempts).toHaveLength(1);
    expectAttemptSpan(attempts[0]!, run, "/2025-09-09/microvms/mvm-missing", 404);
    expect(attempts[0]!.status.code).toBe(STATUS.ERROR);
    expect(attempts[0]!.attributes["error.type"]).toBe("404");
  });

  it("a retried call: one HTTP span per attempt, numbered, and each backoff as an event on the call's span", () => {
    const output = valueOf(run.report.results.retried);
    expect(output.attempts).toBe(3);
    const { call, attempts } = onlyCall(spans, scenarioRoot(spans, "retried"));
    expect(call.status.code).toBe(STATUS.UNSET);
    expect(call.attributes["aws.request.id"]).toBe(output.requestId);
    expect(attempts.map((a) => a.attributes["http.response.status_code"])).toEqual([429, 500, 200]);
    expect(attempts.map((a) => a.attributes["http.request.resend_count"])).toEqual([undefined, 1, 2]);
    const events = retryEvents(call);
    expect(events.map((e) => [e["lambda_microvms.retry.attempt"], e["lambda_microvms.retry.reason"], e["error.type"]])).toEqual([
      [1, "throttling", "ThrottlingException"],
      [2, "transient", "InternalServerException"],
    ]);
    for (const event of events) expect(event["lambda_microvms.retry.delay_ms"]).toBeGreaterThanOrEqual(0);
  });

  it("a call aborted in flight: the call's and the attempt's spans end with AbortError", () => {
    expect(errorOf(run.report.results.abortedInFlight).name).toBe("AbortError");
    const { call, attempts } = onlyCall(spans, scenarioRoot(spans, "abortedInFlight"));
    expect(call.status.code).toBe(STATUS.ERROR);
    expect(call.attributes["error.type"]).toBe("AbortError");
    expect(exceptionTypes(call)).toEqual(["AbortError"]);
    expect(attempts).toHaveLength(1);
    expectAttemptSpan(attempts[0]!, run, "/2025-09-09/microvms", undefined);
    expect(attempts[0]!.status.code).toBe(STATUS.ERROR);
    expect(attempts[0]!.attributes["error.type"]).toBe("AbortError");
  });

  it("a call aborted during its backoff: one attempt, the wait as an event, then AbortError", () => {
    expect(errorOf(run.report.results.abortedDuringBackoff).name).toBe("AbortError");
    const { call, attempts } = onlyCall(spans, scenarioRoot(spans, "abortedDuringBackoff"));
    expect(call.attributes["error.type"]).toBe("AbortError");
    expect(attempts.map((a) => a.attributes["http.response.status_code"])).toEqual([429]);
    const events = retryEvents(call);
    expect(events).toHaveLength(1);
    expect(events[0]!["lambda_microvms.retry.delay_ms"]).toBe(15_000);
  });

  it("a paginator is a parent span over its pages' calls", () => {
    const { pages, items } = valueOf(run.report.results.paginated);
    expect(pages).toBeGreaterThanOrEqual(3);
    const parents = childrenOf(spans, scenarioRoot(spans, "paginated"));
    expect(parents.map((s) => [s.name, s.kind, s.scope])).toEqual([["LambdaMicrovms.paginateListMicrovms", SPAN_KIND.INTERNAL, OUR_SCOPE]]);
    expect(parents[0]!.attributes).toMatchObject({ "lambda_microvms.paginator.pages": pages, "lambda_microvms.paginator.items": items });
    const calls = childrenOf(spans, parents[0]!);
    expect(calls).toHaveLength(pages);
    for (const call of calls) {
      expectCallSpan(call, "ListMicrovms");
      expect(childrenOf(spans, call)).toHaveLength(1);
    }
  });

  it("a waiter is a parent span over its polls", () => {
    const { state, attempts } = valueOf(run.report.results.waited);
    expect(state).toBe("SUCCESS");
    const parents = childrenOf(spans, scenarioRoot(spans, "waited"));
    expect(parents.map((s) => [s.name, s.kind])).toEqual([["LambdaMicrovms.waitUntilMicrovmRunning", SPAN_KIND.INTERNAL]]);
    expect(parents[0]!.attributes).toMatchObject({ "lambda_microvms.waiter.name": "MicrovmRunning", "lambda_microvms.waiter.state": "SUCCESS", "lambda_microvms.waiter.attempts": attempts });
    const polls = childrenOf(spans, parents[0]!);
    expect(polls).toHaveLength(attempts);
    for (const poll of polls) expectCallSpan(poll, "GetMicrovm");
  });

  it("a handler of the caller's (node:http) gets no HTTP span from here: that is instrumentation-http's to make", () => {
    const { call, attempts } = onlyCall(spans, scenarioRoot(spans, "viaNodeHttp"));
    expectCallSpan(call, "ListMicrovms");
    expect(attempts).toEqual([]);
  });

  it("records the call metrics: duration, attempts, errors and retries by reason", () => {
    const { metrics } = run.report;
    const point = (name: string, attributes: Record<string, unknown>) => metrics.filter((m) => m.name === name && Object.entries(attributes).every(([k, v]) => m.attributes[k] === v));
    const getMicrovm = { "rpc.service": "LambdaMicrovms", "rpc.method": "GetMicrovm" };
    const polls = valueOf(run.report.results.waited).attempts as number;
    expect(point("smithy.client.call.duration", getMicrovm).map((m) => (m.value as { count: number }).count)).toEqual([1 + polls]);
    expect(point("smithy.client.call.attempts", getMicrovm).map((m) => m.value)).toEqual([1 + polls]);
    expect(point("smithy.client.call.errors", { ...getMicrovm, "exception.type": "ResourceNotFoundException" }).map((m) => m.value)).toEqual([1]);
    const listMicrovms = { "rpc.method": "ListMicrovms" };
    expect(point("lambda_microvms.client.call.retries", { ...listMicrovms, "lambda_microvms.retry.reason": "throttling" }).map((m) => m.value)).toEqual([2]);
    expect(point("lambda_microvms.client.call.retries", { ...listMicrovms, "lambda_microvms.retry.reason": "transient" }).map((m) => m.value)).toEqual([1]);
    expect(point("http.client.request.duration", { "http.response.status_code": 429 }).map((m) => (m.value as { count: number }).count)).toEqual([2]);
    expect(new Set(metrics.map((m) => m.unit))).toEqual(new Set(["s", "{attempt}", "{error}", "{retry}"]));
  });

  it("propagates the trace: every span of a scenario is in its root's trace", () => {
    for (const name of ["success", "retried", "paginated", "waited"]) {
      const root = scenarioRoot(spans, name);
      const below = descendantsOf(spans, root);
      expect(below.length).toBeGreaterThan(0);
      expect(spans.filter((s) => s.traceId === root.traceId)).toHaveLength(below.length + 1);
    }
  });
});

describe.each(["cjs", "esm"] as const)("with instrumentation-aws-sdk and instrumentation-http registered too (%s)", (module) => {
  let run: Run;
  let spans: SpanRecord[];
  beforeAll(async () => {
    run = await traced(module, "instrumented");
    spans = run.report.spans;
  }, RUN_TIMEOUT);

  it("the call has one span, instrumentation-aws-sdk's, with this client's HTTP span under it", () => {
    const output = valueOf(run.report.results.success);
    const root = scenarioRoot(spans, "success");
    const { call, attempts } = onlyCall(spans, root);
    expectCallSpan(call, "ListMicrovms", AWS_SDK_SCOPE);
    expect(call.attributes["aws.request.id"]).toBe(output.requestId);
    expect(attempts).toHaveLength(1);
    expectAttemptSpan(attempts[0]!, run, "/2025-09-09/microvms", 200);
    expect(descendantsOf(spans, root)).toHaveLength(2);
  });

  it("no span is made twice in any scenario: no call span of ours, no HTTP span of instrumentation-http for the default handler", () => {
    expect(spans.filter((s) => s.scope === OUR_SCOPE && s.name.startsWith("LambdaMicrovms.") && s.kind === SPAN_KIND.CLIENT)).toEqual([]);
    const httpSpans = spans.filter((s) => s.scope === HTTP_SCOPE);
    const viaNodeHttp = descendantsOf(spans, scenarioRoot(spans, "viaNodeHttp"));
    expect(httpSpans.map((s) => s.id)).toEqual(viaNodeHttp.filter((s) => s.scope === HTTP_SCOPE).map((s) => s.id));
    expect(httpSpans).toHaveLength(1);
  });

  it("adds the request id to its span on a modeled error, which it leaves out itself", () => {
    const error = errorOf(run.report.results.modeledError);
    const { call } = onlyCall(spans, scenarioRoot(spans, "modeledError"));
    expect(call.scope).toBe(AWS_SDK_SCOPE);
    expect(call.status.code).toBe(STATUS.ERROR);
    expect(call.attributes["aws.request.id"]).toBe(error.requestId);
  });

  it("a retried call: its span holds this client's attempts and backoff events", () => {
    const { call, attempts } = onlyCall(spans, scenarioRoot(spans, "retried"));
    expect(call.scope).toBe(AWS_SDK_SCOPE);
    expect(attempts.map((a) => [a.scope, a.attributes["http.response.status_code"]])).toEqual([
      [OUR_SCOPE, 429],
      [OUR_SCOPE, 500],
      [OUR_SCOPE, 200],
    ]);
    expect(retryEvents(call)).toHaveLength(2);
  });

  it("paginators and waiters stay parents of the instrumentation's call spans", () => {
    const paginator = childrenOf(spans, scenarioRoot(spans, "paginated"))[0]!;
    expect(paginator.name).toBe("LambdaMicrovms.paginateListMicrovms");
    expect(childrenOf(spans, paginator).map((s) => s.scope)).toEqual(Array(valueOf(run.report.results.paginated).pages).fill(AWS_SDK_SCOPE));
    const waiter = childrenOf(spans, scenarioRoot(spans, "waited"))[0]!;
    expect(waiter.name).toBe("LambdaMicrovms.waitUntilMicrovmRunning");
    expect(childrenOf(spans, waiter).every((s) => s.scope === AWS_SDK_SCOPE && s.name === "LambdaMicrovms.GetMicrovm")).toBe(true);
  });

  it("through a node:http handler, instrumentation-http makes the one HTTP span", () => {
    const { call, attempts } = onlyCall(spans, scenarioRoot(spans, "viaNodeHttp"));
    expect(call.scope).toBe(AWS_SDK_SCOPE);
    expect(attempts.map((a) => [a.scope, a.kind, a.attributes["http.response.status_code"]])).toEqual([[HTTP_SCOPE, SPAN_KIND.CLIENT, 200]]);
  });
});

describe.each(["cjs", "esm"] as const)("without a provider (%s)", (module) => {
  let off: Run;
  let on: Run;
  beforeAll(async () => {
    [off, on] = await Promise.all([traced(module, "off"), traced(module, "on")]);
  }, RUN_TIMEOUT);

  it("loads no OpenTelemetry module and registers nothing, though @opentelemetry/api is installed", () => {
    expect(off.report.otelModulesLoaded).toBe(0);
    expect(off.report.otelRegistry).toEqual([]);
    expect(on.report.otelModulesLoaded).toBeGreaterThan(0);
  });

  it("tracing changes nothing a call returns or throws", () => {
    const comparable = (outcome: Outcome | undefined) => {
      if (outcome === undefined) return undefined;
      if (!outcome.ok) return { error: outcome.error.name, status: outcome.error.httpStatusCode };
      const { requestId: _requestId, ...rest } = outcome.value;
      return rest;
    };
    const names = Object.keys(off.report.results);
    expect(names).toEqual(Object.keys(on.report.results));
    for (const name of names) expect(comparable(on.report.results[name]), name).toEqual(comparable(off.report.results[name]));
  });
});

describe("semantic conventions opt-in", () => {
  it("OTEL_SEMCONV_STABILITY_OPT_IN=http/dup adds the HTTP attribute names of before the stable conventions", async () => {
    const run = await runTraced({ module: "cjs", tracing: "on", scenarios: ["success"], env: { OTEL_SEMCONV_STABILITY_OPT_IN: "http/dup" } });
    const { call, attempts } = onlyCall(run.report.spans, scenarioRoot(run.report.spans, "success"));
    expect(call.attributes).toMatchObject({ "http.response.status_code": 200, "http.status_code": 200 });
    expect(attempts[0]!.attributes).toMatchObject({
      "http.request.method": "GET",
      "http.method": "GET",
      "http.url": `${run.endpoint}/2025-09-09/microvms`,
      "http.status_code": 200,
      "net.peer.name": "127.0.0.1",
      "net.peer.port": run.port,
    });
  }, RUN_TIMEOUT);
});
