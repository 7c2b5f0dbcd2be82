/**
 * Configuration checks and the per-client resolution of where calls go (region and endpoint
 * URL), done at the first call and kept: nothing is read or checked at construction.
 */
import { parseUrl } from "@smithy/core/transport";
import type { Endpoint, EndpointV2, Provider, UrlParser } from "@smithy/types";
import type { FullResolvedConfig } from "./configTypes";
import { EndpointError } from "../endpoint/resolveEndpoint";

/** A configuration problem, reported at the first call. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

/** Calls a provider, or returns the plain value. */
export async function valueOf<T>(value: T | Provider<T> | undefined): Promise<T | undefined> {
  return typeof value === "function" ? (value as Provider<T>)() : value;
}

/** Remembers a successful result; a failure is not remembered, so a later call tries again. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= fn().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}

/** Every option of the official client's configuration, and this client's own. */
const KNOWN_KEYS = new Set<string>([
  // The official client's (LambdaMicrovmsClientConfig).
  "apiVersion",
  "authSchemePreference",
  "base64Decoder",
  "base64Encoder",
  "bodyLengthChecker",
  "cacheMiddleware",
  "credentialDefaultProvider",
  "credentials",
  "customUserAgent",
  "defaultUserAgentProvider",
  "defaultsMode",
  "disableClockSkewCorrection",
  "disableHostPrefix",
  "endpoint",
  "endpointProvider",
  "extensions",
  "httpAuthSchemeProvider",
  "httpAuthSchemes",
  "ignoreConfiguredEndpointUrls",
  "logger",
  "maxAttempts",
  "profile",
  "protocol",
  "protocolSettings",
  "region",
  "requestHandler",
  "retryMode",
  "retryStrategy",
  "runtime",
  "serviceConfiguredEndpoint",
  "serviceId",
  "sha256",
  "signer",
  "signerConstructor",
  "signingEscapePath",
  "signingRegion",
  "streamCollector",
  "systemClockOffset",
  "tls",
  "urlParser",
  "useDualstackEndpoint",
  "useFipsEndpoint",
  "userAgentAppId",
  "utf8Decoder",
  "utf8Encoder",
  // Shared settings of other AWS clients that people pass to every client alike.
  "requestChecksumCalculation",
  "responseChecksumValidation",
  // This client's own.
  "connectionTimeout",
  "maxRetryAfterSeconds",
  "requestTimeout",
  "validateParams",
]);

/** Rejects unknown keys with a hint, so that a typo does not silently fall back to a default. */
export function checkKeys(config: object): void {
  for (const key of Object.keys(config)) {
    if (KNOWN_KEYS.has(key)) continue;
    const near = [...KNOWN_KEYS].find((k) => k.toLowerCase() === key.toLowerCase());
    throw new ConfigurationError(`Unknown client option "${key}"${near ? ` (did you mean "${near}"?)` : ""}.`);
  }
}

/** The endpoint, as `client.config.endpoint()` gives it (smithy's `Endpoint`); strings go through `urlParser`. */
export function toEndpointV1(value: string | Endpoint | EndpointV2, urlParser: UrlParser = parseUrl): Endpoint {
  if (typeof value === "string") return urlParser(value);
  if ("url" in value) return urlParser(value.url);
  return value;
}

/** An `Endpoint` as a URL string (path prefix kept). */
export function endpointText(endpoint: Endpoint): string {
  const protocol = endpoint.protocol.replace(/:?$/, ":");
  const port = endpoint.port ? `:${endpoint.port}` : "";
  return `${protocol}//${endpoint.hostname}${port}${endpoint.path ?? ""}`;
}

/** Where a client's calls go, worked out at its first call. */
export interface Target {
  /** The client's region. */
  readonly region: string;
  /** The region the signatures name (`signingRegion`, else the region). */
  readonly signingRegion: string;
  readonly url: URL;
}

const targets = new WeakMap<object, () => Promise<Target>>();

/** Region and endpoint URL of `config`, or a {@link ConfigurationError} that says what to change. */
export function targetOf(config: FullResolvedConfig): Promise<Target> {
  let resolve = targets.get(config);
  if (resolve === undefined) {
    resolve = once(() => resolveTarget(config));
    targets.set(config, resolve);
  }
  return resolve();
}

async function resolveTarget(config: FullResolvedConfig): Promise<Target> {
  checkKeys(config.input);
  const region = await config.region();
  const [useFips, useDualstack] = await Promise.all([config.useFipsEndpoint(), config.useDualstackEndpoint()]);
  const custom = config.endpoint ? endpointText(await config.endpoint()) : await config.serviceConfiguredEndpoint?.();
  try {
    const { url } = config.endpointProvider({ Region: region, UseFIPS: useFips, UseDualStack: useDualstack, Endpoint: custom }, { logger: config.logger });
    return { region, signingRegion: config.input.signingRegion ?? region, url: new URL(url.href) };
  } catch (error) {
    throw error instanceof EndpointError ? new ConfigurationError(error.message) : error;
  }
}
