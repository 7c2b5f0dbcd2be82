/**
 * Client configuration: what users pass, and what the client resolves from it. Resolution is
 * lazy: nothing is read or checked until the first call, and the result is kept per client.
 */
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  Endpoint,
  EndpointV2,
  HttpHandlerOptions,
  Logger,
  Provider,
  RequestHandler,
  RetryStrategyV2,
} from "@smithy/types";
import type { HttpRequest, HttpResponse } from "@smithy/protocol-http";
import { KeepAliveHttpHandler } from "../http/KeepAliveHttpHandler";
import { resolveEndpoint } from "../endpoint/resolveEndpoint";

/** Options of {@link LambdaMicrovmsClient}. Every option may be left out. */
export interface LambdaMicrovmsClientConfig {
  /**
   * AWS region to call, e.g. `"us-east-1"`. Required unless it comes from the environment or the
   * profile.
   * @default AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region` (`~/.aws/config`)
   * @example { region: "eu-west-1" }
   */
  region?: string | Provider<string>;
  /**
   * Credentials, or a provider function (any of `@aws-sdk/credential-providers`, e.g.
   * `fromIni({ profile })` for SSO and assume-role profiles). Providers are called for every
   * request, so they should cache (theirs do).
   * @default the default chain, resolved at the first call and cached: environment
   * (AWS_ACCESS_KEY_ID, …), the shared files (static keys, `credential_process`), container
   * credentials, EC2 instance metadata (IMDSv2)
   */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * A custom endpoint, e.g. the local emulator's `"http://127.0.0.1:4566"`. A path prefix is
   * kept. Cannot be combined with `useFipsEndpoint` or `useDualstackEndpoint`.
   * @default AWS_ENDPOINT_URL_LAMBDA_MICROVMS, else AWS_ENDPOINT_URL, else the profile's
   * `endpoint_url` (its `services` section first), unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
   * else `https://lambda.{region}.amazonaws.com` (per the region's partition)
   */
  endpoint?: string | Endpoint | EndpointV2 | Provider<string | Endpoint | EndpointV2>;
  /** Use the FIPS endpoint. @default AWS_USE_FIPS_ENDPOINT, else the profile's `use_fips_endpoint`, else false */
  useFipsEndpoint?: boolean | Provider<boolean>;
  /** Use the dual-stack (IPv4 and IPv6) endpoint. @default AWS_USE_DUALSTACK_ENDPOINT, else the profile's `use_dualstack_endpoint`, else false */
  useDualstackEndpoint?: boolean | Provider<boolean>;
  /**
   * The HTTP handler: any smithy `RequestHandler`, e.g. `NodeHttpHandler` from
   * `@smithy/node-http-handler`. @default a {@link KeepAliveHttpHandler} (keep-alive agents, at
   * most 50 sockets per protocol) with this config's `requestTimeout` and `connectionTimeout`
   */
  requestHandler?: RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions>;
  /**
   * A console-like logger (`debug`/`info`/`warn`/`error`): one `info` line per call
   * (`LambdaMicrovms.<Operation> status=… attempts=… durationMs=… requestId=…`), the redacted input
   * and output at `debug`. Secrets and `sensitive` members are never passed to it. @default none
   */
  logger?: Logger;
  /**
   * Attempts per call, the first included. When absent: `AWS_MAX_ATTEMPTS`, then `max_attempts`
   * in the profile. @default 3
   */
  maxAttempts?: number | Provider<number>;
  /**
   * `"standard"` (backoff and a per-client retry budget) or `"adaptive"` (also a client-side
   * rate limiter that slows down under throttling). When absent: `AWS_RETRY_MODE`, then
   * `retry_mode` in the profile. @default "standard"
   */
  retryMode?: string | Provider<string>;
  /** Milliseconds to add to the local clock when signing (corrected automatically on skew). @default 0 */
  systemClockOffset?: number;
  /** Appended to the user agent, e.g. `"my-app/1.2"`. */
  customUserAgent?: string;
  /** Check inputs against the model before sending. @default true */
  validateParams?: boolean;
  /** An application id appended to the user agent as `app/<id>`. @default AWS_SDK_UA_APP_ID, else the profile's `sdk_ua_app_id` */
  userAgentAppId?: string;
  /** The profile of the shared config files to read. @default AWS_PROFILE, else "default" */
  profile?: string;
  /** A custom smithy retry strategy; replaces `maxAttempts`/`retryMode`. */
  retryStrategy?: RetryStrategyV2;
  /** Longest `Retry-After` (seconds) the client waits for before the next attempt. @default 20 */
  maxRetryAfterSeconds?: number;
  /**
   * Milliseconds one attempt may take, reading the response body included, before it fails
   * with a (retried) `TimeoutError`. 0 removes the bound. @default 30000
   */
  requestTimeout?: number;
  /** Milliseconds to wait for a connection before the attempt fails. @default 5000 */
  connectionTimeout?: number;
}

/** Keys accepted for compatibility with the official client's configuration; they have no effect here. */
const IGNORED_KEYS = new Set([
  "apiVersion",
  "cacheMiddleware",
  "defaultsMode",
  "disableHostPrefix",
  "extensions",
  "runtime",
  "serviceId",
  "signingEscapePath",
  "urlParser",
  "base64Decoder",
  "base64Encoder",
  "utf8Decoder",
  "utf8Encoder",
  "streamCollector",
  "bodyLengthChecker",
  "sha256",
  "authSchemePreference",
  "requestChecksumCalculation",
  "responseChecksumValidation",
]);

const KNOWN_KEYS = new Set<string>([
  "region",
  "credentials",
  "endpoint",
  "useFipsEndpoint",
  "useDualstackEndpoint",
  "requestHandler",
  "logger",
  "maxAttempts",
  "retryMode",
  "retryStrategy",
  "systemClockOffset",
  "customUserAgent",
  "validateParams",
  "requestTimeout",
  "connectionTimeout",
  "maxRetryAfterSeconds",
  "profile",
  "userAgentAppId",
]);

/** A configuration problem, reported at the first call. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

/** Calls a provider, or returns the plain value. */
export async function valueOf<T>(value: T | Provider<T> | undefined): Promise<T | undefined> {
  return typeof value === "function" ? (value as Provider<T>)() : value;
}

function endpointText(value: string | Endpoint | EndpointV2): string {
  if (typeof value === "string") return value;
  if ("url" in value) return value.url.href;
  const port = value.port ? `:${value.port}` : "";
  return `${value.protocol.replace(/:?$/, ":")}//${value.hostname}${port}${value.path ?? ""}`;
}

/** Rejects unknown keys with a hint, so that a typo does not silently fall back to a default. */
export function checkKeys(config: object): void {
  for (const key of Object.keys(config)) {
    if (KNOWN_KEYS.has(key) || IGNORED_KEYS.has(key)) continue;
    const near = [...KNOWN_KEYS].find((k) => k.toLowerCase() === key.toLowerCase());
    throw new ConfigurationError(`Unknown client option "${key}"${near ? ` (did you mean "${near}"?)` : ""}.`);
  }
}

export interface ResolvedEndpoint {
  readonly region: string;
  readonly url: URL;
  /** The app id for the user agent from AWS_SDK_UA_APP_ID or the profile's `sdk_ua_app_id`. */
  readonly userAgentAppId?: string | undefined;
}

/** Region and endpoint URL, or a {@link ConfigurationError} that says what to change. */
export async function resolveRegionAndEndpoint(
  config: LambdaMicrovmsClientConfig,
  defaultRegion: (profile?: string) => Promise<string | undefined>,
): Promise<ResolvedEndpoint> {
  checkKeys(config);
  const region = (await valueOf(config.region)) ?? (await defaultRegion(config.profile));
  const custom = await valueOf(config.endpoint);
  // Given region and credentials, the client reads no file: only the environment is consulted.
  const readProfile = !(config.region && config.credentials);
  const env = await (await import("../config/environment")).environmentSettings(config.profile, readProfile);
  const useFips = (await valueOf(config.useFipsEndpoint)) ?? env.useFipsEndpoint ?? false;
  const useDualstack = (await valueOf(config.useDualstackEndpoint)) ?? env.useDualstackEndpoint ?? false;
  if (!region) {
    throw new ConfigurationError(
      "Region is missing: pass { region } to the client, or set AWS_REGION (or AWS_DEFAULT_REGION), or set region in your AWS profile (~/.aws/config, AWS_PROFILE).",
    );
  }
  const endpoint = custom === undefined ? env.endpoint : endpointText(custom);
  try {
    return { region, url: resolveEndpoint({ Region: region, UseFIPS: useFips, UseDualStack: useDualstack, Endpoint: endpoint }), userAgentAppId: env.userAgentAppId };
  } catch (error) {
    throw new ConfigurationError((error as Error).message);
  }
}

/** The default HTTP handler: keep-alive sockets, so repeated calls reuse connections. */
export function defaultRequestHandler(config: { requestTimeout?: number; connectionTimeout?: number }): KeepAliveHttpHandler {
  return new KeepAliveHttpHandler({ requestTimeout: config.requestTimeout, connectionTimeout: config.connectionTimeout });
}
