/** Credentials from the EC2 instance metadata service (IMDSv2, with a session token). */
import type { AwsCredentialIdentity } from "@smithy/types";

/**
 * Undefined when AWS_EC2_METADATA_DISABLED is set. Bounded, as the AWS CLI: each request waits
 * AWS_METADATA_SERVICE_TIMEOUT seconds (default 1) and is tried AWS_METADATA_SERVICE_NUM_ATTEMPTS
 * times (default 1).
 */
export async function fromInstanceMetadata(): Promise<AwsCredentialIdentity | undefined> {
  if ((process.env.AWS_EC2_METADATA_DISABLED ?? "").toLowerCase() === "true") return undefined;
  const seconds = Number(process.env.AWS_METADATA_SERVICE_TIMEOUT);
  const attempts = Number(process.env.AWS_METADATA_SERVICE_NUM_ATTEMPTS);
  const imds = await import("../../lazy/imds");
  return imds.fromInstanceMetadata({
    timeout: seconds > 0 ? Math.round(seconds * 1000) : 1000,
    // Stryker disable next-line EqualityOperator: at 1 attempt both branches give 0 retries
    maxRetries: Number.isInteger(attempts) && attempts > 1 ? attempts - 1 : 0,
  })();
}
