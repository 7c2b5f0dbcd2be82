/** Credentials from the EC2 instance metadata service (IMDSv2, with a session token). */
import type { AwsCredentialIdentity } from "@smithy/types";

/** Undefined when AWS_EC2_METADATA_DISABLED is set. Bounded: one try, one second. */
export async function fromInstanceMetadata(): Promise<AwsCredentialIdentity | undefined> {
  if ((process.env.AWS_EC2_METADATA_DISABLED ?? "").toLowerCase() === "true") return undefined;
  const imds = await import("../../lazy/imds");
  return imds.fromInstanceMetadata({ timeout: 1000, maxRetries: 0 })();
}
