/**
 * Where region and credentials come from when the caller gives none. Everything here runs at
 * the first call, never at construction; the chain's code is loaded only when needed.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { envVar } from "../platform/runtime";

/** Credentials are refreshed this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** Region: AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`. */
export async function defaultRegion(profile?: string): Promise<string | undefined> {
  const fromEnv = envVar("AWS_REGION") || envVar("AWS_DEFAULT_REGION");
  if (fromEnv) return fromEnv;
  const { loadProfile } = await import("../config/profile");
  return (await loadProfile(profile)).config.region || undefined;
}

/**
 * Caches a provider's credentials, refreshing them ahead of expiration; concurrent callers
 * share one resolution. When a refresh ahead of expiration fails, the credentials in hand are
 * used while they are still valid (a metadata service's brief outage does not fail calls).
 */
export function memoizeCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (identity: AwsCredentialIdentity): boolean =>
    !identity.expiration || identity.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS;
  return async (options) => {
    if (current && !options?.forceRefresh && fresh(current)) return current;
    pending ??= provider(options)
      .then(
        (identity) => (current = identity),
        (error: unknown) => {
          if (current && !options?.forceRefresh && (!current.expiration || current.expiration.getTime() > Date.now())) return current;
          throw error;
        },
      )
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

/** The default chain (environment, shared files, container, instance metadata), memoized. */
export function defaultCredentials(profile?: string): AwsCredentialIdentityProvider {
  return memoizeCredentials(async () => (await import("../auth/credentials/defaultChain")).resolveDefaultCredentials(profile));
}
