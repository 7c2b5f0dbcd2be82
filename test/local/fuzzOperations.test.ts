/**
 * Generated hostile requests for every operation: inputs built from the model (so that many
 * succeed and reach the service), then spoiled at random with keys every object inherits,
 * smuggled members, wrong types, integers beyond range, unpaired surrogates, hostile query keys
 * and header names, and signatures naming absent headers. Every answer must be a success or a
 * modeled 4xx; the server must keep serving; and what it stores must still pass the model's
 * validation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListManagedMicrovmImagesCommand, RunMicrovmCommand } from "../../src/index";
import { fromJsonValue } from "../../src/protocol/deserialize";
import { operations, shapes } from "../../src/protocol/schema.generated";
import type { OperationSchema } from "../../src/protocol/schema";
import { serializeRequest } from "../../src/protocol/serialize";
import { enumProblems } from "../../src/protocol/server";
import { validateShape } from "../../src/protocol/validate";
import { BASE_IMAGE, ROLE, createImage, startFixture, uniqueName, type Fixture } from "./helpers";
import { exchange, signWire, wireBytes, type WireAnswer, type WireRequest } from "./wire";

/** Errors the emulator may answer besides the model's own, with their statuses. */
const PROTOCOL_ERRORS: Record<string, number> = {
  SerializationException: 400,
  XAmzContentSHA256Mismatch: 400,
  MissingAuthenticationTokenException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  IncompleteSignatureException: 403,
  UnknownOperationException: 404,
  MethodNotAllowedException: 405,
  RequestTimeoutException: 408,
  RequestEntityTooLargeException: 413,
  RequestHeaderFieldsTooLargeException: 431,
};

const modeledStatus = (code: string): number | undefined => {
  const shape = Object.prototype.hasOwnProperty.call(shapes, code) ? shapes[code] : undefined;
  return shape?.type === "structure" && shape.error ? shape.error.httpStatusCode : PROTOCOL_ERRORS[code];
};

function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const INHERITED = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "__defineSetter__", "isPrototypeOf"];
const BAD_STRINGS = ["", "\ud800", "a\udc00b", "\u0000", "x".repeat(5000), "🙂".repeat(300), " ", "%", "../..", "__proto__"];
const BAD_NUMBERS = [2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e300, -1, 0, 1.5, Number.MAX_SAFE_INTEGER];

/** Known-good values for members whose patterns a random string would not meet. */
interface Known {
  imageArn: string;
  microvmId: string;
}

function goodString(member: string, r: Rng, known: Known): string {
  switch (member) {
    case "name":
      return uniqueName("fz");
    case "baseImageArn":
      return BASE_IMAGE;
    case "buildRoleArn":
    case "executionRoleArn":
      return ROLE;
    case "imageIdentifier":
    case "Resource":
      return r.chance(0.8) ? known.imageArn : "mvi-missing";
    case "microvmIdentifier":
      return r.chance(0.8) ? known.microvmId : "mvm-missing";
    case "imageVersion":
      return r.pick(["1", "2", "9"]);
    case "uri":
      return r.chance(0.8) ? "s3://b/app.zip" : "s3://b/app.zip?outcome=fail";
    default:
      return `v${r.int(1000)}`;
  }
}

/** A value for `shapeName` that mostly passes validation. */
function generate(shapeName: string, member: string, r: Rng, known: Known, depth = 0): unknown {
  const shape = shapes[shapeName]!;
  switch (shape.type) {
    case "string":
      return shape.enum ? r.pick(shape.enum) : goodString(member, r, known);
    case "integer":
    case "long": {
      const min = shape.min ?? 0;
      return min + r.int(Math.min((shape.max ?? min + 100) - min + 1, 100));
    }
    case "boolean":
      return r.chance(0.5);
    case "timestamp":
      return new Date(1_700_000_000_000);
    case "list":
      return depth > 3 ? [] : Array.from({ length: Math.max(shape.min ?? 0, r.int(3)) }, () => generate(shape.member, member, r, known, depth + 1));
    case "map":
      return Object.fromEntries(Array.from({ length: r.int(3) }, (_, i) => [`k${i}`, generate(shape.value, member, r, known, depth + 1)]));
    case "structure": {
      const names = Object.keys(shape.members);
      const chosen = shape.union ? [r.pick(names)] : names.filter((n) => shape.required?.includes(n) || (depth < 3 && r.chance(0.4)));
      const out: Record<string, unknown> = {};
      for (const name of chosen) {
        if (name === "clientToken" && r.chance(0.5)) continue;
        out[name] = generate(shape.members[name]!.shape, name, r, known, depth + 1);
      }
      return out;
    }
  }
}

/** Sets an own property, `__proto__` included, so that JSON.stringify writes it. */
const own = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

function badValue(r: Rng): unknown {
  switch (r.int(6)) {
    case 0: return r.pick(BAD_STRINGS);
    case 1: return r.pick(BAD_NUMBERS);
    case 2: return r.chance(0.5) ? [] : [r.pick(BAD_STRINGS)];
    case 3: return null;
    case 4: return { name: 7, maximumDurationInSeconds: -5, tags: "x" };
    default: return r.chance(0.5);
  }
}

/** Spoils a JSON value in place at a random depth. */
function spoil(value: unknown, r: Rng): void {
  const objects: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (v && typeof v === "object") {
      if (!Array.isArray(v)) objects.push(v as Record<string, unknown>);
      for (const item of Object.values(v as object)) walk(item);
    }
  };
  walk(value);
  const target = objects.length ? r.pick(objects) : undefined;
  if (!target) return;
  const keys = Object.keys(target);
  if (keys.length && r.chance(0.5)) own(target, r.pick(keys), badValue(r));
  else own(target, r.pick(INHERITED), badValue(r));
}

function hostileRequest(op: OperationSchema, r: Rng, known: Known): WireRequest & { signOptions?: Parameters<typeof signWire>[2]; unsigned?: boolean } {
  const input = generate(op.input, "", r, known) as Record<string, unknown>;
  const serialized = serializeRequest(op, input);
  let body = serialized.body === undefined ? undefined : (JSON.parse(serialized.body) as Record<string, unknown>);
  if (body && r.chance(0.6)) for (let i = r.int(3); i >= 0; i--) spoil(body, r);
  if (!body && r.chance(0.1)) body = own({}, r.pick(INHERITED), badValue(r)) as Record<string, unknown>;
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(serialized.query)) for (const item of [v].flat()) query.append(k, item);
  if (r.chance(0.3)) query.append(r.pick(INHERITED), String(r.pick(BAD_NUMBERS)));
  if (r.chance(0.1)) query.set(r.pick(["maxResults", "nextToken", "tagKeys", "nameFilter"]), String(r.pick([...BAD_NUMBERS, "abc", "", "🙂"])));
  let target = serialized.path + (query.size ? `?${query.toString().replace(/\+/g, "%20")}` : "");
  if (r.chance(0.03)) target += "&bad=%ED%A0%80";
  const headers: [string, string][] = Object.entries(serialized.headers);
  if (r.chance(0.3)) headers.push([r.pick(INHERITED), r.pick(["x", "1", " spaced  value "])]);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const request: WireRequest = { method: op.method, target, headers, ...(text !== undefined ? { body: text } : {}) };
  if (r.chance(0.05)) return { ...request, unsigned: true };
  if (r.chance(0.05)) return { ...request, signOptions: { extraSignedNames: [r.pick(INHERITED).toLowerCase()] } };
  return request;
}

function expectModeled(answer: WireAnswer, op: OperationSchema, context: string): void {
  expect(answer.headers["x-amzn-requestid"], context).toBeTruthy();
  if (answer.status < 300) {
    expect(answer.status, context).toBe(op.successCode);
    if (answer.body) {
      // A success is a valid output of the operation.
      const output = fromJsonValue(op.output, JSON.parse(answer.body));
      expect(validateShape(op.output, output), context).toEqual([]);
    }
    return;
  }
  expect(answer.status, context).toBeGreaterThanOrEqual(400);
  expect(answer.status, context).toBeLessThan(500);
  const code = answer.headers["x-amzn-errortype"]!;
  expect(modeledStatus(code), `${context}: ${code}`).toBe(answer.status);
  expect(typeof (JSON.parse(answer.body) as { message?: unknown }).message, context).toBe("string");
}

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({}, { maxAttempts: 1 });
});
afterAll(() => fx.close());

describe("hostile requests for every operation", () => {
  it("answers each with a success or a modeled 4xx, keeps serving, and stores only valid state", async () => {
    const r = rng(14);
    const image = await createImage(fx.client, { tags: { team: "fuzz" } });
    const vm = await fx.client.send(new RunMicrovmCommand({ imageIdentifier: image.imageArn, ingressNetworkConnectors: ["SHELL_INGRESS"] }));
    const known: Known = { imageArn: image.imageArn!, microvmId: vm.microvmId! };
    const tally = new Map<string, number>();
    for (const op of Object.values(operations)) {
      for (let i = 0; i < 30; i++) {
        const request = hostileRequest(op, r, known);
        const bytes = request.unsigned ? wireBytes({ ...request, headers: [["host", "x"], ...(request.headers ?? [])] }) : wireBytes(signWire(fx.server, request, request.signOptions));
        const { answers } = await exchange(fx.server, [bytes], 1);
        const context = `${op.name} #${i}: ${request.method} ${request.target} ${String(request.body).slice(0, 200)}`;
        expect(answers, context).toHaveLength(1);
        expectModeled(answers[0]!, op, context);
        const outcome = answers[0]!.headers["x-amzn-errortype"] ?? "success";
        tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
      }
    }
    // The generated requests reached the service, not only the validator.
    expect(tally.get("success") ?? 0).toBeGreaterThan(100);
    for (const outcome of ["ValidationException", "ResourceNotFoundException", "InvalidSignatureException", "MissingAuthenticationTokenException"]) {
      expect(tally.get(outcome), outcome).toBeGreaterThan(0);
    }

    // Still serving.
    await expect(fx.client.send(new ListManagedMicrovmImagesCommand({}))).resolves.toBeDefined();

    // What is stored still passes the model's validation, and the service's stricter rules.
    const images = fx.server.service.images();
    expect(images.length).toBeGreaterThan(1);
    for (const stored of images) {
      expect([...validateShape("GetMicrovmImageOutput", stored), ...enumProblems("GetMicrovmImageOutput", stored)], stored.imageArn).toEqual([]);
      for (const version of fx.server.service.listMicrovmImageVersions({ imageIdentifier: stored.imageArn! }).items ?? []) {
        expect(validateShape("MicrovmImageVersionSummary", version), `${stored.imageArn} v${version.imageVersion}`).toEqual([]);
      }
    }
    for (const stored of fx.server.service.microvms()) {
      expect([...validateShape("GetMicrovmResponse", stored), ...enumProblems("GetMicrovmResponse", stored)], stored.microvmId).toEqual([]);
    }
  }, 120_000);
});
