/**
 * The configuration types of the client, shaped as the official client's are (member for member,
 * with the same names), so that code written for `@aws-sdk/client-lambda-microvms` compiles
 * unchanged. smithy's own config types are reused where `@smithy/core` exports them; the few that
 * the official client takes from `@aws-sdk/core` are restated here, so that this package needs no
 * such dependency.
 */
import type { DefaultsMode, SmithyConfiguration, SmithyResolvedConfiguration } from "@smithy/core/client";
import type { RegionInputConfig, RegionResolvedConfig } from "@smithy/core/config";
import type { EndpointInputConfig, EndpointResolvedConfig } from "@smithy/core/endpoints";
import type { HttpHandlerExtensionConfiguration, HttpHandlerUserInput } from "@smithy/core/protocols";
import type { RetryInputConfig, RetryResolvedConfig } from "@smithy/core/retry";
import type {
  AuthScheme,
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  BodyLengthCalculator,
  ChecksumConstructor,
  Decoder,
  DefaultExtensionConfiguration,
  Encoder,
  Endpoint,
  EndpointParameters as SmithyEndpointParameters,
  EndpointV2,
  HandlerExecutionContext,
  HashConstructor,
  HttpAuthScheme,
  HttpAuthSchemeParameters,
  HttpAuthSchemeProvider,
  HttpHandlerOptions,
  Logger,
  Provider,
  RequestHandler,
  RequestSigner,
  StreamCollector,
  UrlParser,
  UserAgent,
} from "@smithy/types";

/** The endpoint rule set's parameters. */
export interface EndpointParameters extends SmithyEndpointParameters {
  Region?: string | undefined;
  UseDualStack?: boolean | undefined;
  UseFIPS?: boolean | undefined;
  Endpoint?: string | undefined;
}

/** The client options that feed the endpoint rules. */
export interface ClientInputEndpointParameters {
  region?: string | undefined | Provider<string | undefined>;
  useDualstackEndpoint?: boolean | undefined | Provider<boolean | undefined>;
  useFipsEndpoint?: boolean | undefined | Provider<boolean | undefined>;
  endpoint?: string | Provider<string> | Endpoint | Provider<Endpoint> | EndpointV2 | Provider<EndpointV2>;
}

/** The endpoint parameters as the client holds them, with the signing name. */
export type ClientResolvedEndpointParameters = Omit<ClientInputEndpointParameters, "endpoint"> & {
  defaultSigningName: string;
};

/** What the auth scheme provider is asked with. */
export interface LambdaMicrovmsHttpAuthSchemeParameters extends HttpAuthSchemeParameters {
  region?: string;
}

/** Chooses the auth scheme of a call (always SigV4 for this service). */
export interface LambdaMicrovmsHttpAuthSchemeProvider extends HttpAuthSchemeProvider<LambdaMicrovmsHttpAuthSchemeParameters> {}

/** The options a `signerConstructor` is called with. */
export interface SignerInit {
  service: string;
  region: string | Provider<string>;
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  sha256: ChecksumConstructor | HashConstructor;
  uriEscapePath?: boolean;
  applyChecksum?: boolean;
}

/** Marks the official client's credential providers carry; here only informative. */
export interface AwsSdkSigV4Memoized {
  memoized?: boolean;
  configBound?: boolean;
  attributed?: boolean;
}

/** SigV4 options, as `@aws-sdk/core` names them. */
export interface AwsSdkSigV4AuthInputConfig {
  /**
   * Credentials, or a provider (any of `@aws-sdk/credential-providers`, e.g. `fromIni({ profile })`).
   * @default the default chain: environment, shared files (static keys, `credential_process`),
   * container credentials, EC2 instance metadata (IMDSv2); resolved at the first call and cached
   */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The signer, or a function giving it: every attempt is signed with it. @default SigV4 for `lambda` */
  signer?: RequestSigner | ((authScheme?: AuthScheme) => Promise<RequestSigner>);
  /** Whether the path is URI-escaped once more when signing (SigV4 for non-S3 services). @default true */
  signingEscapePath?: boolean;
  /** Milliseconds added to the local clock when signing; corrected when the service reports skew. @default 0 */
  systemClockOffset?: number;
  /** The region named in the signature, when it is not the client's region. */
  signingRegion?: string;
  /** The class the default signer is made from. @default SignatureV4 (with a signing-key cache) */
  signerConstructor?: new (options: SignerInit) => RequestSigner;
  /** Do not sign again with the service's clock after a clock-skew error. @default false */
  disableClockSkewCorrection?: boolean | Provider<boolean>;
}

/** Auth scheme options. */
export interface HttpAuthSchemeInputConfig extends AwsSdkSigV4AuthInputConfig {
  /**
   * Auth schemes to prefer, by name. Accepted for compatibility: this service has one scheme
   * (SigV4), so the preference changes nothing.
   */
  authSchemePreference?: string[] | Provider<string[]>;
  /**
   * Auth schemes, by id. Accepted for compatibility and kept in `client.config`; calls are signed
   * with SigV4 through `signer`, which is where a custom signer goes.
   */
  httpAuthSchemes?: HttpAuthScheme[];
  /** Chooses the auth scheme per call. Accepted and kept in `client.config`; this service has one scheme. */
  httpAuthSchemeProvider?: LambdaMicrovmsHttpAuthSchemeProvider;
}

/** User agent options, as `@aws-sdk/core` names them. */
export interface UserAgentInputConfig {
  /** Appended to the user agent: a string, or `[name, version?]` pairs. */
  customUserAgent?: string | UserAgent;
  /**
   * An application id, sent as `app/<id>` in the user agent (at most 50 characters).
   * @default AWS_SDK_UA_APP_ID, else the profile's `sdk_ua_app_id`
   */
  userAgentAppId?: string | undefined | Provider<string | undefined>;
}

/** The official client's host-header options: none. */
export interface HostHeaderInputConfig {}

/** The hooks a runtime extension sets the client's configuration through. */
export interface AwsRegionExtensionConfiguration {
  setRegion(region: Provider<string>): void;
  region(): Provider<string>;
}

/** The hooks of the auth configuration an extension may change. */
export interface HttpAuthExtensionConfiguration {
  setHttpAuthScheme(httpAuthScheme: HttpAuthScheme): void;
  httpAuthSchemes(): HttpAuthScheme[];
  setHttpAuthSchemeProvider(httpAuthSchemeProvider: LambdaMicrovmsHttpAuthSchemeProvider): void;
  httpAuthSchemeProvider(): LambdaMicrovmsHttpAuthSchemeProvider;
  setCredentials(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): void;
  credentials(): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
}

/** What a {@link RuntimeExtension} is given to change: region, HTTP handler, auth, retry strategy. */
export interface LambdaMicrovmsExtensionConfiguration
  extends HttpHandlerExtensionConfiguration,
    DefaultExtensionConfiguration,
    AwsRegionExtensionConfiguration,
    HttpAuthExtensionConfiguration {}

/** A plugin that changes the client's configuration once, at construction. */
export interface RuntimeExtension {
  configure(extensionConfiguration: LambdaMicrovmsExtensionConfiguration): void;
}

/** The extensions, as kept in the resolved configuration. */
export interface RuntimeExtensionsConfig {
  extensions: RuntimeExtension[];
}

/** The general client options, as the official client lists them. */
export interface ClientDefaults extends Partial<SmithyConfiguration<HttpHandlerOptions>> {
  /**
   * The HTTP handler, or the options of the default one (`requestTimeout`, `connectionTimeout`,
   * `socketTimeout`, `throwOnRequestTimeout`, `httpAgent`/`httpsAgent`, …). Options with an agent
   * make a `NodeHttpHandler` (`@smithy/node-http-handler`) with them; other options set up the
   * default keep-alive handler.
   * @default a `KeepAliveHttpHandler` with `requestTimeout` and `connectionTimeout`
   */
  requestHandler?: HttpHandlerUserInput;
  /** The SHA-256 (and HMAC) implementation used for signing. @default Node's crypto */
  sha256?: ChecksumConstructor | HashConstructor;
  /** Parses a custom endpoint given as a string. @default smithy's `parseUrl` */
  urlParser?: UrlParser;
  /** Measures a request body for `content-length`. */
  bodyLengthChecker?: BodyLengthCalculator;
  /** Reads a streamed response body (from a handler passed in) into bytes. */
  streamCollector?: StreamCollector;
  /** Base64 to bytes. Kept for compatibility: this service's shapes have no blobs. */
  base64Decoder?: Decoder;
  /** Bytes to base64. Kept for compatibility: this service's shapes have no blobs. */
  base64Encoder?: Encoder;
  /** UTF-8 text to bytes. */
  utf8Decoder?: Decoder;
  /** Bytes to UTF-8 text. */
  utf8Encoder?: Encoder;
  /** The runtime's name. Informative. @default "node" */
  runtime?: string;
  /** Accepted for compatibility: no operation of this service has a host prefix, so it changes nothing. */
  disableHostPrefix?: boolean;
  /** The service's id, as the official client reports it. Fixed: `"Lambda Microvms"`. */
  serviceId?: string;
  /** Use the dual-stack (IPv4 and IPv6) endpoint. @default AWS_USE_DUALSTACK_ENDPOINT, else the profile's `use_dualstack_endpoint`, else false */
  useDualstackEndpoint?: boolean | Provider<boolean>;
  /** Use the FIPS endpoint. @default AWS_USE_FIPS_ENDPOINT, else the profile's `use_fips_endpoint`, else false */
  useFipsEndpoint?: boolean | Provider<boolean>;
  /**
   * AWS region to call, e.g. `"us-east-1"`.
   * @default AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region` (`~/.aws/config`)
   */
  region?: string | Provider<string>;
  /** The profile of the shared config files to read. @default AWS_PROFILE, else "default" */
  profile?: string;
  /** Makes the `[name, version]` pairs the user agent starts with. */
  defaultUserAgentProvider?: Provider<UserAgent>;
  /**
   * Makes the default credential provider (given the client's configuration) when `credentials`
   * is not given. @default this package's default chain
   */
  credentialDefaultProvider?: (input: any) => AwsCredentialIdentityProvider;
  /**
   * Attempts per call, the first included.
   * @default AWS_MAX_ATTEMPTS, else the profile's `max_attempts`, else 3
   */
  maxAttempts?: number | Provider<number>;
  /**
   * `"standard"` (backoff and a per-client retry budget) or `"adaptive"` (also a client-side
   * rate limiter that slows down under throttling).
   * @default AWS_RETRY_MODE, else the profile's `retry_mode`, else "standard"
   */
  retryMode?: string | Provider<string>;
  /**
   * A console-like logger: `info({ clientName, commandName, input, output, metadata })` after each
   * call and `error({ …, error })` after a failure, as the official client logs; `sensitive`
   * members are redacted. @default none
   */
  logger?: Logger;
  /** Plugins that change the configuration at construction. */
  extensions?: RuntimeExtension[];
  /**
   * Sets defaults (here the connection timeout) for where the client runs: `"standard"`,
   * `"in-region"`, `"cross-region"`, `"mobile"`, `"auto"` or `"legacy"`. @default "legacy"
   */
  defaultsMode?: DefaultsMode | Provider<DefaultsMode>;
}

/** Every option of {@link LambdaMicrovmsClient}, as the official client's, without this client's own. */
export type LambdaMicrovmsClientConfigType = Partial<SmithyConfiguration<HttpHandlerOptions>> &
  ClientDefaults &
  UserAgentInputConfig &
  RetryInputConfig &
  RegionInputConfig &
  HostHeaderInputConfig &
  EndpointInputConfig<EndpointParameters> &
  HttpAuthSchemeInputConfig &
  ClientInputEndpointParameters;

/** The options of this client that the official client does not have. */
export interface LambdaMicrovmsOwnConfig {
  /** Check inputs against the model before sending (botocore's rules). @default true */
  validateParams?: boolean;
  /** Longest `Retry-After` (seconds) the client waits for before the next attempt. @default 20 */
  maxRetryAfterSeconds?: number;
  /**
   * Milliseconds one attempt may take, reading the response body included, before it fails with
   * a (retried) `TimeoutError`. 0 removes the bound. @default 30000
   */
  requestTimeout?: number;
  /** Milliseconds to wait for a connection before the attempt fails. @default 5000, or the defaults mode's */
  connectionTimeout?: number;
}

/** Options of {@link LambdaMicrovmsClient}. Every option may be left out. */
export interface LambdaMicrovmsClientConfig extends LambdaMicrovmsClientConfigType, LambdaMicrovmsOwnConfig {
  // Options of the official client that change nothing here, restated to say so.
  /** Accepted for compatibility: this client speaks one API version, `2025-09-09`. */
  readonly apiVersion?: string;
  /** Accepted for compatibility: the endpoint's URL decides the scheme (TLS for every AWS endpoint). */
  tls?: boolean;
  /**
   * Accepted for compatibility: the official client's schema-based protocol. This client
   * serializes from its own tables (restJson1), so a protocol given here is not used.
   */
  protocol?: SmithyConfiguration<HttpHandlerOptions>["protocol"];
  /** Accepted for compatibility, with `protocol`. */
  protocolSettings?: SmithyConfiguration<HttpHandlerOptions>["protocolSettings"];
}

/** User agent settings, resolved. */
export interface UserAgentResolvedConfig {
  defaultUserAgentProvider: Provider<UserAgent>;
  customUserAgent?: UserAgent;
  runtime: string;
  userAgentAppId: Provider<string | undefined>;
}

/** The official client's host-header settings, resolved. */
export interface HostHeaderResolvedConfig {
  requestHandler: RequestHandler<any, any>;
}

/** SigV4 settings, resolved. */
export interface AwsSdkSigV4AuthResolvedConfig {
  /** The credential provider calls use (cached, refreshed ahead of expiration). */
  credentials: AwsCredentialIdentityProvider & AwsSdkSigV4Memoized;
  /** The signer of the resolved region. */
  signer: (authScheme?: AuthScheme) => Promise<RequestSigner>;
  signingEscapePath: boolean;
  /** Milliseconds added to the local clock when signing; updated when the service reports skew. */
  systemClockOffset: number;
  disableClockSkewCorrection: Provider<boolean>;
}

/** Auth settings, resolved. */
export interface HttpAuthSchemeResolvedConfig extends AwsSdkSigV4AuthResolvedConfig {
  readonly authSchemePreference: Provider<string[]>;
  readonly httpAuthSchemes: HttpAuthScheme[];
  readonly httpAuthSchemeProvider: LambdaMicrovmsHttpAuthSchemeProvider;
}

/** Auth scheme parameters from a call's configuration and context. */
export type LambdaMicrovmsHttpAuthSchemeParametersProvider = (
  config: LambdaMicrovmsClientResolvedConfig,
  context: HandlerExecutionContext,
  input: object,
) => Promise<LambdaMicrovmsHttpAuthSchemeParameters>;

/**
 * The resolved configuration, as the official client types it, but for `protocol`: that is the
 * official client's schema-based protocol object, which this client does not use, so it stays
 * what was passed (undefined by default).
 */
export type LambdaMicrovmsClientResolvedConfigType = SmithyResolvedConfiguration<HttpHandlerOptions> &
  Required<Omit<ClientDefaults, "protocol">> &
  RuntimeExtensionsConfig &
  UserAgentResolvedConfig &
  RetryResolvedConfig &
  RegionResolvedConfig &
  HostHeaderResolvedConfig &
  EndpointResolvedConfig<EndpointParameters> &
  HttpAuthSchemeResolvedConfig &
  ClientResolvedEndpointParameters;

/**
 * `client.config`: every option resolved, the official client's members (providers such as
 * `region()`, `maxAttempts()`, `credentials()`; `endpoint()` when a custom endpoint is given)
 * plus this client's own.
 */
export interface LambdaMicrovmsClientResolvedConfig extends LambdaMicrovmsClientResolvedConfigType {
  // This client's own members are always set, but optional in the type, so that the official
  // client's resolved configuration is assignable to this one.
  /** Whether inputs are checked against the model before sending. */
  readonly validateParams?: boolean;
  /** Longest `Retry-After` (seconds) waited for. */
  readonly maxRetryAfterSeconds?: number;
  /** The options the client was made with. */
  readonly input?: LambdaMicrovmsClientConfig;
}

/** @internal The resolved configuration as this client's own code sees it: its own members set. */
export type FullResolvedConfig = LambdaMicrovmsClientResolvedConfig & {
  readonly validateParams: boolean;
  readonly maxRetryAfterSeconds: number;
  readonly input: LambdaMicrovmsClientConfig;
};

/** The earlier name of {@link LambdaMicrovmsClientResolvedConfig}. */
export type LambdaMicrovmsResolvedConfig = LambdaMicrovmsClientResolvedConfig;
