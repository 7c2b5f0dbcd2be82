/**
 * Finalize step, after the retry loop: every attempt is signed afresh, with the current
 * (skew-corrected) time.
 */
import { HttpRequest } from "@smithy/protocol-http";
import type { FinalizeRequestMiddleware, Pluggable } from "@smithy/types";
import type { SignatureV4 } from "@smithy/signature-v4";

export interface SigningConfig {
  /** The signer for the resolved region. */
  signer(): Promise<SignatureV4>;
  /** Milliseconds to add to the local clock. */
  systemClockOffset: number;
}

export function signingMiddleware(config: SigningConfig): FinalizeRequestMiddleware<any, any> {
  return (next) => async (args) => {
    if (!HttpRequest.isInstance(args.request)) return next(args);
    const signer = await config.signer();
    const request = await signer.sign(args.request, { signingDate: new Date(Date.now() + config.systemClockOffset) });
    return next({ ...args, request });
  };
}

export function getSigningPlugin(config: SigningConfig): Pluggable<any, any> {
  return {
    applyToStack(stack) {
      stack.add(signingMiddleware(config), { step: "finalizeRequest", name: "httpSigningMiddleware", priority: "low", override: true });
    },
  };
}
