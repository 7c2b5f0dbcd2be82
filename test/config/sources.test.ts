/**
 * Where region and credentials come from, and in which order: each case runs in a clean
 * environment with a temporary HOME, signs a real request to a loopback server, and checks the
 * access key and region in the signature's scope.
 */
import { describe, expect, it } from "vitest";
import { ConfigurationError, CredentialsError, LambdaMicrovmsClient, ListMicrovmsCommand, type LambdaMicrovmsClientConfig } from "../../src/index";
import { startCaptureServer } from "../helpers/captureServer";
import { scope, useSandboxes, type Sandbox } from "./sandbox";

const harness = useSandboxes();

interface Case {
  name: string;
  env?: Record<string, string>;
  /** Files under ~/.aws (or absolute paths). */
  files?: Record<string, string>;
  options?: LambdaMicrovmsClientConfig;
  expect: { accessKeyId: string; region: string; sessionToken?: string };
}

const ENV_KEYS = { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret" };
const CREDENTIALS = "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n\n[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\naws_session_token = dev-token\n";
const CONFIG = "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = ap-southeast-2\n\n[profile cfgkeys]\nregion = ca-central-1\naws_access_key_id = AKIDCFG\naws_secret_access_key = cfg-secret\naws_session_token = cfg-token\n";

const cases: Case[] = [
  { name: "explicit credentials and region", env: { ...ENV_KEYS, AWS_REGION: "us-west-2" }, options: { region: "eu-north-1", credentials: { accessKeyId: "AKIDOPT", secretAccessKey: "s" } }, expect: { accessKeyId: "AKIDOPT", region: "eu-north-1" } },
  { name: "explicit credential provider", env: ENV_KEYS, options: { region: "us-east-1", credentials: async () => ({ accessKeyId: "AKIDFN", secretAccessKey: "s" }) }, expect: { accessKeyId: "AKIDFN", region: "us-east-1" } },
  { name: "environment keys and AWS_REGION", env: { ...ENV_KEYS, AWS_REGION: "us-west-2" }, expect: { accessKeyId: "AKIDENV", region: "us-west-2" } },
  { name: "environment session token", env: { ...ENV_KEYS, AWS_SESSION_TOKEN: "env-token", AWS_REGION: "us-west-2" }, expect: { accessKeyId: "AKIDENV", region: "us-west-2", sessionToken: "env-token" } },
  { name: "AWS_DEFAULT_REGION", env: { ...ENV_KEYS, AWS_DEFAULT_REGION: "sa-east-1" }, expect: { accessKeyId: "AKIDENV", region: "sa-east-1" } },
  { name: "AWS_REGION beats AWS_DEFAULT_REGION and the profile", env: { ...ENV_KEYS, AWS_REGION: "us-west-1", AWS_DEFAULT_REGION: "sa-east-1" }, files: { config: CONFIG }, expect: { accessKeyId: "AKIDENV", region: "us-west-1" } },
  { name: "AWS_DEFAULT_REGION beats the profile", env: { ...ENV_KEYS, AWS_DEFAULT_REGION: "sa-east-1" }, files: { config: CONFIG }, expect: { accessKeyId: "AKIDENV", region: "sa-east-1" } },
  { name: "region option beats the environment", env: { ...ENV_KEYS, AWS_REGION: "us-west-1" }, options: { region: "eu-central-1" }, expect: { accessKeyId: "AKIDENV", region: "eu-central-1" } },
  { name: "environment keys beat the files", env: ENV_KEYS, files: { credentials: CREDENTIALS, config: CONFIG }, expect: { accessKeyId: "AKIDENV", region: "eu-west-1" } },
  { name: "default profile: ~/.aws/credentials and ~/.aws/config", files: { credentials: CREDENTIALS, config: CONFIG }, expect: { accessKeyId: "AKIDFILE", region: "eu-west-1" } },
  { name: "AWS_PROFILE picks the profile (keys with session token)", env: { AWS_PROFILE: "dev" }, files: { credentials: CREDENTIALS, config: CONFIG }, expect: { accessKeyId: "AKIDDEV", region: "ap-southeast-2", sessionToken: "dev-token" } },
  { name: "profile option beats AWS_PROFILE", env: { AWS_PROFILE: "nope" }, options: { profile: "dev" }, files: { credentials: CREDENTIALS, config: CONFIG }, expect: { accessKeyId: "AKIDDEV", region: "ap-southeast-2", sessionToken: "dev-token" } },
  { name: "static keys in the config file", env: { AWS_PROFILE: "cfgkeys" }, files: { config: CONFIG }, expect: { accessKeyId: "AKIDCFG", region: "ca-central-1", sessionToken: "cfg-token" } },
  { name: "credentials file beats config file keys", options: { profile: "cfgkeys" }, files: { credentials: "[cfgkeys]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = x\n", config: CONFIG }, expect: { accessKeyId: "AKIDCREDS", region: "ca-central-1" } },
  { name: "AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE", env: { AWS_SHARED_CREDENTIALS_FILE: "@/elsewhere/creds", AWS_CONFIG_FILE: "@/elsewhere/conf" }, files: { credentials: CREDENTIALS, config: CONFIG, "@/elsewhere/creds": "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = x\n", "@/elsewhere/conf": "[default]\nregion = me-south-1\n" }, expect: { accessKeyId: "AKIDMOVED", region: "me-south-1" } },
  { name: "region option with profile credentials", options: { region: "us-east-2" }, files: { credentials: CREDENTIALS }, expect: { accessKeyId: "AKIDFILE", region: "us-east-2" } },
];

function setUp(c: Pick<Case, "env" | "files">): Sandbox {
  const s = harness.sandbox();
  const env = { ...c.env };
  for (const [k, v] of Object.entries(env)) if (v.startsWith("@/")) env[k] = `${s.home}${v.slice(1)}`;
  Object.assign(process.env, env);
  for (const [name, text] of Object.entries(c.files ?? {})) s.write(name.startsWith("@/") ? `${s.home}${name.slice(1)}` : name, text);
  return s;
}

describe("region and credential sources, in order", () => {
  it.each(cases)("$name", async (c) => {
    setUp(c);
    const client = new LambdaMicrovmsClient({ endpoint: harness.server.endpoint, ...c.options });
    try {
      await client.send(new ListMicrovmsCommand({}));
    } finally {
      client.destroy();
    }
    const request = harness.server.requests.at(-1)!;
    expect(scope(request.headers.authorization)).toEqual({ accessKeyId: c.expect.accessKeyId, region: c.expect.region });
    expect(request.headers["x-amz-security-token"]).toBe(c.expect.sessionToken);
  });

  it("a missing region is a ConfigurationError naming every way to set it", async () => {
    setUp({ env: ENV_KEYS, files: { config: "[default]\noutput = json\n" } });
    const client = new LambdaMicrovmsClient({ endpoint: harness.server.endpoint });
    const error = await client.send(new ListMicrovmsCommand({})).catch((e: unknown) => e);
    client.destroy();
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    for (const way of ["region", "AWS_REGION", "AWS_DEFAULT_REGION", "profile"]) expect(message).toContain(way);
  });

  it("no credentials anywhere: one error listing every source tried, and nothing sent", async () => {
    setUp({ env: { AWS_REGION: "us-east-1" } });
    const before = harness.server.requests.length;
    const client = new LambdaMicrovmsClient({ endpoint: harness.server.endpoint });
    const error = await client.send(new ListMicrovmsCommand({})).catch((e: unknown) => e as Error);
    client.destroy();
    expect(error).toBeInstanceOf(CredentialsError);
    const message = (error as Error).message;
    expect(message).toMatch(/AWS_ACCESS_KEY_ID/);
    expect(message).toMatch(/shared|credentials file|~\/\.aws/i);
    expect(message).toMatch(/container/i);
    expect(message).toMatch(/instance metadata|IMDS/i);
    expect(harness.server.requests.length).toBe(before);
  });

  it("a named profile that does not exist, and an SSO profile, are named in the error with what to do", async () => {
    setUp({ env: { AWS_REGION: "us-east-1", AWS_PROFILE: "nosuch" }, files: { config: "[profile sso]\nsso_session = corp\nregion = us-east-1\n" } });
    let client = new LambdaMicrovmsClient({ endpoint: harness.server.endpoint });
    let message = String(await client.send(new ListMicrovmsCommand({})).catch((e: unknown) => (e as Error).message));
    client.destroy();
    expect(message).toContain('no profile "nosuch" in ~/.aws/config or ~/.aws/credentials');
    expect(message).toMatch(/aws configure/);
    client = new LambdaMicrovmsClient({ endpoint: harness.server.endpoint, profile: "sso" });
    message = String(await client.send(new ListMicrovmsCommand({})).catch((e: unknown) => (e as Error).message));
    client.destroy();
    expect(message).toContain("fromIni({ profile })");
  });

  it("a profile with only a region does not stop the chain", async () => {
    const container = await startCaptureServer();
    container.respond({ status: 200, body: JSON.stringify({ AccessKeyId: "AKIDNEXT", SecretAccessKey: "s" }) });
    try {
      setUp({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.endpoint}/creds` }, files: { config: "[default]\nregion = eu-south-1\n" } });
      const client = new LambdaMicrovmsClient({ endpoint: harness.server.endpoint });
      await client.send(new ListMicrovmsCommand({}));
      client.destroy();
      expect(scope(harness.server.requests.at(-1)!.headers.authorization)).toEqual({ accessKeyId: "AKIDNEXT", region: "eu-south-1" });
    } finally {
      await container.close();
    }
  });

  it("AWS_CREDENTIAL_EXPIRATION is carried: expired environment credentials are read again", async () => {
    setUp({ env: { ...ENV_KEYS, AWS_REGION: "us-east-1", AWS_SESSION_TOKEN: "t1", AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 60_000).toISOString() } });
    const client = new LambdaMicrovmsClient({ endpoint: harness.server.endpoint });
    await client.send(new ListMicrovmsCommand({}));
    process.env.AWS_ACCESS_KEY_ID = "AKIDROTATED";
    process.env.AWS_SESSION_TOKEN = "t2";
    process.env.AWS_CREDENTIAL_EXPIRATION = new Date(Date.now() + 3_600_000).toISOString();
    // Within the refresh margin (5 min) of its expiration, the first identity is replaced.
    await client.send(new ListMicrovmsCommand({}));
    client.destroy();
    expect(scope(harness.server.requests.at(-1)!.headers.authorization).accessKeyId).toBe("AKIDROTATED");
    expect(harness.server.requests.at(-1)!.headers["x-amz-security-token"]).toBe("t2");
  });
});
