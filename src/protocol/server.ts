/**
 * The server half of restJson1, driven by the same generated tables as the client: match a
 * request to an operation, read its input back from labels, query and JSON body, and write
 * outputs and errors. The local emulator uses it; nothing here knows about the emulator's state.
 */
import { findShape, registerShapes, type OperationSchema, type ShapeSchema, type StructureSchema } from "./schema";
import { operations, shapes, type OperationName } from "./schema.generated";
import { toJsonValue } from "./serialize";
import { fromEpochSeconds } from "./encoding";
import { hasOwn } from "./keys";

// The emulator reads and writes every operation.
registerShapes(shapes);

type Json = Record<string, unknown>;

interface CompiledRoute {
  readonly operation: OperationSchema;
  /** Literal segments as strings, label segments as `{ label }`. */
  readonly segments: readonly (string | { readonly label: string })[];
}

const literalCount = (route: CompiledRoute): number => route.segments.filter((s) => typeof s === "string").length;

/** Routes with more literal segments first, so a literal always wins over a label. */
const routes: readonly CompiledRoute[] = Object.values(operations)
  .map((operation) => ({
    operation,
    segments: operation.uri
      .split("/")
      .slice(1)
      .map((part) => (part.startsWith("{") && part.endsWith("}") ? { label: part.slice(1, -1) } : part)),
  }))
  .sort((a, b) => literalCount(b) - literalCount(a));

export type RouteMatch =
  | { readonly kind: "operation"; readonly operation: OperationSchema; readonly labels: Record<string, string> }
  /** The path names an operation, but not with this method. */
  | { readonly kind: "method-not-allowed"; readonly allowed: readonly string[] }
  | { readonly kind: "not-found" };

/** Thrown for a request whose encoding cannot be read at all (bad percent-escapes, bad JSON). */
export class MalformedRequestError extends Error {
  override readonly name = "MalformedRequestError";
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new MalformedRequestError("the request path has an invalid percent-encoding");
  }
}

function matchSegments(route: CompiledRoute, parts: readonly string[]): Record<string, string> | undefined {
  if (route.segments.length !== parts.length) return undefined;
  const labels: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i]!;
    const part = parts[i]!;
    if (typeof segment === "string") {
      if (segment !== part) return undefined;
    } else {
      if (part === "") return undefined;
      labels[segment.label] = part;
    }
  }
  return labels;
}

/** Finds the operation for a method and a raw (still percent-encoded) path. */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const parts = rawPath.split("/").slice(1);
  const allowed: string[] = [];
  for (const route of routes) {
    const labels = matchSegments(route, parts);
    if (!labels) continue;
    if (route.operation.method !== method) {
      allowed.push(route.operation.method);
      continue;
    }
    const decoded: Record<string, string> = {};
    for (const [key, value] of Object.entries(labels)) decoded[key] = decodeSegment(value);
    return { kind: "operation", operation: route.operation, labels: decoded };
  }
  return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
}

/** Parses a raw query string into decoded values, keeping every value of a repeated key. */
export function parseQuery(rawQuery: string): Record<string, string[]> {
  // No prototype: a key such as `__proto__` or `constructor` is a query key like any other.
  const out = Object.create(null) as Record<string, string[]>;
  if (rawQuery === "") return out;
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    // `+` is a literal plus here: SigV4 clients percent-encode spaces as %20.
    const key = decodeSegment(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decodeSegment(pair.slice(eq + 1));
    (out[key] ??= []).push(value);
  }
  return out;
}

/** A scalar from query text: numbers for numeric shapes when they parse, else the text as is. */
function scalarFromText(shapeName: string, text: string): unknown {
  const shape = findShape(shapeName);
  if (shape?.type === "integer" || shape?.type === "long") return /^-?\d+$/.test(text) ? Number(text) : text;
  if (shape?.type === "boolean") return text === "true" ? true : text === "false" ? false : text;
  if (shape?.type === "timestamp") return fromEpochSeconds(text) ?? text;
  return text;
}

/**
 * Converts a parsed JSON value to the typed form of `shapeName` for validation. Unlike the
 * client's lenient `fromJsonValue`, values of the wrong JSON type are kept as they are, so that
 * validation can name them instead of silently dropping them.
 */
export function inputFromJson(shapeName: string, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const shape: ShapeSchema | undefined = findShape(shapeName);
  if (!shape) return value;
  switch (shape.type) {
    case "timestamp":
      return typeof value === "number" ? fromEpochSeconds(value) : value;
    case "list":
      return Array.isArray(value) ? value.map((item) => inputFromJson(shape.member, item)) : value;
    case "map":
      if (typeof value !== "object" || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, inputFromJson(shape.value, v)]));
    case "structure":
      return typeof value === "object" && !Array.isArray(value) ? structureFromJson(shape, value as Json) : value;
    default:
      return value;
  }
}

function structureFromJson(shape: StructureSchema, value: Json): Json {
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    // Unknown members (`__proto__` and `constructor` among them) are ignored, never looked up.
    const member = hasOwn(shape.members, key) ? shape.members[key] : undefined;
    if (!member) {
      // An unknown union member still counts as "set", so the union check can report it.
      if (shape.union && item !== null) out.$unknown = [key, item];
      continue;
    }
    if (member.location) continue;
    const converted = inputFromJson(member.shape, item);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

function parseBody(text: string): Json {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedRequestError("the request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedRequestError("the request body must be a JSON object");
  }
  return value as Json;
}

export interface RawRequestParts {
  readonly labels: Record<string, string>;
  readonly query: Record<string, string[]>;
  readonly headers: Record<string, string | undefined>;
  readonly body: string;
}

/** Reads the typed input of `operation` from the parts of a request (not yet validated). */
export function readInput(operation: OperationSchema, parts: RawRequestParts): Json {
  const shape = findShape(operation.input) as StructureSchema;
  const input = structureFromJson(shape, parseBody(parts.body));
  for (const [name, member] of Object.entries(shape.members)) {
    const key = member.locationName!;
    if (member.location === "uri") {
      const value = parts.labels[key];
      if (value !== undefined) input[name] = scalarFromText(member.shape, value);
    } else if (member.location === "querystring") {
      const values = parts.query[key];
      if (!values) continue;
      const target = findShape(member.shape);
      input[name] = target?.type === "list" ? values.map((v) => scalarFromText(target.member, v)) : scalarFromText(member.shape, values[0]!);
    } else if (member.location === "header") {
      const value = parts.headers[key.toLowerCase()];
      if (value !== undefined) input[name] = scalarFromText(member.shape, value);
    }
  }
  return input;
}

/**
 * What the service rejects beyond the shared validator, which is lenient for forward
 * compatibility: enum values outside the model, and union members the model does not know.
 */
export function enumProblems(shapeName: string, value: unknown, path = ""): { path: string; message: string }[] {
  const shape = findShape(shapeName);
  if (!shape || value === null || value === undefined) return [];
  if (shape.type === "structure" && shape.union && typeof value === "object" && "$unknown" in (value as Json)) {
    const unknown = (value as { $unknown: [string, unknown] }).$unknown;
    return [{ path: path || "input", message: `has no member ${JSON.stringify(unknown[0])}` }];
  }
  if (shape.type === "string" && shape.enum && typeof value === "string" && !shape.enum.includes(value)) {
    return [{ path: path || "input", message: `must be one of ${shape.enum.join(", ")}` }];
  }
  if (shape.type === "list" && Array.isArray(value)) {
    return value.flatMap((item, i) => enumProblems(shape.member, item, `${path}[${i}]`));
  }
  if (shape.type === "structure" && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value as Json).flatMap(([key, item]) => {
      const member = hasOwn(shape.members, key) ? shape.members[key] : undefined;
      return member ? enumProblems(member.shape, item, path ? `${path}.${key}` : key) : [];
    });
  }
  return [];
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Undefined for an empty body. */
  readonly body?: string;
}

function headerMembers(shape: StructureSchema, value: Json): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    if (member.location === "header" && value[name] != null) headers[member.locationName!] = String(value[name]);
  }
  return headers;
}

/** Writes a successful output of `operation`: status, header members and JSON body. */
export function writeOutput(operation: OperationSchema, output: Json): WireResponse {
  const shape = findShape(operation.output) as StructureSchema;
  const headers = headerMembers(shape, output);
  if (operation.successCode === 204) return { status: 204, headers };
  headers["content-type"] = "application/json";
  return { status: operation.successCode, headers, body: JSON.stringify(toJsonValue(operation.output, output)) };
}

/**
 * Writes an error: a modeled one (`code` is an error shape's name) gets its modeled status and
 * members; others (authentication, routing) need `status`.
 */
export function writeError(code: string, members: Json, status?: number): WireResponse {
  const shape = findShape(code);
  const modeled = shape?.type === "structure" && shape.error ? shape.error.httpStatusCode : undefined;
  status ??= modeled ?? 400;
  const headers: Record<string, string> = { "content-type": "application/json", "x-amzn-errortype": code };
  if (shape?.type !== "structure") return { status, headers, body: JSON.stringify(members) };
  Object.assign(headers, headerMembers(shape, members));
  return { status, headers, body: JSON.stringify(toJsonValue(code, members)) };
}

/** The operation schema by name. */
export function operationSchema(name: OperationName): OperationSchema {
  return operations[name];
}
