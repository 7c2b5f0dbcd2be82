import type { AwsCredentialIdentity } from "@smithy/types";
import { envVar } from "../../platform/runtime";

/** Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (+ session token, expiration). */
export function fromEnv(): AwsCredentialIdentity | undefined {
  const accessKeyId = envVar("AWS_ACCESS_KEY_ID");
  const secretAccessKey = envVar("AWS_SECRET_ACCESS_KEY");
  if (!accessKeyId || !secretAccessKey) return undefined;
  const expiration = envVar("AWS_CREDENTIAL_EXPIRATION");
  const sessionToken = envVar("AWS_SESSION_TOKEN");
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
  };
}
