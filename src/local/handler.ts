/**
 * One request, start to end: body, faults, authentication, routing, the operation, the answer.
 * Faults come first, so a faulted request never reaches the service and changes nothing; the
 * "lost" fault alone waits until the operation has run, then throws its answer away.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseQuery, writeError, writeOutput, MalformedRequestError, type WireResponse } from "../protocol/server";
import { LocalServiceError } from "./errors";
import type { CorsPolicy } from "./cors";
import type { FaultPlan } from "./faults";
import { flatHeaders, readBody, send, type BodyLimits, type BodyOutcome } from "./http";
import { route } from "./router";
import type { LocalService } from "./service/LocalService";
import type { SigV4Verifier } from "./sigv4";
import type { FaultKind } from "./types";

export interface HandlerDeps {
  readonly service: LocalService;
  readonly verifier: SigV4Verifier;
  readonly faults: () => FaultPlan;
  readonly body: BodyLimits;
  readonly cors: CorsPolicy;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

const errorResponse = (error: LocalServiceError) => writeError(error.code, { message: error.message, ...error.members }, error.status);

/** Answers a fault; returns false when the request should go on (no fault, "slow" or "lost"). */
async function applyFault(kind: FaultKind, plan: FaultPlan, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<boolean> {
  switch (kind) {
    case "none":
    case "lost":
      return false;
    case "slow":
      await sleep(plan.slowMs);
      return false;
    case "drop":
      req.socket.destroy();
      return true;
    case "throttle": {
      const seconds = plan.retryAfterSeconds ?? 1;
      send(res, writeError("ThrottlingException", { message: "Rate exceeded (a fault injected by the local emulator).", retryAfterSeconds: seconds }), requestId);
      return true;
    }
    case "internal": {
      const members: Record<string, unknown> = { message: "An internal error occurred (a fault injected by the local emulator)." };
      if (plan.retryAfterSeconds !== undefined) members.retryAfterSeconds = plan.retryAfterSeconds;
      send(res, writeError("InternalServerException", members), requestId);
      return true;
    }
    case "unavailable":
      send(res, { status: 503, headers: { "content-type": "text/html" }, body: "<html><body><h1>503 Service Unavailable</h1></body></html>" });
      return true;
    case "malformed":
      send(res, { status: 200, headers: { "content-type": "application/json" }, body: '{"microvmId":"mvm-0000","state":"RUNN' }, requestId);
      return true;
  }
}

function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  const q = url.indexOf("?");
  return q < 0 ? { rawPath: url, rawQuery: "" } : { rawPath: url.slice(0, q), rawQuery: url.slice(q + 1) };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function decodeBody(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new LocalServiceError("SerializationException", "The request could not be read: the request body is not valid UTF-8.", {}, 400);
  }
}

async function answer(deps: HandlerDeps, req: IncomingMessage, body: Buffer): Promise<WireResponse> {
  const { rawPath, rawQuery } = splitUrl(req.url ?? "/");
  let query: Record<string, string[]>;
  try {
    query = parseQuery(rawQuery);
  } catch (error) {
    if (error instanceof MalformedRequestError) throw new LocalServiceError("SerializationException", `The request could not be read: ${error.message}.`, {}, 400);
    throw error;
  }
  const headers = flatHeaders(req);
  const method = req.method ?? "GET";
  deps.verifier.verify({ method, rawPath, query, headers, body });
  const routed = route({ method, rawPath, query, headers, body: decodeBody(body) });
  const output = deps.service.invoke(routed.name, routed.input) as Record<string, unknown>;
  return writeOutput(routed.operation, output);
}

/** The answer to a body that did not arrive whole and within bounds, and whether to close after it. */
function refusedBody(outcome: Exclude<BodyOutcome, "complete" | "aborted">, limits: BodyLimits): [LocalServiceError, boolean] {
  switch (outcome) {
    case "too-large":
      return [new LocalServiceError("RequestEntityTooLargeException", `The request body is larger than ${limits.maxBytes} bytes.`, {}, 413), false];
    case "over-budget":
      return [new LocalServiceError("ThrottlingException", "Too many request bodies are arriving at once; retry shortly.", { retryAfterSeconds: 1 }), false];
    case "timed-out":
      return [new LocalServiceError("RequestTimeoutException", `The request body did not arrive within ${limits.timeoutMs} ms.`, {}, 408), true];
  }
}

export async function handleRequest(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Before the body, faults and authentication: a browser's preflight carries no credentials.
  if (deps.cors.handle(req, res)) return;
  const requestId = randomUUID();
  const { outcome, body } = await readBody(req, deps.body);
  if (outcome === "aborted") {
    req.socket.destroy();
    return;
  }
  if (outcome !== "complete") {
    const [error, close] = refusedBody(outcome, deps.body);
    send(res, errorResponse(error), requestId, close);
    return;
  }
  const plan = deps.faults();
  const fault = plan.next();
  if (await applyFault(fault, plan, req, res, requestId)) return;
  let response: WireResponse;
  try {
    response = await answer(deps, req, body);
  } catch (error) {
    if (error instanceof LocalServiceError) response = errorResponse(error);
    else response = writeError("InternalServerException", { message: `The local emulator failed: ${(error as Error).message}` });
  }
  // The operation has taken effect; a lost answer is a connection closed before any of it is written.
  if (fault === "lost") req.socket.destroy();
  else send(res, response, requestId);
}
