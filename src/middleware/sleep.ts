/** An abortable sleep for backoff and waiters. */

/**
 * The error a call rejects with once its AbortSignal fires: the official client's (an Error named
 * AbortError, "Request aborted"), with the signal's reason as its (non-enumerable) `cause`.
 */
export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  return Object.assign(new Error("Request aborted", reason === undefined ? undefined : { cause: reason }), { name: "AbortError" });
}

/** Waits `ms` milliseconds; rejects at once with an AbortError when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal fires once; the timer path removes the listener
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
