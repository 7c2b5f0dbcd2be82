/**
 * Object keys that come from the network. A JSON map may hold any string as a key, `__proto__`
 * and `constructor` included, and those must stay plain data: looking one up in a table must not
 * find what every object inherits, and storing one must not change an object's prototype.
 */

/** True when `key` is one of `table`'s own entries, never one inherited from `Object.prototype`. */
export const hasOwn = (table: object, key: string): boolean => Object.prototype.hasOwnProperty.call(table, key);

/**
 * Stores `value` under `key` as an own, enumerable property. A plain assignment to `__proto__`
 * would replace the object's prototype instead (or, for a non-object value, do nothing at all).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
