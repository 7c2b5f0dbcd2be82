/**
 * Loads the service model (botocore JSON format) and checks it before any code is written, so
 * that a broken or unfamiliar model fails with a message naming the shape at fault.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  ErrorTraits,
  MemberSchema,
  OperationSchema,
  PaginatorSchema,
  ShapeSchema,
} from "../../src/protocol/schema.js";

/** An operation as the model describes it: the runtime table's entry plus the errors it may throw (for the docs). */
export interface ModelOperation extends OperationSchema {
  readonly errors: readonly string[];
}

export interface ServiceModel {
  readonly apiVersion: string;
  readonly signingName: string;
  readonly serviceId: string;
  readonly shapes: Record<string, ShapeSchema>;
  readonly operations: Record<string, ModelOperation>;
  readonly paginators: Record<string, PaginatorSchema>;
}

export class ModelError extends Error {
  constructor(where: string, problem: string) {
    super(`Invalid model: ${where}: ${problem}`);
    this.name = "ModelError";
  }
}

type Json = Record<string, unknown>;

const SCALARS = new Set(["string", "integer", "long", "boolean", "timestamp"]);
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const LOCATIONS = new Set(["uri", "querystring", "header"]);

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function numberOrUndefined(where: string, key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ModelError(where, `"${key}" must be a number`);
  }
  return value;
}

function bounds(where: string, raw: Json): { min?: number; max?: number } {
  const out: { min?: number; max?: number } = {};
  const min = numberOrUndefined(where, "min", raw.min);
  const max = numberOrUndefined(where, "max", raw.max);
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  return out;
}

function readMember(where: string, raw: unknown): MemberSchema {
  if (!isObject(raw) || typeof raw.shape !== "string") {
    throw new ModelError(where, "a member needs a \"shape\" name");
  }
  const member: { -readonly [K in keyof MemberSchema]: MemberSchema[K] } = { shape: raw.shape };
  if (raw.location !== undefined) {
    if (typeof raw.location !== "string" || !LOCATIONS.has(raw.location)) {
      throw new ModelError(where, `unknown location ${JSON.stringify(raw.location)}`);
    }
    if (typeof raw.locationName !== "string") {
      throw new ModelError(where, "a bound member needs a \"locationName\"");
    }
    member.location = raw.location as MemberSchema["location"];
    member.locationName = raw.locationName;
  }
  if (raw.idempotencyToken === true) member.idempotencyToken = true;
  return member;
}

function readErrorTraits(where: string, raw: Json): ErrorTraits | undefined {
  if (raw.exception !== true) return undefined;
  const error = isObject(raw.error) ? raw.error : {};
  const status = error.httpStatusCode;
  if (typeof status !== "number") {
    throw new ModelError(where, "an exception needs error.httpStatusCode");
  }
  const traits: { -readonly [K in keyof ErrorTraits]: ErrorTraits[K] } = {
    httpStatusCode: status,
    fault: raw.fault === true ? "server" : "client",
  };
  if (isObject(raw.retryable)) traits.retryable = { throttling: raw.retryable.throttling === true };
  return traits;
}

function readStructure(where: string, raw: Json): ShapeSchema {
  const rawMembers = raw.members ?? {};
  if (!isObject(rawMembers)) throw new ModelError(where, "\"members\" must be an object");
  const members: Record<string, MemberSchema> = {};
  for (const [name, member] of Object.entries(rawMembers)) {
    members[name] = readMember(`${where}.${name}`, member);
  }
  const required = raw.required ?? [];
  if (!Array.isArray(required) || required.some((r) => typeof r !== "string" || !(r in members))) {
    throw new ModelError(where, "\"required\" must list member names of this structure");
  }
  const error = readErrorTraits(where, raw);
  return {
    type: "structure",
    members,
    ...(required.length ? { required: required as string[] } : {}),
    ...(raw.union === true ? { union: true as const } : {}),
    ...(error ? { error } : {}),
  };
}

function readShape(name: string, raw: unknown): ShapeSchema {
  const where = `shape ${name}`;
  if (!isObject(raw) || typeof raw.type !== "string") {
    throw new ModelError(where, "a shape needs a \"type\"");
  }
  switch (raw.type) {
    case "structure":
      return readStructure(where, raw);
    case "list":
      if (!isObject(raw.member) || typeof raw.member.shape !== "string") {
        throw new ModelError(where, "a list needs \"member.shape\"");
      }
      return { type: "list", member: raw.member.shape, ...bounds(where, raw) };
    case "map":
      if (!isObject(raw.key) || !isObject(raw.value) || typeof raw.key.shape !== "string" || typeof raw.value.shape !== "string") {
        throw new ModelError(where, "a map needs \"key.shape\" and \"value.shape\"");
      }
      return { type: "map", key: raw.key.shape, value: raw.value.shape, ...bounds(where, raw) };
    case "string": {
      if (raw.pattern !== undefined) {
        try {
          new RegExp(String(raw.pattern), "u");
        } catch {
          throw new ModelError(where, `pattern ${JSON.stringify(raw.pattern)} is not a valid regular expression`);
        }
      }
      if (raw.enum !== undefined && (!Array.isArray(raw.enum) || raw.enum.some((v) => typeof v !== "string"))) {
        throw new ModelError(where, "\"enum\" must be a list of strings");
      }
      return {
        type: "string",
        ...bounds(where, raw),
        ...(typeof raw.pattern === "string" ? { pattern: raw.pattern } : {}),
        ...(Array.isArray(raw.enum) ? { enum: [...(raw.enum as string[])].sort() } : {}),
        ...(raw.sensitive === true ? { sensitive: true as const } : {}),
      };
    }
    case "integer":
    case "long":
      return { type: raw.type, ...bounds(where, raw) };
    case "boolean":
    case "timestamp":
      return { type: raw.type };
    default:
      throw new ModelError(where, `unsupported type ${JSON.stringify(raw.type)} (expected structure, list, map or one of ${[...SCALARS].join(", ")})`);
  }
}

function checkReferences(shapes: Record<string, ShapeSchema>): void {
  const need = (where: string, target: string): void => {
    if (!(target in shapes)) throw new ModelError(where, `refers to unknown shape "${target}"`);
  };
  for (const [name, shape] of Object.entries(shapes)) {
    if (shape.type === "list") need(`shape ${name}`, shape.member);
    if (shape.type === "map") {
      need(`shape ${name}`, shape.key);
      need(`shape ${name}`, shape.value);
    }
    if (shape.type === "structure") {
      for (const [member, ref] of Object.entries(shape.members)) need(`shape ${name}.${member}`, ref.shape);
    }
  }
}

function readOperation(name: string, raw: unknown, shapes: Record<string, ShapeSchema>): ModelOperation {
  const where = `operation ${name}`;
  if (!isObject(raw) || !isObject(raw.http)) throw new ModelError(where, "an operation needs \"http\"");
  const { method, requestUri, responseCode } = raw.http;
  if (typeof method !== "string" || !METHODS.has(method)) throw new ModelError(where, `unsupported method ${JSON.stringify(method)}`);
  if (typeof requestUri !== "string" || !requestUri.startsWith("/")) throw new ModelError(where, "http.requestUri must start with /");
  const shapeRef = (key: "input" | "output"): string => {
    const ref = raw[key];
    // An operation without an output answers with no body: the model's empty Unit structure.
    if (ref === undefined && key === "output" && shapes.Unit?.type === "structure") return "Unit";
    const shapeName = isObject(ref) ? ref.shape : undefined;
    if (typeof shapeName !== "string") throw new ModelError(where, `needs an ${key} shape`);
    const shape = shapes[shapeName];
    if (!shape || shape.type !== "structure") throw new ModelError(where, `${key} "${shapeName}" must be a structure shape`);
    return shapeName;
  };
  const input = shapeRef("input");
  const output = shapeRef("output");
  const errors = (Array.isArray(raw.errors) ? raw.errors : []).map((e) => {
    const errorName = isObject(e) ? e.shape : undefined;
    const shape = typeof errorName === "string" ? shapes[errorName] : undefined;
    if (!shape || shape.type !== "structure" || !shape.error) {
      throw new ModelError(where, `error ${JSON.stringify(errorName)} is not an exception shape`);
    }
    return errorName as string;
  });
  const inputShape = shapes[input] as Extract<ShapeSchema, { type: "structure" }>;
  for (const label of requestUri.matchAll(/\{([^}]+)\}/g)) {
    const bound = Object.values(inputShape.members).some((m) => m.location === "uri" && m.locationName === label[1]);
    if (!bound) throw new ModelError(where, `URI label {${label[1]}} has no member in ${input}`);
  }
  return {
    name,
    method: method as OperationSchema["method"],
    uri: requestUri,
    successCode: typeof responseCode === "number" ? responseCode : 200,
    input,
    output,
    errors,
    ...(raw.idempotent === true ? { idempotent: true as const } : {}),
    ...(raw.readonly === true ? { readonly: true as const } : {}),
  };
}

function readPaginators(raw: unknown, operations: Record<string, OperationSchema>): Record<string, PaginatorSchema> {
  const table = isObject(raw) && isObject(raw.pagination) ? raw.pagination : {};
  const out: Record<string, PaginatorSchema> = {};
  for (const [name, p] of Object.entries(table)) {
    const where = `paginator ${name}`;
    if (!(name in operations)) throw new ModelError(where, "names no operation of the model");
    if (!isObject(p)) throw new ModelError(where, "must be an object");
    const keys = ["input_token", "output_token", "limit_key", "result_key"] as const;
    for (const key of keys) if (typeof p[key] !== "string") throw new ModelError(where, `needs "${key}"`);
    out[name] = {
      inputToken: p.input_token as string,
      outputToken: p.output_token as string,
      limitKey: p.limit_key as string,
      resultKey: p.result_key as string,
    };
  }
  return out;
}

/** Parses the model and paginator documents; throws {@link ModelError} naming the culprit. */
export function parseModel(modelJson: unknown, paginatorsJson: unknown): ServiceModel {
  if (!isObject(modelJson) || !isObject(modelJson.metadata) || !isObject(modelJson.shapes) || !isObject(modelJson.operations)) {
    throw new ModelError("document", "expected an object with metadata, operations and shapes");
  }
  const meta = modelJson.metadata;
  if (meta.protocol !== "rest-json") throw new ModelError("metadata", `protocol ${JSON.stringify(meta.protocol)} is not rest-json`);
  const shapes: Record<string, ShapeSchema> = {};
  for (const name of Object.keys(modelJson.shapes).sort()) shapes[name] = readShape(name, modelJson.shapes[name]);
  checkReferences(shapes);
  const operations: Record<string, ModelOperation> = {};
  for (const name of Object.keys(modelJson.operations).sort()) {
    operations[name] = readOperation(name, modelJson.operations[name], shapes);
  }
  return {
    apiVersion: String(meta.apiVersion),
    signingName: String(meta.signingName),
    serviceId: String(meta.serviceId),
    shapes,
    operations,
    paginators: readPaginators(paginatorsJson, operations),
  };
}

export function loadModel(dir: string): ServiceModel {
  const read = (file: string): unknown => {
    const text = readFileSync(join(dir, file), "utf8");
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new ModelError(file, `not valid JSON (${(e as Error).message})`);
    }
  };
  return parseModel(read("lambda-microvms.model.json"), read("lambda-microvms.paginators.json"));
}
