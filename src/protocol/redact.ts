/** Copies a value with every `sensitive` member replaced, for logs and error messages. */
import { findShape, shapeOf, type ShapeSchema } from "./schema";

export const SENSITIVE_STRING = "***SensitiveInformation***";

/** True when `shapeName` holds a sensitive value anywhere inside it. */
function hasSensitive(shapeName: string, seen = new Set<string>()): boolean {
  if (seen.has(shapeName)) return false;
  seen.add(shapeName);
  const shape: ShapeSchema | undefined = findShape(shapeName);
  if (!shape) return false;
  switch (shape.type) {
    case "string":
      return shape.sensitive === true;
    case "list":
      return hasSensitive(shape.member, seen);
    case "map":
      return hasSensitive(shape.value, seen);
    case "structure":
      return Object.values(shape.members).some((m) => hasSensitive(m.shape, seen));
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
    answer = hasSensitive(shapeName);
    sensitiveShapes.set(shapeName, answer);
  }
  return answer;
}

/** A copy of `value` (of shape `shapeName`) that is safe to log. */
export function redact(shapeName: string, value: unknown): unknown {
  if (value == null || !containsSensitive(shapeName)) return value;
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
        out[k] = member ? redact(member.shape, v) : k === "$unknown" ? SENSITIVE_STRING : v;
      }
      return out;
    }
    default:
      return value;
  }
}
