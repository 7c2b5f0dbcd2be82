// Imported under another name, as the official client does: the model has an error named
// ServiceException too, and a bundler would otherwise rename one of the two (and its `name`).
import { ServiceException as __ServiceException, type ServiceExceptionOptions } from "@smithy/core/client";

export type { ServiceExceptionOptions };

/**
 * Base class of every error the service returns, modeled or not. Carries `name` (the error
 * code), `$fault`, `$metadata` (status, request id, attempts) and, where modeled, `$retryable`.
 *
 * `instanceof` also recognizes errors made by another copy of this package (the ESM and CJS
 * builds side by side): the check falls back to the class names on the prototype chain.
 */
export class LambdaMicrovmsServiceException extends __ServiceException {
  /** @internal */
  constructor(options: ServiceExceptionOptions) {
    // smithy's constructor already sets the prototype of the class being made; naming the class
    // here would make bundlers rename it (`_LambdaMicrovmsServiceException`).
    super(options);
  }
}
