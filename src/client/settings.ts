/**
 * The providers of `client.config` for settings that may come from the environment or the
 * shared config files, looked up as the AWS CLI and the official client look: the option, then
 * the environment, then the profile, then the default. They read nothing until called; the
 * environment and profile are read once per client, and the profile not at all when the client
 * was given both region and credentials.
 */
import type { Provider } from "@smithy/types";
import type { LambdaMicrovmsClientConfig } from "./configTypes";
import { ConfigurationError, once, valueOf } from "./config";
import { defaultRegion } from "./defaults";
import { retrySettings } from "../middleware/retrySettings";
import type { EnvironmentSettings } from "../config/environment";

export interface SettingProviders {
  region: Provider<string>;
  useFipsEndpoint: Provider<boolean>;
  useDualstackEndpoint: Provider<boolean>;
  maxAttempts: Provider<number>;
  retryMode: Provider<string>;
  userAgentAppId: Provider<string | undefined>;
  /** The endpoint from AWS_ENDPOINT_URL(_LAMBDA_MICROVMS) or the profile, unless ignored. */
  serviceConfiguredEndpoint: Provider<string | undefined>;
}

const MISSING_REGION =
  "Region is missing: pass { region } to the client, or set AWS_REGION (or AWS_DEFAULT_REGION), or set region in your AWS profile (~/.aws/config, AWS_PROFILE).";

export function settingProviders(input: LambdaMicrovmsClientConfig): SettingProviders {
  // Given region and credentials, the client reads no file: only the environment is consulted.
  const readProfile = !(input.region && input.credentials);
  const environment = once(
    async (): Promise<EnvironmentSettings> =>
      (await import("../config/environment")).environmentSettings(input.profile, readProfile, input.ignoreConfiguredEndpointUrls === true),
  );
  const retry = retrySettings({ maxAttempts: input.maxAttempts, retryMode: input.retryMode, profile: input.profile, readProfile });
  const fallbackRegion = once(async () => (await defaultRegion(input.profile)) ?? "");
  return {
    async region() {
      const region = (await valueOf(input.region)) || (await fallbackRegion());
      if (!region) throw new ConfigurationError(MISSING_REGION);
      return region;
    },
    async useFipsEndpoint() {
      return (await valueOf(input.useFipsEndpoint)) ?? (await environment()).useFipsEndpoint() ?? false;
    },
    async useDualstackEndpoint() {
      return (await valueOf(input.useDualstackEndpoint)) ?? (await environment()).useDualstackEndpoint() ?? false;
    },
    maxAttempts: retry.maxAttempts,
    retryMode: retry.retryMode,
    async userAgentAppId() {
      const given = await valueOf(input.userAgentAppId);
      return given !== undefined ? given : (await environment()).userAgentAppId();
    },
    async serviceConfiguredEndpoint() {
      return (await environment()).endpoint();
    },
  };
}
