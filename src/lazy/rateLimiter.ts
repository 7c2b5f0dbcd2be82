/**
 * The adaptive retry mode's rate limiter, loaded with `import()` by the clients that use that mode.
 * Importing it through this module rather than `import("@smithy/core/retry")` lets bundlers keep
 * only the limiter instead of the whole retry module.
 */
export { DefaultRateLimiter } from "@smithy/core/retry";
