/**
 * CORS for clients in browsers: preflights answered before authentication, the Access-Control
 * headers on every answer (errors and faults included), the headers a client reads exposed, and
 * origins restricted when asked. (Chromium itself runs against the emulator in test/runtimes.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../../src/local/cliArgs";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { rawRequest } from "./helpers";

const PAGE = "http://localhost:5173";
/** What Chromium asks for before a signed JSON POST of this client. */
const ASKED = "amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-content-sha256,x-amz-date,x-amz-user-agent";

function preflight(server: LocalServer, origin: string, headers: Record<string, string> = {}) {
  return rawRequest(server, {
    method: "OPTIONS",
    path: "/2025-09-09/microvms",
    sign: false,
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": ASKED, ...headers },
  });
}

describe("any origin (the default)", () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ transitionMs: 0, faults: { sequence: ["none", "throttle"] } });
  });
  afterAll(() => server.stop());

  it("answers a preflight before authentication, allowing the methods and the headers asked for", async () => {
    const answer = await preflight(server, PAGE);
    expect(answer.status).toBe(204);
    expect(answer.headers["access-control-allow-origin"]).toBe("*");
    expect(answer.headers["access-control-allow-methods"]).toBe("GET, POST, PUT, PATCH, DELETE");
    // Echoed: a "*" would not cover Authorization.
    expect(answer.headers["access-control-allow-headers"]).toBe(ASKED);
    expect(Number(answer.headers["access-control-max-age"])).toBeGreaterThan(0);
    expect(answer.body).toBe("");
  });

  it("puts the headers on answers, errors and faults included, and exposes request id, error type, date and Retry-After", async () => {
    const ok = await rawRequest(server, { method: "GET", path: "/2025-09-09/microvms", headers: { origin: PAGE } });
    const throttled = await rawRequest(server, { method: "GET", path: "/2025-09-09/microvms", headers: { origin: PAGE } });
    const unsigned = await rawRequest(server, { method: "GET", path: "/2025-09-09/microvms", sign: false, headers: { origin: PAGE } });
    expect([ok.status, throttled.status, unsigned.status]).toEqual([200, 429, 403]);
    for (const answer of [ok, throttled, unsigned]) {
      expect(answer.headers["access-control-allow-origin"]).toBe("*");
      const exposed = String(answer.headers["access-control-expose-headers"]).split(/,\s*/);
      expect(exposed).toEqual(expect.arrayContaining(["x-amzn-requestid", "x-amzn-errortype", "date", "retry-after"]));
    }
  });

  it("still authenticates an OPTIONS request that is not a preflight", async () => {
    const answer = await rawRequest(server, { method: "OPTIONS", path: "/2025-09-09/microvms", sign: false, headers: { origin: PAGE } });
    expect(answer.status).toBe(403);
    expect(answer.headers["x-amzn-errortype"]).toBe("MissingAuthenticationTokenException");
  });

  it("refuses a preflight that asks for malformed header names", async () => {
    const answer = await preflight(server, PAGE, { "access-control-request-headers": "authorization, bad header" });
    expect(answer.status).toBe(403);
    expect(answer.headers["access-control-allow-headers"]).toBeUndefined();
  });
});

describe("restricted origins", () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ transitionMs: 0, corsOrigins: [PAGE, "https://App.Example.com/"] });
  });
  afterAll(() => server.stop());

  it("allows a listed origin by name, case and trailing slash aside, and says the answer varies by origin", async () => {
    for (const origin of [PAGE, "https://app.example.com"]) {
      const answer = await preflight(server, origin);
      expect(answer.status).toBe(204);
      expect(answer.headers["access-control-allow-origin"]).toBe(origin);
      expect(String(answer.headers.vary)).toMatch(/Origin/);
    }
    const call = await rawRequest(server, { method: "GET", path: "/2025-09-09/microvms", headers: { origin: PAGE } });
    expect(call.status).toBe(200);
    expect(call.headers["access-control-allow-origin"]).toBe(PAGE);
    expect(call.headers.vary).toBe("Origin");
  });

  it("gives other origins no Access-Control headers, and refuses their preflights", async () => {
    const answer = await preflight(server, "http://evil.example");
    expect(answer.status).toBe(403);
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    const call = await rawRequest(server, { method: "GET", path: "/2025-09-09/microvms", headers: { origin: "http://evil.example" } });
    // Served (a server cannot stop a request), but a browser keeps the answer from the page.
    expect(call.status).toBe(200);
    expect(call.headers["access-control-allow-origin"]).toBeUndefined();
    expect(call.headers["access-control-expose-headers"]).toBeUndefined();
  });

  it("with an empty list, no origin is allowed", async () => {
    const closed = await startLocalServer({ transitionMs: 0, corsOrigins: [] });
    try {
      expect((await preflight(closed, PAGE)).status).toBe(403);
    } finally {
      await closed.stop();
    }
  });
});

describe("CLI", () => {
  it("--cors-origin restricts to the origins given, repeatable", () => {
    expect(parseArgs(["--cors-origin", PAGE, "--cors-origin", "https://app.example.com"])?.corsOrigins).toEqual([PAGE, "https://app.example.com"]);
    expect(parseArgs([])?.corsOrigins).toBeUndefined();
  });

  it("refuses a value that is not an origin", () => {
    for (const value of ["localhost:5173", "http://localhost:5173/path", "*"]) expect(() => parseArgs(["--cors-origin", value])).toThrow(UsageError);
  });
});
