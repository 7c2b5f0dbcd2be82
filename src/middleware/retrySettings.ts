/**
 * `maxAttempts` and `retryMode` as the official client finds them: the client option, then the
 * environment (`AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`), then the profile's `max_attempts` and
 * `retry_mode` in the shared config file, then 3 and `"standard"`.
 */
import type { Provider } from "@smithy/types";
import { ConfigurationError, valueOf } from "../client/config";
import { envVar } from "../platform/runtime";

/** The retry modes this client knows. */
export type RetryMode = "standard" | "adaptive";

export interface RetrySettingsInput {
  maxAttempts?: number | Provider<number> | undefined;
  retryMode?: string | Provider<string> | undefined;
  profile?: string | undefined;
  /** False when the client must not read files (given both region and credentials). */
  readProfile: boolean;
}

async function profileValue(input: RetrySettingsInput, key: string): Promise<string | undefined> {
  if (!input.readProfile) return undefined;
  const { loadProfile } = await import("../config/profile");
  return (await loadProfile(input.profile)).config[key] || undefined;
}

function parseMaxAttempts(raw: unknown): number {
  if (raw === undefined || raw === "") return 3;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new ConfigurationError(`maxAttempts must be a positive integer (the first attempt included); got ${String(raw)}.`);
  }
  return n;
}

/** `"legacy"` (an old SDK value) counts as standard. */
function parseRetryMode(raw: string | undefined): RetryMode {
  const mode = (raw ?? "standard").toLowerCase();
  if (mode === "standard" || mode === "legacy") return "standard";
  if (mode === "adaptive") return "adaptive";
  throw new ConfigurationError(`retryMode must be "standard" or "adaptive"; got "${raw}".`);
}

/** The two settings, read at each call; the environment and profile fallback is read once per client. */
export interface RetrySettings {
  maxAttempts(): Promise<number>;
  retryMode(): Promise<RetryMode>;
}

/** Memoizes a successful result; a failure is tried again at the next call. */
function lazy<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= fn().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}

export function retrySettings(input: RetrySettingsInput): RetrySettings {
  const envAttempts = lazy(async () => parseMaxAttempts(envVar("AWS_MAX_ATTEMPTS") ?? (await profileValue(input, "max_attempts"))));
  const envMode = lazy(async () => parseRetryMode(envVar("AWS_RETRY_MODE") ?? (await profileValue(input, "retry_mode"))));
  return {
    async maxAttempts() {
      const given = await valueOf(input.maxAttempts);
      return given !== undefined ? parseMaxAttempts(given) : envAttempts();
    },
    async retryMode() {
      const given = await valueOf(input.retryMode);
      return given !== undefined ? parseRetryMode(given) : envMode();
    },
  };
}
