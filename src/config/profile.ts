/**
 * The shared AWS config and credentials files (`~/.aws/config`, `~/.aws/credentials`), read
 * with `@smithy/core/config` on first use only, never at client construction.
 */
import { loadSharedConfigFiles } from "@smithy/core/config";
import { envVar } from "../platform/runtime";

export type ProfileValues = Record<string, string | undefined>;

export interface LoadedProfile {
  /** The profile's name: the `profile` option, else AWS_PROFILE, else `default`. */
  name: string;
  /** Keys of the profile in the config file (`[profile name]` or `[default]`). */
  config: ProfileValues;
  /** Keys of the profile in the credentials file. */
  credentials: ProfileValues;
  /** The `[services …]` section the profile names, if any. */
  services: ProfileValues;
}

export function profileName(option?: string): string {
  return option || envVar("AWS_PROFILE") || "default";
}

/** Reads both files (missing files count as empty). */
export async function loadProfile(option?: string): Promise<LoadedProfile> {
  const name = profileName(option);
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const config = (configFile[name] ?? {}) as ProfileValues;
  const servicesName = config.services;
  return {
    name,
    config,
    credentials: (credentialsFile[name] ?? {}) as ProfileValues,
    services: (servicesName ? configFile[`services.${servicesName}`] ?? {} : {}) as ProfileValues,
  };
}
