/**
 * restJson1 request serialization, driven by the generated schema tables. The output is
 * transport-neutral so that the client and the emulator's tests share it.
 */
import type { OperationSchema, ShapeSchema, StructureSchema } from "./schema";
import { shapes } from "./schema.generated";
import { encodeLabel, toEpochSeconds } from "./encoding";

export interface SerializedRequest {
  method: string;
  /** Path with labels filled and percent-encoded; starts with `/`. */
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** JSON text, or undefined when the operation has no body members. */
  body?: string;
}

type Input = Record<string, unknown>;

export function structureOf(name: string): StructureSchema {
  return shapes[name] as StructureSchema;
}

/** Serializes a JSON body value for the shape `shapeName`, dropping null and undefined members. */
export function toJsonValue(shapeName: string, value: unknown): unknown {
  const shape: ShapeSchema = shapes[shapeName]!;
  switch (shape.type) {
    case "timestamp":
      return toEpochSeconds(value as Date);
    case "list":
      return (value as unknown[]).map((item) => toJsonValue(shape.member, item));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Input)) {
        if (item != null) out[key] = toJsonValue(shape.value, item);
      }
      return out;
    }
    case "structure":
      return structureToJson(shape, value as Input);
    default:
      return value;
  }
}

function structureToJson(shape: StructureSchema, value: Input): Input {
  const out: Input = {};
  for (const name in value) {
    const item = value[name];
    if (item == null) continue;
    const member = shape.members[name];
    if (member) {
      if (!member.location) out[name] = toJsonValue(member.shape, item);
    } else if (name === "$unknown" && shape.union && Array.isArray(item)) {
      out[String(item[0])] = item[1];
    }
  }
  return out;
}

function scalarText(shapeName: string, value: unknown): string {
  if (shapes[shapeName]?.type === "timestamp") {
    return value instanceof Date ? value.toISOString() : String(value);
  }
  return String(value);
}

/** A URI template split once into its literal parts and labels: [literal, label, literal, …]. */
const templateParts = new Map<string, string[]>();
function partsOfTemplate(template: string): string[] {
  let parts = templateParts.get(template);
  if (parts === undefined) templateParts.set(template, (parts = template.split(/\{([^}]+)\}/)));
  return parts;
}

function fillPath(template: string, labels: Record<string, string>): string {
  const parts = partsOfTemplate(template);
  let path = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const label = parts[i]!;
    const value = labels[label];
    if (value === undefined || value === "") throw new Error(`Empty value provided for input HTTP label: ${label}.`);
    path += encodeLabel(value) + parts[i + 1]!;
  }
  return path;
}

/** Builds the method, path, query, headers and body of `operation` for `input`. */
export function serializeRequest(operation: OperationSchema, input: Input): SerializedRequest {
  const shape = structureOf(operation.input);
  const labels: Record<string, string> = {};
  const query: Record<string, string | string[]> = {};
  const headers: Record<string, string> = {};
  let hasBodyMembers = false;
  for (const name in shape.members) {
    const member = shape.members[name]!;
    const value = input[name];
    if (!member.location) {
      hasBodyMembers = true;
      continue;
    }
    if (value == null) continue;
    const key = member.locationName!;
    if (member.location === "uri") labels[key] = scalarText(member.shape, value);
    else if (member.location === "header") headers[key] = scalarText(member.shape, value);
    else if (Array.isArray(value)) {
      const target = shapes[member.shape];
      const itemShape = target?.type === "list" ? target.member : member.shape;
      query[key] = value.map((item) => scalarText(itemShape, item));
    } else query[key] = scalarText(member.shape, value);
  }
  const request: SerializedRequest = { method: operation.method, path: fillPath(operation.uri, labels), query, headers };
  if (hasBodyMembers) {
    headers["content-type"] = "application/json";
    request.body = JSON.stringify(structureToJson(shape, input));
  }
  return request;
}
