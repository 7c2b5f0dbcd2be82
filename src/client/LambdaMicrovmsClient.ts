/** The client: smithy's `Client` with this service's configuration and middleware. */
import { Client as __Client, type ResolvedDefaultsMode } from "@smithy/core/client";
import type { CheckOptionalClientConfig, HttpHandlerOptions, MiddlewareStack } from "@smithy/types";
import type { FullResolvedConfig, LambdaMicrovmsClientConfig, LambdaMicrovmsClientResolvedConfig } from "./configTypes";
import type { ServiceInputTypes, ServiceOutputTypes } from "./serviceTypes.generated";
import { once, targetOf, valueOf } from "./config";
import { resolveClientConfig } from "./resolveConfig";
import { formatUserAgent } from "./userAgent";
import { connectionTimeoutOf } from "./defaultsMode";
import { envVar } from "../platform/runtime";
import { KeepAliveHttpHandler } from "../http/KeepAliveHttpHandler";
import { getSerdePlugin } from "../middleware/serde";
import { idempotencyTokenPlugin } from "../middleware/idempotency";
import { getHeadersPlugin } from "../middleware/headers";
import { getSigningPlugin } from "../middleware/signing";
import { validationPlugin } from "../middleware/validation";
import { loggerPlugin } from "../middleware/logger";
import { getRetryPlugin } from "../middleware/retry";
import { getAttemptTimeoutPlugin } from "../middleware/attemptTimeout";
import { getTracingPlugin } from "../tracing/callSpan";

export { __Client };

/** The `user-agent` value of a client, worked out at its first call. */
function userAgentOf(config: FullResolvedConfig): () => Promise<string> {
  return once(async () => {
    const [defaults, appId] = await Promise.all([config.defaultUserAgentProvider(), config.userAgentAppId()]);
    return formatUserAgent(defaults, appId, config.customUserAgent);
  });
}

/** Applies a `defaultsMode`'s connection timeout to the default handler, when the caller set none. */
async function applyDefaultsMode(config: FullResolvedConfig): Promise<void> {
  const { input } = config;
  const given = input.connectionTimeout ?? (input.requestHandler as { connectionTimeout?: number } | undefined)?.connectionTimeout;
  const handler = config.requestHandler;
  if (given !== undefined || !(handler instanceof KeepAliveHttpHandler)) return;
  // Resolving the mode reads the environment and the profile: skip it when nothing can set one.
  if (input.defaultsMode === undefined && !envVar("AWS_DEFAULTS_MODE") && input.region && input.credentials) return;
  const mode = (await valueOf(config.defaultsMode)) as ResolvedDefaultsMode;
  const timeout = connectionTimeoutOf(mode);
  if (timeout !== undefined) handler.updateHttpClientConfig("connectionTimeout", timeout);
}

function installMiddleware(stack: MiddlewareStack<ServiceInputTypes, ServiceOutputTypes>, config: FullResolvedConfig): void {
  const prepare = once(() => applyDefaultsMode(config));
  const target = async () => {
    await prepare();
    return targetOf(config);
  };
  const userAgent = userAgentOf(config);
  stack.use(getTracingPlugin(config));
  stack.use(loggerPlugin);
  stack.use(idempotencyTokenPlugin);
  if (config.validateParams) stack.use(validationPlugin);
  stack.use(getSerdePlugin(target, config.input.streamCollector));
  stack.use(getHeadersPlugin({ bodyLengthChecker: config.bodyLengthChecker, userAgent }));
  stack.use(getRetryPlugin(config));
  stack.use(getSigningPlugin(config, target));
  // The default handler bounds the whole attempt itself; another handler may stop its timer at
  // the headers (NodeHttpHandler does), so then the body is guarded here.
  if (!(config.requestHandler instanceof KeepAliveHttpHandler)) stack.use(getAttemptTimeoutPlugin(config.input.requestTimeout));
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
export class LambdaMicrovmsClient extends __Client<HttpHandlerOptions, ServiceInputTypes, ServiceOutputTypes, LambdaMicrovmsClientResolvedConfig> {
  /** The resolved configuration: the official client's members (`region()`, `credentials()`, …) and this client's own. */
  declare readonly config: LambdaMicrovmsClientResolvedConfig;

  constructor(...[configuration]: CheckOptionalClientConfig<LambdaMicrovmsClientConfig>) {
    const input = configuration ?? {};
    const config = resolveClientConfig(input);
    super(config);
    this.initConfig = input;
    installMiddleware(this.middlewareStack, config);
  }

  /** Closes the HTTP handler's connections, so that a script can exit. */
  override destroy(): void {
    super.destroy();
  }
}
