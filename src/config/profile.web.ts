/**
 * The profile outside Node.js (it replaces `profile.ts` in that build): there are no shared
 * config files to read, so every profile is empty and settings come from the options or the
 * environment only.
 */
import type { LoadedProfile } from "./profile";
import { envVar } from "../platform/runtime";

export type { LoadedProfile, ProfileValues } from "./profile";

export function profileName(option?: string): string {
  return option || envVar("AWS_PROFILE") || "default";
}

export async function loadProfile(option?: string): Promise<LoadedProfile> {
  return { name: profileName(option), config: {}, credentials: {}, services: {} };
}
