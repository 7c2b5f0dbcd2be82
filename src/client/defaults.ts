/**
 * Where region and credentials come from when the caller gives none. Kept behind functions
 * that run only at the first call, so constructing a client does no I/O.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** Region from the environment. */
export async function defaultRegion(): Promise<string | undefined> {
  return process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
}

/** Credentials from the environment; a clear error when there are none. */
export const defaultCredentials: AwsCredentialIdentityProvider = async () => {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error("No AWS credentials: pass { credentials } to the client or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
  }
  const sessionToken = process.env.AWS_SESSION_TOKEN;
  const identity: AwsCredentialIdentity = sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
  return identity;
};
