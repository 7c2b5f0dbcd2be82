import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListManagedMicrovmImagesCommand } from "../../src/index";
import { operations } from "../../src/protocol/schema.generated";
import { rawRequest, startFixture, type Fixture, type RawResponse } from "./helpers";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ maxBodyBytes: 64 * 1024 }, { maxAttempts: 1 });
});
afterAll(() => fx.close());

/** A small seeded generator, so a failing case can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

type Rng = ReturnType<typeof rng>;

const WEIRD = ["", "%", "%zz", "%2F", "..", "a b", "🙂", "x".repeat(300), "-1", "null", "{}", "[]", "\u0000", "mvm-1", "arn:aws:lambda:us-east-1:123456789012:microvm-image:x"];

function randomJson(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 5 : 8)) {
    case 0: return r.pick(WEIRD);
    case 1: return r.int(2) ? -r.int(1e9) : r.next() * 1e12;
    case 2: return r.int(2) === 1;
    case 3: return null;
    case 4: return r.int(100000);
    case 5: return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default: {
      const keys = ["name", "imageIdentifier", "codeArtifact", "uri", "allowedPorts", "port", "range", "idlePolicy", "Tags", "status", "logging", "disabled", "cloudWatch", "expirationInMinutes", "clientToken", "maximumDurationInSeconds", r.pick(WEIRD)];
      return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(keys), randomJson(r, depth + 1)]));
    }
  }
}

function randomTarget(r: Rng): { method: string; path: string } {
  const op = r.pick(Object.values(operations));
  const method = r.int(4) === 0 ? r.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]) : op.method;
  let path = op.uri.replace(/\{[^}]+\}/g, () => encodeURIComponent(r.pick(WEIRD)) || "x");
  if (r.int(5) === 0) path = path.replace(/\/[^/]*$/, "/" + r.pick(["zzz", "", "%", "..", "auth-token/extra"]));
  if (r.int(3) === 0) path += `?${r.pick(["maxResults", "nextToken", "tagKeys", "nameFilter", "imageVersion", "%"])}=${encodeURIComponent(String(randomJson(r, 3)))}`;
  return { method, path };
}

function randomBody(r: Rng): string | Buffer | undefined {
  switch (r.int(6)) {
    case 0: return undefined;
    case 1: return JSON.stringify(randomJson(r)).slice(0, r.int(40) + 1); // often truncated
    case 2: return Buffer.from(Array.from({ length: r.int(200) }, () => r.int(256)));
    case 3: return r.int(4) === 0 ? "x".repeat(70 * 1024) : JSON.stringify(randomJson(r)); // sometimes over the cap
    default: return JSON.stringify(randomJson(r));
  }
}

function expectWellFormed(response: RawResponse, context: string): void {
  expect(response.status, context).toBeGreaterThanOrEqual(200);
  expect(response.status, context).toBeLessThan(600);
  expect(response.headers["x-amzn-requestid"], context).toBeDefined();
  if (response.status >= 400) {
    const body = JSON.parse(response.body) as { message?: unknown };
    expect(typeof body.message, context).toBe("string");
    expect(typeof response.headers["x-amzn-errortype"], context).toBe("string");
  }
}

describe("fuzzing the emulator", () => {
  it("answers 400 random and malformed requests with well-formed errors and keeps serving", async () => {
    const r = rng(20261122);
    const tally: Record<string, number> = {};
    for (let i = 0; i < 400; i++) {
      const { method, path } = randomTarget(r);
      const body = method === "GET" || method === "HEAD" ? undefined : randomBody(r);
      const sign = r.int(8) === 0 ? false : undefined;
      const headers: Record<string, string> = r.int(2) ? { "content-type": r.pick(["application/json", "text/plain", "application/x-amz-json-1.1"]) } : {};
      const response = await rawRequest(fx.server, { method, path, body, sign, headers });
      if (method === "HEAD") {
        expect(response.status).toBeGreaterThanOrEqual(400);
        continue;
      }
      expectWellFormed(response, `#${i} ${method} ${path}`);
      const outcome = String(response.headers["x-amzn-errortype"] ?? response.status);
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
    // The requests reached every layer: routing, decoding, validation and the service.
    for (const outcome of ["UnknownOperationException", "SerializationException", "ValidationException", "ResourceNotFoundException", "MissingAuthenticationTokenException"]) {
      expect(tally[outcome], outcome).toBeGreaterThan(0);
    }
    const ok = await fx.client.send(new ListManagedMicrovmImagesCommand({}));
    expect(ok.items!.length).toBeGreaterThan(0);
  });

  it("answers 413 to a body over the cap", async () => {
    const response = await rawRequest(fx.server, { method: "POST", path: "/2025-09-09/microvms", body: "{" + " ".repeat(200 * 1024) + "}" });
    expect(response.status).toBe(413);
    expectWellFormed(response, "huge body");
  });

  it("answers 400 to bytes that are not HTTP and keeps serving", async () => {
    const url = new URL(fx.server.endpoint);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write("\u0001\u0002 GARBAGE\r\n\r\n"));
      let text = "";
      socket.on("data", (d) => (text += d.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)).message).toBeDefined();
    await expect(fx.client.send(new ListManagedMicrovmImagesCommand({}))).resolves.toBeDefined();
  });
});
