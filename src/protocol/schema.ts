/**
 * The shapes of the generated serde tables (`schema.generated.ts`). The client's serializer,
 * deserializer and validator and the local emulator all read these tables, so the wire format
 * is described once.
 */

/** Where a structure member travels in an HTTP message. */
export type MemberLocation = "uri" | "querystring" | "header";

export interface MemberSchema {
  /** Name of the target shape in the table. */
  readonly shape: string;
  readonly location?: MemberLocation;
  /** Label, query key or header name when `location` is set. */
  readonly locationName?: string;
  /** Filled with a fresh UUID v4 when the caller leaves it out. */
  readonly idempotencyToken?: true;
}

interface Constrained {
  readonly min?: number;
  readonly max?: number;
}

export interface StringSchema extends Constrained {
  readonly type: "string";
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly sensitive?: true;
}

export interface NumberSchema extends Constrained {
  readonly type: "integer" | "long";
}

export interface BooleanSchema {
  readonly type: "boolean";
}

export interface TimestampSchema {
  readonly type: "timestamp";
}

export interface ListSchema extends Constrained {
  readonly type: "list";
  readonly member: string;
}

export interface MapSchema extends Constrained {
  readonly type: "map";
  readonly key: string;
  readonly value: string;
}

export interface StructureSchema {
  readonly type: "structure";
  readonly members: Readonly<Record<string, MemberSchema>>;
  readonly required?: readonly string[];
  /** Exactly one member is set. */
  readonly union?: true;
  /** Present on error shapes. */
  readonly error?: ErrorTraits;
}

export interface ErrorTraits {
  readonly httpStatusCode: number;
  readonly fault: "client" | "server";
  /** Present when the service models the error as retryable. */
  readonly retryable?: { readonly throttling: boolean };
}

export type ShapeSchema =
  | StringSchema
  | NumberSchema
  | BooleanSchema
  | TimestampSchema
  | ListSchema
  | MapSchema
  | StructureSchema;

export interface OperationSchema {
  readonly name: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** URI template with `{label}` placeholders, e.g. `/2025-09-09/microvms/{microvmIdentifier}`. */
  readonly uri: string;
  readonly successCode: number;
  readonly input: string;
  readonly output: string;
  readonly idempotent?: true;
  readonly readonly?: true;
  /** The shapes the input and output reach, by name (see {@link registerShapes}). */
  readonly shapes?: Readonly<Record<string, ShapeSchema>>;
}

export interface PaginatorSchema {
  readonly inputToken: string;
  readonly outputToken: string;
  readonly limitKey: string;
  readonly resultKey: string;
}

/**
 * The shapes known to this process, by name. The serializer, deserializer, validator and redactor
 * look shapes up here rather than in the generated table of every shape, so that a bundle keeps
 * only the shapes of the commands it uses: each command registers its operation's shapes when it
 * is made, the error reader the error shapes, and the emulator all of them.
 */
const registry = new Map<string, ShapeSchema>();
const registered = new WeakSet<object>();

/** Makes the shapes of `table` known (once per table). */
export function registerShapes(table: Readonly<Record<string, ShapeSchema>> | undefined): void {
  if (table === undefined || registered.has(table)) return;
  registered.add(table);
  for (const name of Object.keys(table)) registry.set(name, table[name]!);
}

/** The shape named `name`; a shape no command or table registered is a programming error. */
export function shapeOf(name: string): ShapeSchema {
  const shape = registry.get(name);
  if (shape === undefined) throw new Error(`Unknown shape ${name}: no registered operation refers to it`);
  return shape;
}

/** The shape named `name`, or undefined when it is not known. */
export function findShape(name: string): ShapeSchema | undefined {
  return registry.get(name);
}
