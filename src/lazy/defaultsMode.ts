/** smithy's defaults-mode resolution (environment, profile, instance metadata), loaded only when needed. */
export { resolveDefaultsModeConfig } from "@smithy/core/config";
