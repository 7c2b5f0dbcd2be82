/** Credentials from the shared files: static keys, or a `credential_process` to run. */
import { exec } from "node:child_process";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { LoadedProfile } from "../../config/profile";
import { CredentialsError } from "./errors";

export { CredentialsError };

function staticKeys(values: Record<string, string | undefined>): AwsCredentialIdentity | undefined {
  const accessKeyId = values.aws_access_key_id;
  const secretAccessKey = values.aws_secret_access_key;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = values.aws_session_token;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** Runs the command and reads its JSON; errors never include what it printed (it holds secrets). */
export function runCredentialProcess(command: string, profile: string): Promise<AwsCredentialIdentity> {
  return new Promise((resolve, reject) => {
    exec(command, { timeout: 60_000, windowsHide: true }, (error, stdout) => {
      if (error) {
        reject(new CredentialsError(`credential_process of profile "${profile}" failed (exit code ${String(error.code ?? "unknown")}).`));
        return;
      }
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        reject(new CredentialsError(`credential_process of profile "${profile}" did not print JSON.`));
        return;
      }
      if (data.Version !== 1 || typeof data.AccessKeyId !== "string" || typeof data.SecretAccessKey !== "string") {
        reject(new CredentialsError(`credential_process of profile "${profile}" printed JSON without Version 1, AccessKeyId and SecretAccessKey.`));
        return;
      }
      resolve({
        accessKeyId: data.AccessKeyId,
        secretAccessKey: data.SecretAccessKey,
        ...(typeof data.SessionToken === "string" ? { sessionToken: data.SessionToken } : {}),
        ...(typeof data.Expiration === "string" ? { expiration: new Date(data.Expiration) } : {}),
      });
    });
  });
}

/** Static keys (credentials file first, then config file), else the profile's credential_process. */
export async function fromProfile(profile: LoadedProfile): Promise<AwsCredentialIdentity | undefined> {
  if (Object.keys(profile.config).length === 0 && Object.keys(profile.credentials).length === 0) {
    const config = process.env.AWS_CONFIG_FILE || "~/.aws/config";
    const credentials = process.env.AWS_SHARED_CREDENTIALS_FILE || "~/.aws/credentials";
    throw new CredentialsError(`no profile "${profile.name}" in ${config} or ${credentials}`);
  }
  const keys = staticKeys(profile.credentials) ?? staticKeys(profile.config);
  if (keys) return keys;
  const command = profile.credentials.credential_process ?? profile.config.credential_process;
  if (command) return runCredentialProcess(command, profile.name);
  throw new CredentialsError(
    `profile "${profile.name}" has no aws_access_key_id/aws_secret_access_key or credential_process` +
      (profile.config.sso_session || profile.config.sso_start_url || profile.config.role_arn
        ? " (for SSO or role profiles pass credentials: fromIni({ profile }) from @aws-sdk/credential-providers)"
        : ""),
  );
}
