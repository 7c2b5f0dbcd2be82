/**
 * Checks a value against a shape of the generated schema table and lists every problem with
 * its path (`allowedPorts[0].range.startPort: must be at least 1`). Shared by the client
 * (before anything is sent) and the local emulator (to answer ValidationException).
 * Messages never echo the value itself, so sensitive members cannot leak through them.
 *
 * The two apply different rules. The client refuses only what botocore's validator refuses:
 * missing required members, wrong types, values below a minimum (length, range, list and map
 * size), and a union with other than one member set. Maximums and patterns are the service's to
 * judge: services raise limits, and a client pinned to an older model must not block what the
 * service now accepts. The emulator, standing in for the service, applies every rule.
 */
import { shapeOf, type ShapeSchema, type StructureSchema } from "./schema";
import { hasOwn } from "./keys";

export interface ValidationProblem {
  /** Where the problem is, e.g. `allowedPorts[0].range.startPort`. */
  readonly path: string;
  /** The rule that failed, e.g. `must be at least 1`. */
  readonly message: string;
}

const patternCache = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let compiled = patternCache.get(pattern);
  if (!compiled) {
    compiled = new RegExp(pattern, "u");
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * Length in Unicode code points, as Smithy's `length` trait counts strings: a surrogate pair is
 * one, and so is a surrogate without its partner (it is not skipped, or a string of them would
 * pass any limit).
 */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/** Whose rules apply: the client's (botocore's) or the service's (all of the model's). */
export type ValidationRules = "client" | "service";

/** Smithy's `integer` is 32-bit; a `long` must survive a JavaScript number unchanged. */
const INTEGER_RANGE = { integer: [-(2 ** 31), 2 ** 31 - 1], long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] } as const;

class Checker {
  readonly problems: ValidationProblem[] = [];

  constructor(private readonly rules: ValidationRules) {}

  add(path: string, message: string): void {
    this.problems.push({ path: path || "input", message });
  }

  range(path: string, size: number, shape: { min?: number; max?: number }, unit: string): void {
    // "1 character", "2 characters": the unit is given in the plural.
    const units = (n: number): string => `${n} ${n === 1 ? unit.replace(/(ies|s)$/, (m) => (m === "ies" ? "y" : "")) : unit}`;
    if (shape.min !== undefined && size < shape.min) this.add(path, `must have at least ${units(shape.min)}`);
    if (this.rules === "service" && shape.max !== undefined && size > shape.max) this.add(path, `must have at most ${units(shape.max)}`);
  }

  value(path: string, shapeName: string, value: unknown): void {
    const shape: ShapeSchema = shapeOf(shapeName);
    switch (shape.type) {
      case "string":
        if (typeof value !== "string") return this.add(path, "must be a string");
        this.range(path, codePoints(value), shape, "characters");
        if (this.rules === "service" && shape.pattern && !regex(shape.pattern).test(value)) this.add(path, `must match the pattern ${shape.pattern}`);
        return;
      case "integer":
      case "long":
        if (typeof value !== "number" || !Number.isInteger(value)) return this.add(path, "must be an integer");
        // The range of the type is the service's to enforce too (botocore checks only the type).
        if (this.rules === "service" && (value < INTEGER_RANGE[shape.type][0] || value > INTEGER_RANGE[shape.type][1])) {
          return this.add(path, shape.type === "integer" ? "must be a 32-bit integer" : "must be a safe integer (within ±(2^53 - 1))");
        }
        if (shape.min !== undefined && value < shape.min) this.add(path, `must be at least ${shape.min}`);
        if (this.rules === "service" && shape.max !== undefined && value > shape.max) this.add(path, `must be at most ${shape.max}`);
        return;
      case "boolean":
        if (typeof value !== "boolean") this.add(path, "must be a boolean");
        return;
      case "timestamp":
        if (!(value instanceof Date) || Number.isNaN(value.getTime())) this.add(path, "must be a valid Date");
        return;
      case "list":
        if (!Array.isArray(value)) return this.add(path, "must be a list");
        this.range(path, value.length, shape, "items");
        value.forEach((item, i) => {
          if (item == null) this.add(`${path}[${i}]`, "must not be null");
          else this.value(`${path}[${i}]`, shape.member, item);
        });
        return;
      case "map":
        if (!isPlainObject(value)) return this.add(path, "must be an object map");
        this.range(path, Object.keys(value).length, shape, "entries");
        for (const [key, item] of Object.entries(value)) {
          this.value(`${path}{key ${JSON.stringify(key)}}`, shape.key, key);
          if (item == null) this.add(`${path}.${key}`, "must not be null");
          else this.value(`${path}.${key}`, shape.value, item);
        }
        return;
      case "structure":
        if (!isPlainObject(value)) return this.add(path, "must be an object");
        return this.structure(path, shape, value);
    }
  }

  structure(path: string, shape: StructureSchema, value: Record<string, unknown>): void {
    const prefix = path ? `${path}.` : "";
    for (const name of shape.required ?? []) {
      if (value[name] == null) this.add(`${prefix}${name}`, "is required");
    }
    const set: string[] = [];
    for (const [name, item] of Object.entries(value)) {
      if (item == null) continue;
      const member = hasOwn(shape.members, name) ? shape.members[name] : undefined;
      if (!member) {
        if (shape.union && name === "$unknown") set.push(name);
        continue;
      }
      set.push(name);
      this.value(`${prefix}${name}`, member.shape, item);
    }
    if (shape.union && set.length !== 1) {
      const names = Object.keys(shape.members).join(", ");
      this.add(path, `must set exactly one of ${names} (found ${set.length ? set.join(", ") : "none"})`);
    }
  }
}

/** Every problem of `value` against the structure `shapeName` under `rules`; empty when it is valid. */
export function validateShape(shapeName: string, value: unknown, rules: ValidationRules = "service"): ValidationProblem[] {
  const checker = new Checker(rules);
  checker.value("", shapeName, value);
  return checker.problems;
}

/** One line listing the problems, for error messages. */
export function describeProblems(problems: readonly ValidationProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join("; ");
}
