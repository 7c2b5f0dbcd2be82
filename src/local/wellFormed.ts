/**
 * Strings the service refuses whatever their shape: text that is not valid Unicode. JSON may
 * spell a lone UTF-16 surrogate (`"\ud800"`), which has no UTF-8 form, so the service could not
 * store it; the client is left lenient here and the emulator refuses it, naming the member.
 */
import type { ValidationProblem } from "../protocol/validate";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const MESSAGE = "must be valid Unicode (it holds an unpaired UTF-16 surrogate)";

/** Every string (value or map key) in a read input that holds an unpaired surrogate. */
export function illFormedStrings(value: unknown, path = ""): ValidationProblem[] {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? [{ path: path || "input", message: MESSAGE }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => illFormedStrings(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null || value instanceof Date) return [];
  const problems: ValidationProblem[] = [];
  for (const [key, item] of Object.entries(value)) {
    // The key itself is never quoted: it may be the bad string.
    if (LONE_SURROGATE.test(key)) problems.push({ path: `${path || "input"}{key}`, message: MESSAGE });
    else problems.push(...illFormedStrings(item, path ? `${path}.${key}` : key));
  }
  return problems;
}
