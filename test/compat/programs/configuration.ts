/**
 * A program written for the official client: the configuration forms people use, and the
 * `client.config` reads tools and user code make. Each client also makes one call, so that every
 * form is shown to work at run time, not only to compile.
 */
import { Agent } from "node:http";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { ConfiguredRetryStrategy, DeprecatedStandardRetryStrategy } from "@smithy/core/retry";
import type { AwsCredentialIdentity, Provider } from "@smithy/types";
import {
  GetMicrovmCommand,
  LambdaMicrovmsClient,
  ResourceNotFoundException,
  type LambdaMicrovmsClientConfig,
  type LambdaMicrovmsClientResolvedConfig,
  type LambdaMicrovmsExtensionConfiguration,
  type RuntimeExtension,
} from "@aws-sdk/client-lambda-microvms";

export interface Target {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

type Observations = Record<string, unknown>;

/** What user code and tracing tools read from `client.config`. */
async function readConfig(config: LambdaMicrovmsClientResolvedConfig): Promise<Observations> {
  const credentials: AwsCredentialIdentity = await config.credentials();
  const endpoint = config.endpoint ? await config.endpoint() : undefined;
  const defaultsMode = typeof config.defaultsMode === "function" ? await config.defaultsMode() : config.defaultsMode;
  const retryMode = typeof config.retryMode === "function" ? await config.retryMode() : config.retryMode;
  const strategy = await config.retryStrategy();
  return {
    region: await config.region(),
    maxAttempts: await config.maxAttempts(),
    retryMode,
    useFipsEndpoint: await config.useFipsEndpoint(),
    useDualstackEndpoint: await config.useDualstackEndpoint(),
    accessKeyId: credentials.accessKeyId,
    userAgentAppId: (await config.userAgentAppId()) ?? null,
    endpoint: endpoint ? { protocol: endpoint.protocol, hostname: endpoint.hostname, port: endpoint.port, path: endpoint.path, query: endpoint.query ?? null } : null,
    isCustomEndpoint: config.isCustomEndpoint ?? null,
    customUserAgent: config.customUserAgent ?? null,
    defaultsMode,
    serviceId: config.serviceId,
    apiVersion: config.apiVersion,
    defaultSigningName: config.defaultSigningName,
    tls: config.tls,
    disableHostPrefix: config.disableHostPrefix,
    signingEscapePath: config.signingEscapePath,
    systemClockOffset: config.systemClockOffset,
    runtime: config.runtime,
    authSchemes: config.httpAuthSchemes.map((scheme) => scheme.schemeId),
    authSchemePreference: await config.authSchemePreference(),
    extensions: config.extensions.length,
    retryStrategyMode: (strategy as { mode?: string }).mode ?? null,
    retryStrategyClass: strategy.constructor.name,
    requestHandlerClass: config.requestHandler.constructor.name,
    logger: typeof config.logger.info,
    signer: typeof (await config.signer()).sign,
    endpointProvider: config.endpointProvider({ Region: "eu-west-1", UseFIPS: false, UseDualStack: false }).url.href,
  };
}

/** One call, to show the client works: a missing MicroVM is the expected outcome. */
async function call(client: LambdaMicrovmsClient): Promise<string> {
  try {
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-none" }));
    return "found";
  } catch (error) {
    return error instanceof ResourceNotFoundException ? "ResourceNotFoundException" : String((error as Error).name);
  } finally {
    client.destroy();
  }
}

export async function run(target: Target): Promise<Observations> {
  const seen: Observations = {};
  const base: LambdaMicrovmsClientConfig = { region: target.region, endpoint: target.endpoint, credentials: target.credentials };

  const plain = new LambdaMicrovmsClient(base);
  seen.plain = { config: await readConfig(plain.config), call: await call(plain) };

  // Providers everywhere, as @aws-sdk/credential-providers and config loaders give them.
  const region: Provider<string> = async () => target.region;
  const credentials: Provider<AwsCredentialIdentity> = async () => ({ ...target.credentials, sessionToken: "token" });
  const providers = new LambdaMicrovmsClient({
    region,
    credentials,
    endpoint: async () => ({ protocol: "http:", hostname: new URL(target.endpoint).hostname, port: Number(new URL(target.endpoint).port), path: "/" }),
    maxAttempts: async () => 4,
    retryMode: async () => "adaptive",
    useFipsEndpoint: async () => false,
    userAgentAppId: async () => "compat-app",
    customUserAgent: [["compat-suite", "1.0"], ["extra"]],
    defaultsMode: "in-region",
  });
  seen.providers = { config: await readConfig(providers.config), call: await call(providers) };

  // The request handler as an options object, the form AWS's own docs show.
  const options = new LambdaMicrovmsClient({ ...base, requestHandler: { requestTimeout: 5000, connectionTimeout: 1000, throwOnRequestTimeout: true } });
  seen.handlerOptions = { call: await call(options) };
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  const withAgent = new LambdaMicrovmsClient({ ...base, requestHandler: { httpAgent: agent, requestTimeout: 5000 } });
  seen.handlerAgent = { call: await call(withAgent) };
  agent.destroy();
  const handler = new LambdaMicrovmsClient({ ...base, requestHandler: new NodeHttpHandler({ requestTimeout: 5000 }) });
  seen.handlerInstance = { call: await call(handler) };

  // Both smithy forms of a retry strategy.
  const v2 = new LambdaMicrovmsClient({ ...base, retryStrategy: new ConfiguredRetryStrategy(2, 10) });
  seen.retryV2 = { mode: (await readConfig(v2.config)).retryStrategyMode, call: await call(v2) };
  const v1 = new LambdaMicrovmsClient({ ...base, retryStrategy: new DeprecatedStandardRetryStrategy(async () => 2) });
  seen.retryV1 = { call: await call(v1) };

  // A runtime extension that moves the region and wraps the HTTP handler.
  let handled = 0;
  const extension: RuntimeExtension = {
    configure(extensionConfiguration: LambdaMicrovmsExtensionConfiguration) {
      extensionConfiguration.setRegion(async () => "eu-central-1");
      const inner = extensionConfiguration.httpHandler();
      extensionConfiguration.setHttpHandler({
        handle: (request, handlerOptions) => {
          handled++;
          return inner.handle(request, handlerOptions);
        },
      } as typeof inner);
    },
  };
  const extended = new LambdaMicrovmsClient({ ...base, extensions: [extension] });
  seen.extension = { region: await extended.config.region(), call: await call(extended), handled };

  // Options the official client takes that change nothing observable here.
  const accepted = new LambdaMicrovmsClient({
    ...base,
    disableHostPrefix: true,
    signingRegion: target.region,
    signingEscapePath: true,
    systemClockOffset: 0,
    cacheMiddleware: true,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    defaultsMode: async () => "standard",
    ignoreConfiguredEndpointUrls: true,
    authSchemePreference: ["sigv4"],
  });
  seen.accepted = { config: await readConfig(accepted.config), call: await call(accepted) };
  return seen;
}
