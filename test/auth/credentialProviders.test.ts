/**
 * Providers from `@aws-sdk/credential-providers` plug into `credentials` unchanged (the way SSO
 * and assume-role profiles are used): `fromIni` over a temporary HOME, `fromProcess`, `fromEnv`.
 * All offline; each signs a request to a loopback server.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromEnv, fromIni, fromProcess } from "@aws-sdk/credential-providers";
import { LambdaMicrovmsClient, ListMicrovmsCommand, type LambdaMicrovmsClientConfig } from "../../src/index";
import { scope, useSandboxes } from "../config/sandbox";

const harness = useSandboxes();

async function signedWith(credentials: LambdaMicrovmsClientConfig["credentials"]): Promise<{ accessKeyId: string; region: string; token: unknown }> {
  const client = new LambdaMicrovmsClient({ region: "eu-west-3", endpoint: harness.server.endpoint, credentials });
  try {
    await client.send(new ListMicrovmsCommand({}));
    await client.send(new ListMicrovmsCommand({}));
  } finally {
    client.destroy();
  }
  const request = harness.server.requests.at(-1)!;
  return { ...scope(request.headers.authorization), token: request.headers["x-amz-security-token"] };
}

describe("@aws-sdk/credential-providers as `credentials`", () => {
  it("fromIni({ profile }) reads a named profile of the shared files", async () => {
    const box = harness.sandbox();
    box.write("credentials", "[work]\naws_access_key_id = AKIDINI\naws_secret_access_key = ini-secret\naws_session_token = ini-token\n");
    // The environment's keys must not win over an explicit provider.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret" });
    expect(await signedWith(fromIni({ profile: "work" }))).toEqual({ accessKeyId: "AKIDINI", region: "eu-west-3", token: "ini-token" });
  });

  it("fromIni and fromProcess over a profile's credential_process", async () => {
    const box = harness.sandbox();
    const script = join(box.home, "creds.mjs");
    writeFileSync(script, `console.log(JSON.stringify({ Version: 1, AccessKeyId: "AKIDPROC", SecretAccessKey: "proc-secret", SessionToken: "proc-token" }))`);
    box.write("config", `[profile tool]\ncredential_process = "${process.execPath}" "${script}"\n`);
    expect(await signedWith(fromIni({ profile: "tool" }))).toMatchObject({ accessKeyId: "AKIDPROC", token: "proc-token" });
    expect(await signedWith(fromProcess({ profile: "tool" }))).toMatchObject({ accessKeyId: "AKIDPROC", token: "proc-token" });
  });

  it("fromEnv()", async () => {
    harness.sandbox({ AWS_ACCESS_KEY_ID: "AKIDFROMENV", AWS_SECRET_ACCESS_KEY: "s" });
    expect(await signedWith(fromEnv())).toEqual({ accessKeyId: "AKIDFROMENV", region: "eu-west-3", token: undefined });
  });
});
