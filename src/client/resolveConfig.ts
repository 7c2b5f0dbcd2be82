/**
 * Builds `client.config` from the options: every member the official client's resolved
 * configuration has (providers such as `region()`, `maxAttempts()`, `credentials()`, `signer()`,
 * `endpoint()` for a custom endpoint), filled from the options or the defaults, then changed by
 * the runtime extensions. Nothing is read or checked here: the providers do that when called.
 */
import { NoOpLogger } from "@smithy/core/client";
import { parseUrl } from "@smithy/core/transport";
import type { AwsCredentialIdentityProvider, Endpoint, EndpointV2, Provider, RequestSigner, UrlParser } from "@smithy/types";
import type { EndpointParameters, FullResolvedConfig, LambdaMicrovmsClientConfig, LambdaMicrovmsHttpAuthSchemeProvider } from "./configTypes";
import { bodyLength, collectStream, fromBase64, fromUtf8, toBase64, toUtf8 } from "./codecs";
import { once, targetOf, toEndpointV1, valueOf } from "./config";
import { memoizeCredentials, defaultCredentials } from "./defaults";
import { defaultsModeProvider } from "./defaultsMode";
import { applyExtensions, credentialsProvider } from "./extensions";
import { resolveRequestHandler } from "./requestHandler";
import { settingProviders } from "./settings";
import { defaultUserAgentProvider, userAgentPairs } from "./userAgent";
import { SigV4HttpSigner } from "../auth/httpSigner";
import { LambdaMicrovmsSigner, Sha256 } from "../auth/signer";
import { resolveEndpoint } from "../endpoint/resolveEndpoint";
import { ClassicRetryStrategy, RetryQuota } from "../middleware/retry";
import { SERVICE } from "../protocol/schema.generated";
import { RUNTIME } from "../platform/runtime";

const SIGV4 = "aws.auth#sigv4";

/** The endpoint rules as smithy's `endpointProvider` shape. */
export function defaultEndpointProvider(params: EndpointParameters): EndpointV2 {
  return { url: resolveEndpoint(params) };
}

/** This service has one auth scheme: SigV4, with the signing name and the client's region. */
const defaultAuthSchemeProvider: LambdaMicrovmsHttpAuthSchemeProvider = (params) => [
  { schemeId: SIGV4, signingProperties: { name: SERVICE.signingName, region: params.region } },
];

function credentialsOf(input: LambdaMicrovmsClientConfig): AwsCredentialIdentityProvider {
  if (input.credentials !== undefined) return credentialsProvider(input.credentials);
  if (input.credentialDefaultProvider !== undefined) return memoizeCredentials(input.credentialDefaultProvider(input));
  return defaultCredentials(input.profile);
}

/** The `signer` provider: the caller's signer, or SigV4 for the resolved region, made once. */
function signerOf(input: LambdaMicrovmsClientConfig, config: FullResolvedConfig): () => Promise<RequestSigner> {
  const given = input.signer;
  if (typeof given === "function") return given;
  if (given !== undefined) return async () => given;
  return once(async () => {
    const { signingRegion } = await targetOf(config);
    const options = {
      service: SERVICE.signingName,
      region: signingRegion,
      credentials: (identity?: Record<string, unknown>) => config.credentials(identity),
      sha256: config.sha256,
      uriEscapePath: config.signingEscapePath,
      applyChecksum: true,
    };
    return input.signerConstructor ? new input.signerConstructor(options) : new LambdaMicrovmsSigner(options);
  });
}

/** `client.config.endpoint`: a provider of the custom endpoint as an `Endpoint`, only when one was given. */
function endpointOf(given: LambdaMicrovmsClientConfig["endpoint"], urlParser: UrlParser): Provider<Endpoint> | undefined {
  if (given === undefined) return undefined;
  return async () => toEndpointV1((await valueOf(given as string | Endpoint | EndpointV2 | Provider<string | Endpoint | EndpointV2>))!, urlParser);
}

function booleanProvider(value: boolean | Provider<boolean> | undefined): Provider<boolean> {
  return async () => (await valueOf(value)) ?? false;
}

/** `client.config` for the options `input`. */
export function resolveClientConfig(input: LambdaMicrovmsClientConfig): FullResolvedConfig {
  const settings = settingProviders(input);
  const logger = input.logger ?? new NoOpLogger();
  const quota = new RetryQuota();
  const retryMode = settings.retryMode;
  const config: FullResolvedConfig = {
    apiVersion: "2025-09-09",
    serviceId: SERVICE.serviceId,
    defaultSigningName: SERVICE.signingName,
    runtime: input.runtime ?? RUNTIME,
    requestHandler: resolveRequestHandler(input.requestHandler, { requestTimeout: input.requestTimeout, connectionTimeout: input.connectionTimeout, logger: input.logger }),
    cacheMiddleware: input.cacheMiddleware ?? false,
    protocolSettings: input.protocolSettings ?? {},
    sha256: input.sha256 ?? Sha256,
    urlParser: input.urlParser ?? parseUrl,
    bodyLengthChecker: input.bodyLengthChecker ?? bodyLength,
    streamCollector: input.streamCollector ?? collectStream,
    base64Decoder: input.base64Decoder ?? fromBase64,
    base64Encoder: input.base64Encoder ?? toBase64,
    utf8Decoder: input.utf8Decoder ?? fromUtf8,
    utf8Encoder: input.utf8Encoder ?? toUtf8,
    disableHostPrefix: input.disableHostPrefix ?? false,
    region: settings.region,
    useFipsEndpoint: settings.useFipsEndpoint,
    useDualstackEndpoint: settings.useDualstackEndpoint,
    // As in the official client: undefined at run time unless given.
    profile: input.profile as string,
    defaultUserAgentProvider: input.defaultUserAgentProvider ?? defaultUserAgentProvider,
    credentialDefaultProvider: input.credentialDefaultProvider ?? ((options: { profile?: string } | undefined) => defaultCredentials(options?.profile)),
    maxAttempts: settings.maxAttempts,
    retryMode,
    logger,
    extensions: input.extensions ?? [],
    defaultsMode: defaultsModeProvider(input.defaultsMode, settings.region),
    customUserAgent: userAgentPairs(input.customUserAgent),
    userAgentAppId: settings.userAgentAppId,
    retryStrategy: once(async () => {
      if (input.retryStrategy !== undefined) return input.retryStrategy;
      return new ClassicRetryStrategy(await retryMode(), {
        maxAttempts: settings.maxAttempts,
        retryMode,
        maxRetryAfterMs: (input.maxRetryAfterSeconds ?? 20) * 1000,
        quota,
        // Loaded only by clients that use the adaptive mode.
        rateLimiter: once(async () => new (await import("../lazy/rateLimiter")).DefaultRateLimiter()),
        clock: config,
        disableClockSkewCorrection: () => config.disableClockSkewCorrection(),
      });
    }),
    endpoint: endpointOf(input.endpoint, input.urlParser ?? parseUrl),
    endpointProvider: input.endpointProvider ?? defaultEndpointProvider,
    tls: input.tls ?? true,
    isCustomEndpoint: input.endpoint !== undefined,
    ignoreConfiguredEndpointUrls: input.ignoreConfiguredEndpointUrls ?? false,
    serviceConfiguredEndpoint: settings.serviceConfiguredEndpoint,
    authSchemePreference: async () => (await valueOf(input.authSchemePreference)) ?? [],
    httpAuthSchemes: input.httpAuthSchemes ?? [],
    httpAuthSchemeProvider: input.httpAuthSchemeProvider ?? defaultAuthSchemeProvider,
    credentials: credentialsOf(input),
    signer: undefined as never,
    signingEscapePath: input.signingEscapePath ?? true,
    systemClockOffset: input.systemClockOffset ?? 0,
    disableClockSkewCorrection: booleanProvider(input.disableClockSkewCorrection),
    validateParams: input.validateParams !== false,
    maxRetryAfterSeconds: input.maxRetryAfterSeconds ?? 20,
    input,
  };
  config.signer = signerOf(input, config);
  if (input.httpAuthSchemes === undefined) {
    config.httpAuthSchemes.push({ schemeId: SIGV4, identityProvider: (ipc) => ipc.getIdentityProvider(SIGV4), signer: new SigV4HttpSigner(config) });
  }
  applyExtensions(config);
  return config;
}
