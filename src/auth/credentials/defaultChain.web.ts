/**
 * The default credential chain outside Node.js (it replaces `defaultChain.ts` in that build):
 * the environment only, where the runtime has one and lets it be read (Deno with `--allow-env`,
 * Workers' `process.env`). There are no shared files to read, and a page must not ask a metadata
 * service.
 */
import type { AwsCredentialIdentity } from "@smithy/types";
import { CredentialsError } from "./errors";
import { fromEnv } from "./fromEnv";

export async function resolveDefaultCredentials(_profileOption?: string): Promise<AwsCredentialIdentity> {
  const identity = fromEnv();
  if (identity) return identity;
  throw new CredentialsError(
    "Could not find AWS credentials. Tried:\n  - environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): not set, or not readable here\n" +
      "Outside Node.js the client reads no credentials file and asks no metadata service: pass { credentials } to the client " +
      "(an object, or a provider such as fromCognitoIdentityPool of @aws-sdk/credential-providers).",
  );
}
