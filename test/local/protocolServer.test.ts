/** The server half of restJson1 must read back exactly what the client half writes. */
import { describe, expect, it } from "vitest";
import type { StructureSchema } from "../../src/protocol/schema";
import { operations, shapes } from "../../src/protocol/schema.generated";
import { serializeRequest } from "../../src/protocol/serialize";
import { matchRoute, parseQuery, readInput, MalformedRequestError, writeError, writeOutput } from "../../src/protocol/server";

const TRICKY = "a/b c:d?e#f%g+h&i=j🙂";

/** A value for a member bound to the URI or query, of the member's type. */
function sample(shapeName: string, i: number): unknown {
  const shape = shapes[shapeName]!;
  if (shape.type === "integer" || shape.type === "long") return 7 + i;
  if (shape.type === "list") return [`${TRICKY}-${i}`, "second", "second"];
  return `${TRICKY}-${i}`;
}

describe("restJson1, server side", () => {
  for (const operation of Object.values(operations)) {
    it(`reads back the labels and query of ${operation.name}`, () => {
      const input: Record<string, unknown> = {};
      const members = (shapes[operation.input] as StructureSchema).members;
      Object.entries(members).forEach(([name, member], i) => {
        if (member.location === "uri" || member.location === "querystring") input[name] = sample(member.shape, i);
      });
      const request = serializeRequest(operation, input);
      const rawQuery = Object.entries(request.query)
        .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((item) => `${encodeURIComponent(k)}=${encodeURIComponent(item)}`))
        .join("&");
      const match = matchRoute(request.method, request.path);
      expect(match.kind).toBe("operation");
      if (match.kind !== "operation") return;
      expect(match.operation.name).toBe(operation.name);
      const read = readInput(match.operation, { labels: match.labels, query: parseQuery(rawQuery), headers: {}, body: request.body ?? "" });
      expect(read).toEqual(input);
    });
  }

  it("prefers literal segments, reports wrong methods and unknown paths", () => {
    expect(matchRoute("POST", "/2025-09-09/microvms/mvm-1/resume")).toMatchObject({ kind: "operation", operation: { name: "ResumeMicrovm" } });
    expect(matchRoute("PUT", "/2025-09-09/microvms")).toMatchObject({ kind: "method-not-allowed", allowed: ["GET", "POST"] });
    expect(matchRoute("GET", "/2025-09-09/microvms/")).toEqual({ kind: "not-found" });
    expect(() => matchRoute("GET", "/2025-09-09/microvms/%E0%A4%A")).toThrow(MalformedRequestError);
    expect(() => parseQuery("a=%")).toThrow(MalformedRequestError);
    expect(parseQuery("k=1&k=2&flag&x=a%20b+c")).toEqual({ k: ["1", "2"], flag: [""], x: ["a b+c"] });
  });

  it("keeps wrong JSON types for validation to name, and refuses non-object bodies", () => {
    const run = operations.RunMicrovm;
    expect(readInput(run, { labels: {}, query: {}, headers: {}, body: '{"imageIdentifier":5,"idlePolicy":"x","unknown":1}' })).toEqual({ imageIdentifier: 5, idlePolicy: "x" });
    expect(() => readInput(run, { labels: {}, query: {}, headers: {}, body: "[]" })).toThrow(MalformedRequestError);
    expect(() => readInput(run, { labels: {}, query: {}, headers: {}, body: "{" })).toThrow(MalformedRequestError);
  });

  it("writes outputs with epoch seconds and 204 without a body, and errors with their status and headers", () => {
    const out = writeOutput(operations.GetMicrovm, { microvmId: "m", startedAt: new Date(1_700_000_000_500) });
    expect(out.status).toBe(200);
    expect(JSON.parse(out.body!)).toEqual({ microvmId: "m", startedAt: 1_700_000_000.5 });
    expect(writeOutput(operations.TagResource, {})).toEqual({ status: 204, headers: {} });
    const throttled = writeError("ThrottlingException", { message: "slow down", retryAfterSeconds: 4 });
    expect(throttled).toMatchObject({ status: 429, headers: { "x-amzn-errortype": "ThrottlingException", "Retry-After": "4" } });
    expect(JSON.parse(throttled.body!)).toEqual({ message: "slow down" });
    expect(writeError("MissingAuthenticationTokenException", { message: "m" }, 403).status).toBe(403);
  });
});
