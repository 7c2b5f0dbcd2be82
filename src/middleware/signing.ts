/**
 * Finalize step, after the retry loop: every attempt is signed afresh by the client's signer,
 * with the current (skew-corrected) time, for the signing region and the service's signing name.
 */
import { HttpRequest } from "@smithy/core/transport";
import type { FinalizeRequestMiddleware, Pluggable, RequestSigner } from "@smithy/types";
import type { Target } from "../client/config";
import { SERVICE } from "../protocol/schema.generated";

export interface SigningConfig {
  /** The signer (the configuration's `signer` provider). */
  signer(): Promise<RequestSigner>;
  /** Milliseconds to add to the local clock. */
  systemClockOffset: number;
}

export function signingMiddleware(config: SigningConfig, target: () => Promise<Target>): FinalizeRequestMiddleware<any, any> {
  return (next) => async (args) => {
    if (!HttpRequest.isInstance(args.request)) return next(args);
    const { signingRegion } = await target();
    const signer = await config.signer();
    const request = await signer.sign(args.request, {
      signingDate: new Date(Date.now() + config.systemClockOffset),
      signingRegion,
      signingService: SERVICE.signingName,
    });
    return next({ ...args, request });
  };
}

export function getSigningPlugin(config: SigningConfig, target: () => Promise<Target>): Pluggable<any, any> {
  return {
    applyToStack(stack) {
      stack.addRelativeTo(signingMiddleware(config, target), {
        name: "httpSigningMiddleware",
        aliases: ["apiKeyMiddleware", "tokenMiddleware", "awsAuthMiddleware"],
        step: "finalizeRequest",
        tags: ["HTTP_SIGNING"],
        relation: "after",
        toMiddleware: "retryMiddleware",
        override: true,
      } as never);
    },
  };
}
