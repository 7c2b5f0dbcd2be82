/**
 * An input as the service code sees it: validated against the model, so its required members
 * (at any depth) are present, although the public types allow `undefined` for them.
 */
export type Validated<T> = T extends Date
  ? T
  : T extends readonly unknown[]
    ? { [K in keyof T]: Validated<T[K]> }
    : T extends object
      ? { [K in keyof T]: {} extends Pick<T, K> ? Validated<T[K]> : Validated<Exclude<T[K], undefined>> }
      : T;
