/** Copies a value with every `sensitive` member replaced, for logs and error messages. */
import { findShape, shapeOf, type ShapeSchema } from "./schema";

export const SENSITIVE_STRING = "***SensitiveInformation***";

/**
 * True when `shapeName` holds a sensitive value anywhere inside it; with `unions`, also when it
 * holds a union, whose members this SDK does not know yet (`$unknown`) may be sensitive.
 */
function hasSensitive(shapeName: string, unions: boolean, seen = new Set<string>()): boolean {
  if (seen.has(shapeName)) return false;
  seen.add(shapeName);
  const shape: ShapeSchema | undefined = findShape(shapeName);
  if (!shape) return false;
  switch (shape.type) {
    case "string":
      return shape.sensitive === true;
    case "list":
      return hasSensitive(shape.member, unions, seen);
    case "map":
      return hasSensitive(shape.value, unions, seen);
    case "structure":
      return (unions && shape.union === true) || Object.values(shape.members).some((m) => hasSensitive(m.shape, unions, seen));
    default:
      return false;
  }
}

/** Answers per shape, computed once: `redact` asks at every level of every value it walks. */
const sensitiveShapes = new Map<string, boolean>();

/** True when a value of shape `shapeName` may hold a `sensitive` member anywhere inside it. */
export function containsSensitive(shapeName: string): boolean {
  let answer = sensitiveShapes.get(shapeName);
  if (answer === undefined) {
    answer = hasSensitive(shapeName, false);
    sensitiveShapes.set(shapeName, answer);
  }
  return answer;
}

const redactedShapes = new Map<string, boolean>();

/** True when a value of shape `shapeName` may need redacting: a sensitive member or a union inside it. */
function needsRedaction(shapeName: string): boolean {
  let answer = redactedShapes.get(shapeName);
  if (answer === undefined) {
    answer = hasSensitive(shapeName, true);
    redactedShapes.set(shapeName, answer);
  }
  return answer;
}

/**
 * A copy of `value` (of shape `shapeName`) that is safe to log: sensitive members and the values
 * of union members this SDK does not know (`$unknown`, name kept) replaced.
 */
export function redact(shapeName: string, value: unknown): unknown {
  if (value == null || !needsRedaction(shapeName)) return value;
  const shape = shapeOf(shapeName);
  switch (shape.type) {
    case "string":
      return SENSITIVE_STRING;
    case "list":
      return Array.isArray(value) ? value.map((item) => redact(shape.member, item)) : value;
    case "map":
      return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, redact(shape.value, v)]));
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as object)) {
        const member = shape.members[k];
        out[k] = member ? redact(member.shape, v) : k === "$unknown" ? unknownMember(v) : v;
      }
      return out;
    }
    default:
      return value;
  }
}

/** An unknown union member, `[name, value]`, with its value hidden. */
function unknownMember(value: unknown): unknown {
  return Array.isArray(value) ? [value[0], SENSITIVE_STRING] : SENSITIVE_STRING;
}
