/**
 * Credentials from the container credentials endpoint (ECS, EKS Pod Identity). Not
 * `@smithy/credential-provider-imds`'s `fromContainerMetadata`: that one reads no
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE and accepts only localhost for a full URI, so EKS Pod
 * Identity (`http://169.254.170.23/…` with a token file) would not work.
 */
import { readFile } from "node:fs/promises";
import { isIPv4 } from "node:net";
import type { AwsCredentialIdentity } from "@smithy/types";
import { CredentialsError } from "./fromProfile";

async function authorization(): Promise<string | undefined> {
  const file = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  if (file) return (await readFile(file, "utf8")).trim();
  return process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
}

/**
 * Whether AWS_CONTAINER_CREDENTIALS_FULL_URI may be used: https to anywhere, plain http only to
 * loopback and the ECS and EKS Pod Identity agents, as in the AWS SDKs, so the authorization
 * token is never sent in the clear to a host that is not the local agent.
 */
function allowed(full: string): boolean {
  let url: URL;
  try {
    url = new URL(full);
  } catch {
    throw new CredentialsError("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL");
  }
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:") return false;
  const hosts = ["localhost", "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "[::1]"];
  // The URL parser gives an IPv4 host in dotted form; 127.0.0.0/8 is loopback.
  return hosts.includes(url.hostname) || (isIPv4(url.hostname) && url.hostname.startsWith("127."));
}

/** Undefined when no container endpoint is configured. */
export async function fromContainer(timeoutMs = 1000): Promise<AwsCredentialIdentity | undefined> {
  const relative = process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const full = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (!relative && !full) return undefined;
  // A relative URI is the ECS agent's.
  const url = relative ? `http://169.254.170.2${relative}` : full!;
  if (!relative && !allowed(url)) {
    throw new CredentialsError("AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback address or the ECS/EKS agent");
  }
  const token = await authorization();
  const response = await fetch(url, {
    headers: token ? { authorization: token } : {},
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    throw new CredentialsError(`container credentials endpoint did not answer (${(error as Error).name})`);
  });
  if (!response.ok) throw new CredentialsError(`container credentials endpoint answered HTTP ${response.status}`);
  const data = (await response.json()) as Record<string, string | undefined>;
  if (!data.AccessKeyId || !data.SecretAccessKey) throw new CredentialsError("container credentials endpoint answered without keys");
  return {
    accessKeyId: data.AccessKeyId,
    secretAccessKey: data.SecretAccessKey,
    ...(data.Token ? { sessionToken: data.Token } : {}),
    ...(data.Expiration ? { expiration: new Date(data.Expiration) } : {}),
  };
}
