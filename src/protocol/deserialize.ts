/**
 * restJson1 response parsing, driven by the generated schema tables: outputs to typed objects
 * (timestamps to Date, unknown union members to `$unknown`), and errors to the modeled classes,
 * shaped as the official client shapes them.
 */
import type { ResponseMetadata } from "@smithy/types";
import { registerShapes, shapeOf, type MemberSchema, type OperationSchema, type ShapeSchema, type StructureSchema } from "./schema";
import { errorShapes } from "./schema.generated";
import { headerValue, parseTimestamp } from "./encoding";
import { errorClasses } from "../models/errors.generated";
import { LambdaMicrovmsServiceException } from "../models/LambdaMicrovmsServiceException";
import { containsSensitive, SENSITIVE_STRING } from "./redact";
import { hasOwn, setOwn } from "./keys";

type Json = Record<string, unknown>;
type Headers = Record<string, string | undefined>;

/** Converts one parsed JSON value; undefined drops it. `null` means "keep the value as is". */
type Reader = ((value: unknown) => unknown) | null;

/** A value that cannot stand for its shape; `path` names where, innermost last. */
class BadValue extends Error {
  readonly path: string[] = [];
}

/** Runs `read` and, when it throws a {@link BadValue}, adds `segment` to its path. */
function within<T>(segment: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof BadValue) error.path.unshift(segment);
    throw error;
  }
}

function readTimestamp(value: unknown): Date {
  const date = parseTimestamp(value);
  if (date === undefined) throw new BadValue("is not a timestamp (epoch seconds, RFC 3339 or HTTP date)");
  return date;
}

/** Readers compiled once per shape: the per-response work is then a walk with no table lookups. */
const readers = new Map<string, Reader>();

function readerFor(shapeName: string): Reader {
  if (readers.has(shapeName)) return readers.get(shapeName)!;
  const shape: ShapeSchema = shapeOf(shapeName);
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

/** An entry of a list or map: a `null` entry is kept (dense collections keep their nulls). */
function readEntry(reader: Reader, value: unknown): unknown {
  return value === null ? null : read(reader, value);
}

function compileReader(shape: ShapeSchema): Reader {
  switch (shape.type) {
    case "timestamp":
      return readTimestamp;
    case "list": {
      const item = readerFor(shape.member);
      return (value) => {
        if (!Array.isArray(value)) return undefined;
        const out: unknown[] = [];
        for (let i = 0; i < value.length; i++) {
          const element: unknown = value[i];
          const converted = item === null ? element : within(`[${i}]`, () => readEntry(item, element));
          if (converted !== undefined) out.push(converted);
        }
        return out;
      };
    }
    case "map": {
      const item = readerFor(shape.value);
      return (value) => {
        if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
        const out: Json = {};
        for (const key of Object.keys(value)) {
          const converted = within(`.${key}`, () => readEntry(item, (value as Json)[key]));
          if (converted !== undefined) setOwn(out, key, converted);
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
      const raw = value[name];
      if (raw === undefined || raw === null) continue;
      const converted = reader === null ? raw : within(`.${name}`, () => reader(raw));
      if (converted !== undefined) out[name] = converted;
    }
    return out;
  };
}

/** A union keeps its one known member; a member this SDK does not know becomes `$unknown`. */
function unionFromJson(shape: StructureSchema, value: Json): Json {
  const out: Json = {};
  for (const key in value) {
    const member = hasOwn(shape.members, key) ? shape.members[key] : undefined;
    if (!member) {
      if (value[key] !== null) return { $unknown: [key, value[key]] };
      continue;
    }
    const converted = within(`.${key}`, () => read(readerFor(member.shape), value[key]));
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
  const shape = shapeOf(member.shape);
  if (shape.type === "integer" || shape.type === "long") {
    const n = Number(raw.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  if (shape.type === "boolean") return raw.trim() === "true";
  if (shape.type === "timestamp") return within(`.${member.locationName!}`, () => readTimestamp(raw.trim()));
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
    const shape = shapeOf(shapeName) as StructureSchema;
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
/** The keys are always present, undefined when the header is absent, as in the official client. */
export function responseMetadata(statusCode: number, headers: Headers): ResponseMetadata {
  return {
    httpStatusCode: statusCode,
    requestId: headerValue(headers, "x-amzn-requestid") ?? headerValue(headers, "x-amzn-request-id") ?? headerValue(headers, "x-amz-request-id"),
    extendedRequestId: headerValue(headers, "x-amz-id-2"),
    cfId: headerValue(headers, "x-amz-cf-id"),
  };
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
  try {
    return readStructure(operation.output, headers, body);
  } catch (error) {
    if (!(error instanceof BadValue)) throw error;
    const metadata = responseMetadata(statusCode, headers);
    throw new DeserializationError(
      `Could not read the ${operation.name} response (HTTP ${statusCode}, request id ${metadata.requestId ?? "none"}): ${memberPath(error)} ${error.message}`,
      metadata,
      containsSensitive(operation.output) ? `${SENSITIVE_STRING} (${text.length} characters)` : text.slice(0, 1000),
    );
  }
}

/** `startedAt`, `items[2].createdAt`, `tags.key`: where a bad value sits. */
function memberPath(error: BadValue): string {
  return error.path.join("").replace(/^\./, "");
}

/**
 * The error code of a response: the `x-amzn-errortype` header, then the body's `code`, then its
 * `__type` (the order of the official client and botocore); a `:` suffix and a `#` prefix removed.
 */
export function errorCode(headers: Headers, body: Json): string | undefined {
  const raw = headerValue(headers, "x-amzn-errortype") ?? body.code ?? body.Code ?? body.__type;
  if (typeof raw !== "string" || raw === "") return undefined;
  let code = raw;
  if (code.includes(":")) code = code.slice(0, code.indexOf(":"));
  if (code.includes("#")) code = code.slice(code.indexOf("#") + 1);
  return code;
}

/**
 * Puts the body's other fields on the error, as the official client does, without overwriting
 * what is already set, and as plain data (a `__proto__` field cannot change the error's prototype).
 */
function addUnmodeledFields(error: LambdaMicrovmsServiceException, body: Json): void {
  const target = error as unknown as Json;
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (value === undefined || key === "message" || key === "Message") continue;
    const current = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
    if (current === undefined || current === "") setOwn(target, key, value);
  }
}

/** Makes `message` an enumerable own property placed last, as the official errors have it. */
function setMessage(error: LambdaMicrovmsServiceException, message: string): void {
  delete (error as { message?: string }).message;
  error.message = message;
}

/** Builds the error a failed response stands for: a modeled class when the code is known. */
export function deserializeError(statusCode: number, headers: Headers, text: string): LambdaMicrovmsServiceException {
  let body: Json;
  let fallbackMessage = "UnknownError";
  try {
    body = parseJsonObject(text);
  } catch {
    // The official client throws JSON.parse's bare SyntaxError here; an error with the status and
    // request id is more use (a proxy's HTML page, a truncated body). The body is never quoted.
    body = {};
    fallbackMessage = `HTTP ${statusCode}: the body is not JSON`;
  }
  const code = errorCode(headers, body);
  const $metadata = responseMetadata(statusCode, headers);
  registerShapes(errorShapes);
  const rawMessage = body.message ?? body.Message;
  const message = typeof rawMessage === "string" && rawMessage !== "" ? rawMessage : fallbackMessage;
  const ErrorClass = code !== undefined && Object.prototype.hasOwnProperty.call(errorClasses, code) ? errorClasses[code as keyof typeof errorClasses] : undefined;
  let error: LambdaMicrovmsServiceException;
  if (ErrorClass) {
    let members: Json;
    try {
      members = readStructure(code!, headers, body);
    } catch (failure) {
      if (!(failure instanceof BadValue)) throw failure;
      throw new DeserializationError(`Could not read the ${code} error (HTTP ${statusCode}, request id ${$metadata.requestId ?? "none"}): ${memberPath(failure)} ${failure.message}`, $metadata, text.slice(0, 1000));
    }
    const memberNames = Object.keys((shapeOf(code!) as StructureSchema).members).filter((name) => name !== "message");
    // The constructors' option types differ per class; the members come from the same schema.
    error = new (ErrorClass as unknown as new (o: Json) => LambdaMicrovmsServiceException)({ $metadata, message });
    for (const name of memberNames) (error as unknown as Json)[name] = members[name];
    setMessage(error, message);
    addUnmodeledFields(error, body);
  } else {
    error = new LambdaMicrovmsServiceException({ name: code ?? "Unknown", message, $fault: statusCode >= 500 ? "server" : "client", $metadata });
    addUnmodeledFields(error, body);
    setMessage(error, message);
  }
  return error;
}
