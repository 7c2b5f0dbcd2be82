/**
 * Runtime extensions (`extensions` option): each one is given the hooks the official client gives
 * (region, HTTP handler, auth schemes and credentials, retry strategy, checksum algorithms), and
 * what it sets is written back into the resolved configuration, which the middleware reads at
 * every call.
 */
import { getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig } from "@smithy/core/client";
import { getHttpHandlerExtensionConfiguration, resolveHttpHandlerRuntimeConfig } from "@smithy/core/protocols";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpAuthScheme, Provider } from "@smithy/types";
import type { LambdaMicrovmsClientResolvedConfig, LambdaMicrovmsExtensionConfiguration, LambdaMicrovmsHttpAuthSchemeProvider } from "./configTypes";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Normalizes credentials given as a value or a provider into a provider. */
export function credentialsProvider(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  return typeof credentials === "function" ? credentials : async () => credentials;
}

function regionHooks(config: Mutable<LambdaMicrovmsClientResolvedConfig>) {
  return {
    setRegion(region: Provider<string>) {
      config.region = region;
    },
    region: (): Provider<string> => config.region,
  };
}

function authHooks(config: Mutable<LambdaMicrovmsClientResolvedConfig>) {
  return {
    setHttpAuthScheme(scheme: HttpAuthScheme) {
      const index = config.httpAuthSchemes.findIndex((s) => s.schemeId === scheme.schemeId);
      if (index === -1) config.httpAuthSchemes.push(scheme);
      else config.httpAuthSchemes.splice(index, 1, scheme);
    },
    httpAuthSchemes: (): HttpAuthScheme[] => config.httpAuthSchemes,
    setHttpAuthSchemeProvider(provider: LambdaMicrovmsHttpAuthSchemeProvider) {
      config.httpAuthSchemeProvider = provider;
    },
    httpAuthSchemeProvider: (): LambdaMicrovmsHttpAuthSchemeProvider => config.httpAuthSchemeProvider,
    setCredentials(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider) {
      config.credentials = credentialsProvider(credentials);
    },
    credentials: (): AwsCredentialIdentityProvider => config.credentials,
  };
}

/** Runs the extensions against `config`, in order, and applies what they set. */
export function applyExtensions(config: LambdaMicrovmsClientResolvedConfig): void {
  if (config.extensions.length === 0) return;
  const target = config as Mutable<LambdaMicrovmsClientResolvedConfig>;
  const hooks = Object.assign(
    regionHooks(target),
    getDefaultExtensionConfiguration(target),
    getHttpHandlerExtensionConfiguration(target as Parameters<typeof getHttpHandlerExtensionConfiguration>[0]),
    authHooks(target),
  ) as unknown as LambdaMicrovmsExtensionConfiguration;
  for (const extension of config.extensions) extension.configure(hooks);
  Object.assign(target, { region: hooks.region() }, resolveDefaultRuntimeConfig(hooks), resolveHttpHandlerRuntimeConfig(hooks), {
    httpAuthSchemes: hooks.httpAuthSchemes(),
    httpAuthSchemeProvider: hooks.httpAuthSchemeProvider(),
  });
  const credentials = hooks.credentials();
  if (credentials !== undefined) target.credentials = credentialsProvider(credentials);
}
