/**
 * The default credential chain, loaded only when a client has no `credentials`: environment,
 * shared files (static keys, credential_process), container endpoint, EC2 instance metadata.
 */
import type { AwsCredentialIdentity } from "@smithy/types";
import { loadProfile } from "../../config/profile";
import { fromEnv } from "./fromEnv";
import { CredentialsError, fromProfile } from "./fromProfile";
import { fromContainer } from "./fromContainer";
import { fromInstanceMetadata } from "./fromInstanceMetadata";

type Source = [name: string, get: () => Promise<AwsCredentialIdentity | undefined> | AwsCredentialIdentity | undefined];

/** Tries each source in order; the error lists what was tried and why each gave nothing. */
export async function resolveDefaultCredentials(profileOption?: string): Promise<AwsCredentialIdentity> {
  const sources: Source[] = [
    ["environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)", fromEnv],
    [`shared config and credentials files (profile "${profileOption || process.env.AWS_PROFILE || "default"}")`, async () => fromProfile(await loadProfile(profileOption))],
    ["container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI)", () => fromContainer()],
    ["EC2 instance metadata (IMDSv2)", fromInstanceMetadata],
  ];
  const tried: string[] = [];
  for (const [name, get] of sources) {
    try {
      const identity = await get();
      if (identity) return identity;
      tried.push(`${name}: not set`);
    } catch (error) {
      // A credential_process that exists but fails is the user's intent: report it as is.
      // Stryker disable next-line Regex: no other source's message holds the phrase, anchored or not
      if (error instanceof CredentialsError && /^credential_process of profile/.test(error.message)) throw error;
      tried.push(`${name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  throw new CredentialsError(
    `Could not find AWS credentials. Tried:\n  - ${tried.join("\n  - ")}\n` +
      "Pass { credentials } to the client, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or set up a profile (aws configure).",
  );
}
