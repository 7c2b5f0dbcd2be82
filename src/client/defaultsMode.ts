/**
 * `defaultsMode`: the official client's presets for where the client runs. Of the settings a
 * preset holds, only the connection timeout means something here (every preset's retry mode is
 * the default "standard"). The mode is resolved by smithy's own code, loaded at the first call.
 */
import { loadConfigsForDefaultMode, type DefaultsMode, type ResolvedDefaultsMode } from "@smithy/core/client";
import type { Provider } from "@smithy/types";
import { once } from "./config";

/** `client.config.defaultsMode()`: the option, else AWS_DEFAULTS_MODE, else the profile's `defaults_mode`, else "legacy". */
export function defaultsModeProvider(given: DefaultsMode | Provider<DefaultsMode> | undefined, region: Provider<string>): Provider<ResolvedDefaultsMode> {
  return once(async () => {
    const { resolveDefaultsModeConfig } = await import("../lazy/defaultsMode");
    const options = given === undefined ? { region } : { region, defaultsMode: given };
    return resolveDefaultsModeConfig(options)();
  });
}

/** The connection timeout a resolved mode sets, if any. */
export function connectionTimeoutOf(mode: ResolvedDefaultsMode): number | undefined {
  return loadConfigsForDefaultMode(mode).connectionTimeout;
}
