/**
 * Endpoint, FIPS, dual-stack and app id settings from the environment and the profile, the way
 * the AWS CLI reads them. The profile file is only read when `readProfile` is true: a client given
 * both region and credentials does no file I/O. Each setting reads its own variables when it is
 * asked for, so that a setting the caller gave reads nothing.
 */
import type { LoadedProfile } from "./profile";
import { envVar } from "../platform/runtime";

/** A boolean setting from the environment or the profile (`true`/`false`). */
function booleanSetting(envName: string, profileValue: string | undefined): boolean | undefined {
  const raw = envVar(envName) ?? profileValue;
  if (raw === undefined) return undefined;
  return raw.toLowerCase() === "true";
}

/** The settings of the environment and the profile, each read when called. */
export interface EnvironmentSettings {
  endpoint(): string | undefined;
  useFipsEndpoint(): boolean | undefined;
  useDualstackEndpoint(): boolean | undefined;
  /** AWS_SDK_UA_APP_ID, else the profile's `sdk_ua_app_id`. */
  userAgentAppId(): string | undefined;
}

const SERVICE_KEY = "lambda_microvms";

/**
 * The settings of the environment and the profile. `ignoreEndpoints` is the client's
 * `ignoreConfiguredEndpointUrls` option, which the environment and profile keys also set.
 */
export async function environmentSettings(profileOption: string | undefined, readProfile: boolean, ignoreEndpoints = false): Promise<EnvironmentSettings> {
  // The file reader is loaded only when the profile is read: a client given region and
  // credentials loads neither.
  const profile: LoadedProfile | undefined = readProfile ? await (await import("./profile")).loadProfile(profileOption) : undefined;
  const values = profile?.config ?? {};
  return {
    endpoint() {
      if (ignoreEndpoints || booleanSetting("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", values.ignore_configured_endpoint_urls) === true) return undefined;
      return (
        envVar("AWS_ENDPOINT_URL_LAMBDA_MICROVMS") ||
        envVar("AWS_ENDPOINT_URL") ||
        profile?.services[`${SERVICE_KEY}.endpoint_url`] ||
        values.endpoint_url ||
        undefined
      );
    },
    useFipsEndpoint: () => booleanSetting("AWS_USE_FIPS_ENDPOINT", values.use_fips_endpoint),
    useDualstackEndpoint: () => booleanSetting("AWS_USE_DUALSTACK_ENDPOINT", values.use_dualstack_endpoint),
    userAgentAppId: () => envVar("AWS_SDK_UA_APP_ID") || values.sdk_ua_app_id || undefined,
  };
}
