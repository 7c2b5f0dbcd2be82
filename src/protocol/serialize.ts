/**
 * restJson1 request serialization, driven by the generated schema tables. The output is
 * transport-neutral so that the client and the emulator's tests share it.
 */
import { findShape, shapeOf, type MemberLocation, type OperationSchema, type ShapeSchema, type StructureSchema } from "./schema";
import { encodeLabel, toEpochSeconds } from "./encoding";
import { setOwn } from "./keys";

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
  return shapeOf(name) as StructureSchema;
}

/** Converts one value to its JSON form; `null` means "the value as it is". */
type Writer = ((value: unknown) => unknown) | null;

/** Writers compiled once per shape, as the deserializer's readers are. */
const writers = new Map<string, Writer>();

function writerFor(shapeName: string): Writer {
  if (writers.has(shapeName)) return writers.get(shapeName)!;
  // Placeholder first, so that a recursive shape finds itself while being compiled.
  writers.set(shapeName, (value) => write(writerFor(shapeName), value));
  const compiled = compileWriter(shapeOf(shapeName));
  writers.set(shapeName, compiled);
  return compiled;
}

function write(writer: Writer, value: unknown): unknown {
  return writer === null ? value : writer(value);
}

function compileWriter(shape: ShapeSchema): Writer {
  switch (shape.type) {
    case "timestamp":
      return (value) => toEpochSeconds(value as Date);
    case "list": {
      const item = writerFor(shape.member);
      return item === null ? null : (value) => (value as unknown[]).map((element) => write(item, element));
    }
    case "map": {
      const item = writerFor(shape.value);
      return (value) => {
        const out: Input = {};
        for (const key in value as Input) {
          const element = (value as Input)[key];
          if (element != null) setOwn(out, key, write(item, element));
        }
        return out;
      };
    }
    case "structure":
      return structureWriter(shape);
    default:
      return null;
  }
}

/** Body members by name (location-bound members are absent: they go to the path, query or headers). */
function structureWriter(shape: StructureSchema): Writer {
  const body: Record<string, Writer> = Object.create(null) as Record<string, Writer>;
  for (const name in shape.members) {
    const member = shape.members[name]!;
    if (!member.location) body[name] = writerFor(member.shape);
  }
  const union = shape.union === true;
  return (value) => {
    const input = value as Input;
    const out: Input = {};
    for (const name in input) {
      const item = input[name];
      if (item == null) continue;
      const writer = body[name];
      if (writer !== undefined) out[name] = write(writer, item);
      else if (union && name === "$unknown" && Array.isArray(item)) setOwn(out, String(item[0]), item[1]);
    }
    return out;
  };
}

/** Serializes a JSON body value for the shape `shapeName`, dropping null and undefined members. */
export function toJsonValue(shapeName: string, value: unknown): unknown {
  return write(writerFor(shapeName), value);
}

function scalarText(shapeName: string, value: unknown): string {
  if (findShape(shapeName)?.type === "timestamp") {
    return value instanceof Date ? value.toISOString() : String(value);
  }
  return String(value);
}

/** A URI template split once into its literal parts and labels: [literal, label, literal, …]. */
const templateParts = new Map<string, string[]>();
function partsOfTemplate(template: string): string[] {
  let parts = templateParts.get(template);
  // Stryker disable next-line ConditionalExpression: splitting the template again gives the same parts
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

/** An input member bound to the path, query string or a header. */
interface BoundMember {
  name: string;
  location: MemberLocation;
  key: string;
  shape: string;
  /** For a list in the query string, the shape of each item. */
  itemShape: string;
}

/** What serializing an input shape needs, worked out once per shape. */
interface InputPlan {
  bound: BoundMember[];
  hasBody: boolean;
}
const plans = new Map<string, InputPlan>();

function planOf(shapeName: string): InputPlan {
  let plan = plans.get(shapeName);
  // Stryker disable next-line ConditionalExpression: working the plan out again gives the same plan
  if (plan !== undefined) return plan;
  const shape = structureOf(shapeName);
  plan = { bound: [], hasBody: false };
  for (const name in shape.members) {
    const member = shape.members[name]!;
    if (!member.location) {
      plan.hasBody = true;
      continue;
    }
    const target = findShape(member.shape);
    const itemShape = target?.type === "list" ? target.member : member.shape;
    plan.bound.push({ name, location: member.location, key: member.locationName!, shape: member.shape, itemShape });
  }
  plans.set(shapeName, plan);
  return plan;
}

/** Builds the method, path, query, headers and body of `operation` for `input`. */
export function serializeRequest(operation: OperationSchema, input: Input): SerializedRequest {
  const plan = planOf(operation.input);
  const labels: Record<string, string> = {};
  const query: Record<string, string | string[]> = {};
  const headers: Record<string, string> = {};
  for (let i = 0; i < plan.bound.length; i++) {
    const member = plan.bound[i]!;
    const value = input[member.name];
    if (value == null) continue;
    if (member.location === "uri") labels[member.key] = scalarText(member.shape, value);
    else if (member.location === "header") headers[member.key] = scalarText(member.shape, value);
    else if (Array.isArray(value)) query[member.key] = value.map((item) => scalarText(member.itemShape, item));
    else query[member.key] = scalarText(member.shape, value);
  }
  const request: SerializedRequest = { method: operation.method, path: fillPath(operation.uri, labels), query, headers };
  if (plan.hasBody) {
    headers["content-type"] = "application/json";
    request.body = JSON.stringify(toJsonValue(operation.input, input));
  }
  return request;
}
