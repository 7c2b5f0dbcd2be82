/** The client: configuration, the middleware stack, and `send`. */
import { Client } from "@smithy/core/client";
import type {
  AwsCredentialIdentityProvider,
  HttpHandlerOptions,
  Logger,
  MetadataBearer,
  RequestHandler,
} from "@smithy/types";
import type { HttpRequest, HttpResponse } from "@smithy/protocol-http";
import type { SignatureV4 } from "@smithy/signature-v4";
import {
  defaultRequestHandler,
  resolveRegionAndEndpoint,
  valueOf,
  type LambdaMicrovmsClientConfig,
  type ResolvedEndpoint,
} from "./config";
import { defaultCredentials, defaultRegion } from "./defaults";
import { createSigner } from "../auth/signer";
import { getSerdePlugin } from "../middleware/serde";
import { idempotencyTokenPlugin } from "../middleware/idempotency";
import { getHeadersPlugin, userAgent } from "../middleware/headers";
import { getSigningPlugin } from "../middleware/signing";
import { validationPlugin } from "../middleware/validation";
import { getLoggerPlugin } from "../middleware/logger";
import { getRetryPlugin, RetryQuota, type RetryConfig } from "../middleware/retry";
import { retrySettings } from "../middleware/retrySettings";
import { getAttemptTimeoutPlugin } from "../middleware/attemptTimeout";

export type { LambdaMicrovmsClientConfig } from "./config";

/** The configuration a client runs with, after defaults; `client.config`. */
export interface LambdaMicrovmsResolvedConfig {
  readonly apiVersion: string;
  readonly requestHandler: RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions>;
  readonly logger: Logger | undefined;
  readonly credentials: AwsCredentialIdentityProvider;
  readonly maxAttempts: LambdaMicrovmsClientConfig["maxAttempts"];
  readonly retryMode: LambdaMicrovmsClientConfig["retryMode"];
  readonly validateParams: boolean;
  readonly customUserAgent: string | undefined;
  /** Milliseconds added to the local clock when signing; updated when the service reports skew. */
  systemClockOffset: number;
  /** Region and endpoint URL, resolved at the first call and kept. */
  readonly endpoint: () => Promise<ResolvedEndpoint>;
  /** The SigV4 signer for the resolved region. */
  readonly signer: () => Promise<SignatureV4>;
  /** The `user-agent` header value (with the app id once the profile has been read). */
  readonly userAgent: () => string;
  /** The options the client was made with. */
  readonly input: LambdaMicrovmsClientConfig;
}

function retryConfig(input: LambdaMicrovmsClientConfig, clock: { systemClockOffset: number }): RetryConfig {
  return {
    // Option, then AWS_MAX_ATTEMPTS/AWS_RETRY_MODE, then the profile (not read when region and credentials are given).
    ...retrySettings({ ...input, readProfile: !(input.region && input.credentials) }),
    retryStrategy: input.retryStrategy,
    maxRetryAfterMs: (input.maxRetryAfterSeconds ?? 20) * 1000,
    quota: new RetryQuota(),
    // Loaded only by clients that use the adaptive mode.
    rateLimiter: once(async () => new (await import("../lazy/rateLimiter")).DefaultRateLimiter()),
    clock,
  };
}

/** Remembers a successful result; a failure is not remembered, so a later call tries again. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= fn().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

function credentialProvider(config: LambdaMicrovmsClientConfig): AwsCredentialIdentityProvider {
  const given = config.credentials;
  if (typeof given === "function") return given;
  if (given) return async () => given;
  return defaultCredentials(config.profile);
}

function resolveConfig(input: LambdaMicrovmsClientConfig): LambdaMicrovmsResolvedConfig {
  // The app id may come from the profile, which is read at the first call: until then (and when
  // it is given as an option) the user agent is made from what construction knows.
  const ua = { value: userAgent(input.customUserAgent, input.userAgentAppId ?? process.env.AWS_SDK_UA_APP_ID) };
  const endpoint = once(async () => {
    const resolved = await resolveRegionAndEndpoint(input, defaultRegion);
    if (!input.userAgentAppId && resolved.userAgentAppId) ua.value = userAgent(input.customUserAgent, resolved.userAgentAppId);
    return resolved;
  });
  const credentials = credentialProvider(input);
  const signer = once(async () => createSigner((await endpoint()).region, credentials));
  return {
    apiVersion: "2025-09-09",
    requestHandler: input.requestHandler ?? defaultRequestHandler(input),
    logger: input.logger,
    credentials,
    maxAttempts: input.maxAttempts,
    retryMode: input.retryMode,
    validateParams: input.validateParams !== false,
    customUserAgent: input.customUserAgent,
    systemClockOffset: input.systemClockOffset ?? 0,
    endpoint,
    signer,
    userAgent: () => ua.value,
    input,
  };
}

/**
 * A client of AWS Lambda MicroVMs. Send it commands:
 *
 * ```ts
 * const client = new LambdaMicrovmsClient({ region: "us-east-1" });
 * const vm = await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-123" }));
 * ```
 *
 * Construction does no I/O; configuration problems surface at the first call.
 */
export class LambdaMicrovmsClient extends Client<
  HttpHandlerOptions,
  object,
  MetadataBearer,
  LambdaMicrovmsResolvedConfig
> {
  declare readonly config: LambdaMicrovmsResolvedConfig;

  constructor(...[configuration]: [] | [LambdaMicrovmsClientConfig]) {
    const config = resolveConfig(configuration ?? {});
    super(config);
    if (config.logger) this.middlewareStack.use(getLoggerPlugin(config.logger));
    this.middlewareStack.use(idempotencyTokenPlugin);
    if (config.validateParams) this.middlewareStack.use(validationPlugin);
    this.middlewareStack.use(getSerdePlugin(config.endpoint));
    this.middlewareStack.use(getHeadersPlugin(config.userAgent));
    this.middlewareStack.use(getRetryPlugin(retryConfig(config.input, config)));
    this.middlewareStack.use(getSigningPlugin(config));
    // The default handler bounds the whole attempt itself; a handler passed in may stop its timer
    // at the headers (NodeHttpHandler does), so only then is the body guarded here.
    if (config.input.requestHandler !== undefined) this.middlewareStack.use(getAttemptTimeoutPlugin(config.input.requestTimeout));
  }
}
