/**
 * Runs a traced test program (fixtures/program.cjs or .mjs, against the built package) in a fresh
 * Node.js process, with an emulator of its own in this process whose faults the program sets over
 * IPC, and returns the program's report: what each scenario returned or threw, the finished spans,
 * the metrics, and which OpenTelemetry modules the program loaded.
 */
import { fork } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalServer, type FaultOptions } from "../../src/local/index";

export { ensureBuild } from "../../scripts/build/freshBuild";

const FIXTURES = fileURLToPath(new URL("fixtures", import.meta.url));

export interface SpanRecord {
  name: string;
  kind: number;
  scope: string;
  traceId: string;
  id: string;
  parent?: string;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
  events: { name: string; attributes: Record<string, unknown> }[];
}

export interface MetricPoint {
  scope: string;
  name: string;
  unit: string;
  attributes: Record<string, unknown>;
  value: number | { count: number; sum: number };
}

export type Outcome = { ok: true; value: Record<string, any> } | { ok: false; error: { name: string; message: string; httpStatusCode?: number; requestId?: string; attempts?: number } };

export interface Report {
  results: Record<string, Outcome>;
  spans: SpanRecord[];
  metrics: MetricPoint[];
  otelModulesLoaded: number;
  otelRegistry: string[];
}

export interface RunOptions {
  module: "cjs" | "esm";
  tracing: "off" | "on" | "instrumented";
  scenarios?: string[];
  env?: Record<string, string>;
  /** The program to run instead of fixtures/program.{cjs,mjs}. */
  program?: string;
}

export interface Run {
  report: Report;
  /** The emulator's endpoint, as the program used it. */
  endpoint: string;
  port: number;
}

/** Runs one program to its end. */
export async function runTraced(options: RunOptions): Promise<Run> {
  const server = await startLocalServer({ transitionMs: 0 });
  try {
    const program = options.program ?? join(FIXTURES, options.module === "cjs" ? "program.cjs" : "program.mjs");
    const env: Record<string, string | undefined> = { ...process.env, LM_ENDPOINT: server.endpoint, LM_TRACING: options.tracing, LM_SCENARIOS: options.scenarios?.join(","), ...options.env };
    if (options.env?.OTEL_SEMCONV_STABILITY_OPT_IN === undefined) delete env.OTEL_SEMCONV_STABILITY_OPT_IN;
    const child = fork(program, [], { env, execArgv: [], stdio: ["ignore", "pipe", "pipe", "ipc"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const report = await new Promise<Report>((resolve, reject) => {
      child.on("message", (message: { type: string; id?: number; faults?: FaultOptions; report?: Report }) => {
        if (message.type === "faults") {
          server.setFaults(message.faults);
          child.send({ type: "ack", id: message.id });
        } else if (message.type === "done") resolve(message.report!);
      });
      child.on("exit", (code) => reject(new Error(`the program exited (${code}) without a report:\n${output}`)));
    });
    return { report, endpoint: server.endpoint, port: Number(new URL(server.endpoint).port) };
  } finally {
    await server.stop();
  }
}

/** The spans whose parent is `span`. */
export function childrenOf(spans: SpanRecord[], span: SpanRecord): SpanRecord[] {
  return spans.filter((s) => s.parent === span.id && s.traceId === span.traceId);
}

/** Every span below `span`, at any depth. */
export function descendantsOf(spans: SpanRecord[], span: SpanRecord): SpanRecord[] {
  return childrenOf(spans, span).flatMap((child) => [child, ...descendantsOf(spans, child)]);
}

/** The root span a program made around one scenario. */
export function scenarioRoot(spans: SpanRecord[], name: string): SpanRecord {
  const roots = spans.filter((s) => s.name === `scenario:${name}`);
  if (roots.length !== 1) throw new Error(`expected one root span for ${name}, found ${roots.length}`);
  return roots[0]!;
}

export const SPAN_KIND = { INTERNAL: 0, SERVER: 1, CLIENT: 2 } as const;
export const STATUS = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export const OUR_SCOPE = "lambda-microvms";
export const AWS_SDK_SCOPE = "@opentelemetry/instrumentation-aws-sdk";
export const HTTP_SCOPE = "@opentelemetry/instrumentation-http";
