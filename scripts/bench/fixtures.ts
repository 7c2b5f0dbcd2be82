/** Canned wire responses of the benchmark server and what a client must make of them. */

export const REGION = "us-east-1";
export const CREDENTIALS = { accessKeyId: "AKIDBENCHMARK", secretAccessKey: "bench/secret/key/0123456789abcdefABCDEF" };

export const MICROVM_ID = "mvm-0123456789abcdef0";
export const IMAGE_ARN = "arn:aws:lambda:us-east-1:123456789012:microvm-image:bench-image";
/** `startedAt` on the wire (epoch seconds) and as the Date a client must return. */
export const STARTED_AT_SECONDS = 1767225600.25;
export const STARTED_AT_MS = STARTED_AT_SECONDS * 1000;

/** Items in the paginated listing, and the page size the benchmark asks for. */
export const TOTAL_ITEMS = 10_000;
export const PAGE_SIZE = 50;

function microvm(state: string): Record<string, unknown> {
  return {
    microvmId: MICROVM_ID,
    state,
    endpoint: "https://mvm-0123456789abcdef0.microvm.lambda.us-east-1.on.aws",
    imageArn: IMAGE_ARN,
    imageVersion: "3",
    executionRoleArn: "arn:aws:iam::123456789012:role/bench-execution",
    idlePolicy: { maxIdleDurationSeconds: 300, suspendedDurationSeconds: 3600, autoResumeEnabled: true },
    maximumDurationInSeconds: 3600,
    startedAt: STARTED_AT_SECONDS,
    ingressNetworkConnectors: ["nc-ingress-1"],
    egressNetworkConnectors: ["nc-egress-1", "nc-egress-2"],
  };
}

export const GET_MICROVM_BODY = JSON.stringify(microvm("RUNNING"));
export const RUN_MICROVM_BODY = JSON.stringify(microvm("PENDING"));

/** Item `i` of the listing: its id encodes its index, so a client's count and order can be checked. */
export function listItem(i: number): Record<string, unknown> {
  return {
    microvmId: `mvm-${String(i).padStart(17, "0")}`,
    state: i % 7 === 0 ? "SUSPENDED" : "RUNNING",
    imageArn: IMAGE_ARN,
    imageVersion: String(1 + (i % 5)),
    startedAt: STARTED_AT_SECONDS + i,
  };
}

/** One page of the listing from `offset`; the token is opaque to clients. */
export function listPage(offset: number, size: number): string {
  const items: Record<string, unknown>[] = [];
  for (let i = offset; i < Math.min(offset + size, TOTAL_ITEMS); i++) items.push(listItem(i));
  const next = offset + size < TOTAL_ITEMS ? `tok.${offset + size}.${Buffer.from(String(offset + size)).toString("base64")}` : undefined;
  return JSON.stringify(next ? { items, nextToken: next } : { items });
}

export function offsetOfToken(token: string | null): number {
  if (!token) return 0;
  const n = Number(token.split(".")[1]);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** The paths the server answers. */
export const PATH_GET = `/2025-09-09/microvms/${MICROVM_ID}`;
export const PATH_MICROVMS = "/2025-09-09/microvms";

/** Every scenario a contender can run. */
export type Scenario = "getSeq" | "getC32" | "runSeq" | "paginate" | "getMem";

/** Messages between the orchestrator and its children. */
export type ToRunner = { type: "run"; id: number; scenario: Scenario; minMs: number } | { type: "stop" };
export type FromRunner =
  | { type: "ready" }
  | { type: "result"; id: number; calls: number; items: number; wallNs: number; cpuUs: number }
  | { type: "error"; id: number; message: string };
export type ToServer = { type: "count"; id: number } | { type: "stop" };
export type FromServer = { type: "listening"; port: number } | { type: "count"; id: number; count: number; bad: number };
