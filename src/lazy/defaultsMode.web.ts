/**
 * smithy's defaults-mode resolution for browsers (it replaces `defaultsMode.ts` outside Node.js),
 * with AWS_DEFAULTS_MODE where the runtime lets it be read. smithy's browser code looks at
 * `window` to resolve "auto", and Deno and Workers have none: there "auto" is "standard".
 */
import { resolveDefaultsModeConfig as resolveInBrowser } from "@smithy/core/config";
import type { DefaultsMode } from "@smithy/core/client";
import type { Provider } from "@smithy/types";
import { envVar } from "../platform/runtime";

export function resolveDefaultsModeConfig(options: { defaultsMode?: DefaultsMode | Provider<DefaultsMode> }): ReturnType<typeof resolveInBrowser> {
  const given = options.defaultsMode;
  return resolveInBrowser({
    defaultsMode: async () => {
      const mode = (typeof given === "function" ? await given() : given) ?? (envVar("AWS_DEFAULTS_MODE") as DefaultsMode | undefined);
      return mode?.toLowerCase() === "auto" && (globalThis as { window?: unknown }).window === undefined ? "standard" : (mode as DefaultsMode);
    },
  });
}
