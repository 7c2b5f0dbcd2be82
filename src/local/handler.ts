/**
 * One request, start to end: body, faults, authentication, routing, the operation, the answer.
 * Faults come first, so a faulted request never reaches the service and changes nothing.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseQuery, writeError, writeOutput, MalformedRequestError } from "../protocol/server";
import { LocalServiceError } from "./errors";
import type { FaultPlan } from "./faults";
import { flatHeaders, readBody, send } from "./http";
import { route } from "./router";
import type { LocalService } from "./service/LocalService";
import type { SigV4Verifier } from "./sigv4";
import type { FaultKind } from "./types";

export interface HandlerDeps {
  readonly service: LocalService;
  readonly verifier: SigV4Verifier;
  readonly faults: () => FaultPlan;
  readonly maxBodyBytes: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

const errorResponse = (error: LocalServiceError) => writeError(error.code, { message: error.message, ...error.members }, error.status);

/** Answers a fault; returns false when the request should go on (no fault, or "slow"). */
async function applyFault(kind: FaultKind, plan: FaultPlan, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<boolean> {
  switch (kind) {
    case "none":
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

async function answer(deps: HandlerDeps, req: IncomingMessage, body: Buffer): Promise<ReturnType<typeof writeOutput>> {
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
  await deps.verifier.verify({ method, rawPath, query, headers, body });
  const routed = route({ method, rawPath, query, headers, body: body.toString("utf8") });
  const output = deps.service.invoke(routed.name, routed.input) as Record<string, unknown>;
  return writeOutput(routed.operation, output);
}

export async function handleRequest(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  let body: { body: Buffer; tooLarge: boolean };
  try {
    body = await readBody(req, deps.maxBodyBytes);
  } catch {
    req.socket.destroy();
    return;
  }
  const plan = deps.faults();
  if (await applyFault(plan.next(), plan, req, res, requestId)) return;
  if (body.tooLarge) {
    const error = new LocalServiceError("RequestEntityTooLargeException", `The request body is larger than ${deps.maxBodyBytes} bytes.`, {}, 413);
    send(res, errorResponse(error), requestId);
    return;
  }
  try {
    send(res, await answer(deps, req, body.body), requestId);
  } catch (error) {
    if (error instanceof LocalServiceError) send(res, errorResponse(error), requestId);
    else send(res, writeError("InternalServerException", { message: `The local emulator failed: ${(error as Error).message}` }), requestId);
  }
}
