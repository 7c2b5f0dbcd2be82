/**
 * restJson1 response parsing, driven by the generated schema tables: outputs to typed objects
 * (timestamps to Date, unknown union members to `$unknown`), and errors to the modeled classes.
 */
import type { ResponseMetadata } from "@smithy/types";
import type { MemberSchema, OperationSchema, ShapeSchema, StructureSchema } from "./schema";
import { shapes } from "./schema.generated";
import { fromEpochSeconds, headerValue } from "./encoding";
import { errorClasses } from "../models/errors.generated";
import { LambdaMicrovmsServiceException } from "../models/LambdaMicrovmsServiceException";
import { decorateServiceException } from "@smithy/core/client";
import { containsSensitive, SENSITIVE_STRING } from "./redact";

type Json = Record<string, unknown>;
type Headers = Record<string, string | undefined>;

/** Converts one parsed JSON value; undefined drops it. `null` means "keep the value as is". */
type Reader = ((value: unknown) => unknown) | null;

/** Readers compiled once per shape: the per-response work is then a walk with no table lookups. */
const readers = new Map<string, Reader>();

function readerFor(shapeName: string): Reader {
  if (readers.has(shapeName)) return readers.get(shapeName)!;
  const shape: ShapeSchema = shapes[shapeName]!;
  // Placeholder first, so that a recursive shape finds itself while being compiled.
  let compiled: Reader = (value) => readerFor(shapeName)?.(value) ?? value;
  readers.set(shapeName, compiled);
  compiled = compileReader(shape);
  readers.set(shapeName, compiled);
  return compiled;
}

function read(reader: Reader, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  return reader === null ? value : reader(value);
}

function compileReader(shape: ShapeSchema): Reader {
  switch (shape.type) {
    case "timestamp":
      return fromEpochSeconds;
    case "list": {
      const item = readerFor(shape.member);
      return (value) => {
        if (!Array.isArray(value)) return undefined;
        const out: unknown[] = [];
        for (const element of value) {
          const converted = read(item, element);
          if (converted !== undefined) out.push(converted);
        }
        return out;
      };
    }
    case "map": {
      const item = readerFor(shape.value);
      return (value) => {
        if (typeof value !== "object" || Array.isArray(value)) return undefined;
        const out: Json = {};
        for (const key in value as Json) {
          const converted = read(item, (value as Json)[key]);
          if (converted !== undefined) out[key] = converted;
        }
        return out;
      };
    }
    case "structure":
      return shape.union ? (value) => (isObject(value) ? unionFromJson(shape, value) : undefined) : structureReader(shape);
    default:
      return null;
  }
}

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function structureReader(shape: StructureSchema): Reader {
  const body = Object.entries(shape.members)
    .filter(([, member]) => !member.location)
    .map(([name, member]) => [name, readerFor(member.shape)] as const);
  return (value) => {
    if (!isObject(value)) return undefined;
    const out: Json = {};
    for (let i = 0; i < body.length; i++) {
      const [name, reader] = body[i]!;
      const converted = read(reader, value[name]);
      if (converted !== undefined) out[name] = converted;
    }
    return out;
  };
}

/** A union keeps its one known member; a member this SDK does not know becomes `$unknown`. */
function unionFromJson(shape: StructureSchema, value: Json): Json {
  const out: Json = {};
  for (const key in value) {
    const member = shape.members[key];
    if (!member) {
      if (value[key] !== null) return { $unknown: [key, value[key]] };
      continue;
    }
    const converted = read(readerFor(member.shape), value[key]);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

/** Converts a parsed JSON value to the shape `shapeName`; undefined drops the member. */
export function fromJsonValue(shapeName: string, value: unknown): unknown {
  return read(readerFor(shapeName), value);
}

function headerMember(member: MemberSchema, headers: Headers): unknown {
  const raw = headerValue(headers, member.locationName!);
  if (raw === undefined) return undefined;
  const shape = shapes[member.shape]!;
  if (shape.type === "integer" || shape.type === "long") {
    const n = Number(raw.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  if (shape.type === "boolean") return raw.trim() === "true";
  if (shape.type === "timestamp") return new Date(raw);
  return raw;
}

/** Reads the members of `shapeName` from a response's headers and parsed JSON body. */
export function readStructure(shapeName: string, headers: Headers, body: Json): Json {
  const out = (fromJsonValue(shapeName, body) ?? {}) as Json;
  for (const [name, member] of headerMembersOf(shapeName)) {
    const value = headerMember(member, headers);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The header-bound members of each structure, listed once rather than searched per response. */
const headerMembers = new Map<string, [string, MemberSchema][]>();

function headerMembersOf(shapeName: string): [string, MemberSchema][] {
  let list = headerMembers.get(shapeName);
  if (!list) {
    const shape = shapes[shapeName] as StructureSchema;
    list = Object.entries(shape.members).filter(([, member]) => member.location === "header");
    headerMembers.set(shapeName, list);
  }
  return list;
}

/**
 * Thrown when a response body is not the JSON it should be. `$metadata` carries the HTTP status
 * and request id; `body` keeps the start of the text, unless the output may hold sensitive
 * members. The retry loop treats it as transient (a truncated or garbled answer, often from a
 * proxy), so it is retried within `maxAttempts` and the retry quota.
 */
export class DeserializationError extends Error {
  override readonly name = "DeserializationError";
  constructor(
    message: string,
    readonly $metadata: ResponseMetadata,
    readonly body: string,
  ) {
    super(message);
  }
}

/** Parses a JSON object body; an empty body is `{}`. Throws a plain Error otherwise. */
export function parseJsonObject(text: string): Json {
  if (text.trim() === "") return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("the body is not a JSON object");
  return value as Json;
}

/** Response metadata from the headers, before the retry layer adds attempts and delays. */
export function responseMetadata(statusCode: number, headers: Headers): ResponseMetadata {
  const metadata: ResponseMetadata = { httpStatusCode: statusCode };
  const requestId = headerValue(headers, "x-amzn-requestid") ?? headerValue(headers, "x-amz-request-id");
  if (requestId !== undefined) metadata.requestId = requestId;
  const extendedRequestId = headerValue(headers, "x-amz-id-2");
  if (extendedRequestId !== undefined) metadata.extendedRequestId = extendedRequestId;
  const cfId = headerValue(headers, "x-amz-cf-id");
  if (cfId !== undefined) metadata.cfId = cfId;
  return metadata;
}

/** Turns a successful response into the operation's output (without `$metadata`). */
export function deserializeOutput(operation: OperationSchema, statusCode: number, headers: Headers, text: string): Json {
  let body: Json;
  try {
    body = parseJsonObject(text);
  } catch (error) {
    const metadata = responseMetadata(statusCode, headers);
    // JSON.parse quotes the text it choked on; the body may hold sensitive members, so neither
    // the message nor (for such outputs) the kept body repeats it.
    const reason = error instanceof SyntaxError ? "the body is not valid JSON" : (error as Error).message;
    throw new DeserializationError(
      `Could not parse the ${operation.name} response (HTTP ${statusCode}, request id ${metadata.requestId ?? "none"}): ${reason}`,
      metadata,
      containsSensitive(operation.output) ? `${SENSITIVE_STRING} (${text.length} characters)` : text.slice(0, 1000),
    );
  }
  return readStructure(operation.output, headers, body);
}

/** The error code of a response: header, then `__type`, then `code`; `:` suffix and `#` prefix removed. */
export function errorCode(headers: Headers, body: Json): string | undefined {
  const raw = headerValue(headers, "x-amzn-errortype") ?? body.__type ?? body.code ?? body.Code;
  if (typeof raw !== "string" || raw === "") return undefined;
  let code = raw;
  if (code.includes(":")) code = code.slice(0, code.indexOf(":"));
  if (code.includes("#")) code = code.slice(code.indexOf("#") + 1);
  return code;
}

/** Builds the error a failed response stands for: a modeled class when the code is known. */
export function deserializeError(statusCode: number, headers: Headers, text: string): LambdaMicrovmsServiceException {
  let body: Json;
  try {
    body = parseJsonObject(text);
  } catch {
    body = {};
  }
  const code = errorCode(headers, body);
  const $metadata = responseMetadata(statusCode, headers);
  const rawMessage = body.message ?? body.Message;
  const message = typeof rawMessage === "string" ? rawMessage : undefined;
  const ErrorClass = code ? (errorClasses as Record<string, (typeof errorClasses)[keyof typeof errorClasses]>)[code] : undefined;
  if (ErrorClass) {
    const members = readStructure(code!, headers, body);
    // The constructors' option types differ per class; the members come from the same schema.
    const error = new (ErrorClass as unknown as new (o: Json) => LambdaMicrovmsServiceException)({ ...members, message: message ?? code, $metadata });
    // Like the official client, unmodeled fields of the body are kept on the error too.
    return decorateServiceException(error, body);
  }
  const name = code ?? (statusCode >= 500 ? "UnknownServerError" : "UnknownError");
  const error = new LambdaMicrovmsServiceException({
    name,
    message: message ?? `HTTP ${statusCode}${code ? ` ${code}` : ""}${text.trim() ? "" : " with an empty body"}`,
    $fault: statusCode >= 500 ? "server" : "client",
    $metadata,
  });
  return decorateServiceException(error, body);
}
