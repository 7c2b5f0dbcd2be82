/**
 * Each credential source on its own, in a clean environment: what it returns, what it refuses,
 * and the exact messages a user reads when nothing is found. Network sources talk to stubbed
 * `fetch` or to a fake on loopback.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resolveDefaultCredentials } from "../../src/auth/credentials/defaultChain";
import { resolveDefaultCredentials as resolveWebCredentials } from "../../src/auth/credentials/defaultChain.web";
import { CredentialsError } from "../../src/auth/credentials/errors";
import { fromContainer } from "../../src/auth/credentials/fromContainer";
import { fromEnv } from "../../src/auth/credentials/fromEnv";
import { fromInstanceMetadata } from "../../src/auth/credentials/fromInstanceMetadata";
import { fromProfile, runCredentialProcess } from "../../src/auth/credentials/fromProfile";
import type { LoadedProfile } from "../../src/config/profile";
import { sandbox, type Sandbox } from "../config/sandbox";

let box: Sandbox | undefined;
const clean = (env: Record<string, string> = {}) => (box = sandbox(env));
afterEach(() => {
  box?.restore();
  box = undefined;
  vi.restoreAllMocks();
});

const profile = (name: string, config: Record<string, string>, credentials: Record<string, string> = {}): LoadedProfile => ({ name, config, credentials, services: {} });

describe("environment", () => {
  it("keys, session token and expiration", () => {
    clean({ AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "tok", AWS_CREDENTIAL_EXPIRATION: "2030-01-01T00:00:00Z" });
    expect(fromEnv()).toEqual({ accessKeyId: "AKIDENV", secretAccessKey: "s", sessionToken: "tok", expiration: new Date("2030-01-01T00:00:00Z") });
  });

  it("half a key pair is no credentials", () => {
    clean({ AWS_ACCESS_KEY_ID: "AKIDENV" });
    expect(fromEnv()).toBeUndefined();
    clean({ AWS_SECRET_ACCESS_KEY: "s" });
    expect(fromEnv()).toBeUndefined();
  });

  it("outside Node.js the chain is the environment alone, and says so when it is empty", async () => {
    clean({ AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "s" });
    expect(await resolveWebCredentials()).toEqual({ accessKeyId: "AKIDENV", secretAccessKey: "s" });
    clean();
    const error = await resolveWebCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).name).toBe("CredentialsError");
    expect((error as Error).message).toBe(
      "Could not find AWS credentials. Tried:\n  - environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): not set, or not readable here\n" +
        "Outside Node.js the client reads no credentials file and asks no metadata service: pass { credentials } to the client " +
        "(an object, or a provider such as fromCognitoIdentityPool of @aws-sdk/credential-providers).",
    );
  });
});

describe("shared files", () => {
  it("static keys: the credentials file's, else the config file's; half a pair does not count", async () => {
    clean();
    expect(await fromProfile(profile("p", { aws_access_key_id: "CFG", aws_secret_access_key: "s" }, { aws_access_key_id: "CRED", aws_secret_access_key: "s", aws_session_token: "t" }))).toEqual({
      accessKeyId: "CRED",
      secretAccessKey: "s",
      sessionToken: "t",
    });
    expect(await fromProfile(profile("p", { aws_access_key_id: "CFG", aws_secret_access_key: "s" }, { aws_access_key_id: "CRED" }))).toEqual({ accessKeyId: "CFG", secretAccessKey: "s" });
  });

  it("a profile that is in neither file names both files", async () => {
    clean({ AWS_CONFIG_FILE: "/etc/aws-config", AWS_SHARED_CREDENTIALS_FILE: "/etc/aws-credentials" });
    await expect(fromProfile(profile("ghost", {}))).rejects.toThrow('no profile "ghost" in /etc/aws-config or /etc/aws-credentials');
    clean();
    await expect(fromProfile(profile("ghost", {}))).rejects.toThrow('no profile "ghost" in ~/.aws/config or ~/.aws/credentials');
  });

  it("a profile without keys or credential_process says so, and points SSO and role profiles elsewhere", async () => {
    clean();
    const bare = 'profile "p" has no aws_access_key_id/aws_secret_access_key or credential_process';
    const hint = " (for SSO or role profiles pass credentials: fromIni({ profile }) from @aws-sdk/credential-providers)";
    await expect(fromProfile(profile("p", { region: "us-east-1" }))).rejects.toThrow(new CredentialsError(bare));
    for (const key of ["sso_session", "sso_start_url", "role_arn"]) {
      await expect(fromProfile(profile("p", { [key]: "x" }))).rejects.toThrow(new CredentialsError(bare + hint));
    }
  });
});

describe("credential_process", () => {
  /** A command that prints `json` (a value to stringify, or raw text). */
  function printing(json: unknown): string {
    const path = join(box!.home, `out-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, typeof json === "string" ? json : JSON.stringify(json));
    return `cat ${path}`;
  }

  it("reads keys, session token and expiration", async () => {
    clean();
    const command = printing({ Version: 1, AccessKeyId: "PROC", SecretAccessKey: "s", SessionToken: "t", Expiration: "2030-01-01T00:00:00Z" });
    expect(await runCredentialProcess(command, "p")).toEqual({ accessKeyId: "PROC", secretAccessKey: "s", sessionToken: "t", expiration: new Date("2030-01-01T00:00:00Z") });
    const plain = printing({ Version: 1, AccessKeyId: "PROC", SecretAccessKey: "s", SessionToken: 5, Expiration: 5 });
    expect(await runCredentialProcess(plain, "p")).toEqual({ accessKeyId: "PROC", secretAccessKey: "s" });
  });

  it("is run from the credentials file's profile or the config file's", async () => {
    clean();
    const command = printing({ Version: 1, AccessKeyId: "PROC", SecretAccessKey: "s" });
    expect(await fromProfile(profile("p", {}, { credential_process: command }))).toMatchObject({ accessKeyId: "PROC" });
    expect(await fromProfile(profile("p", { credential_process: command }))).toMatchObject({ accessKeyId: "PROC" });
  });

  it("refuses output that is not JSON, or JSON without Version 1 and both keys", async () => {
    clean();
    await expect(runCredentialProcess(printing("AccessKeyId=PROC"), "p")).rejects.toThrow(new CredentialsError('credential_process of profile "p" did not print JSON.'));
    const incomplete = new CredentialsError('credential_process of profile "p" printed JSON without Version 1, AccessKeyId and SecretAccessKey.');
    for (const printed of [
      { Version: 2, AccessKeyId: "PROC", SecretAccessKey: "s" },
      { Version: 1, SecretAccessKey: "s" },
      { Version: 1, AccessKeyId: "PROC", SecretAccessKey: 7 },
    ]) {
      await expect(runCredentialProcess(printing(printed), "p")).rejects.toThrow(incomplete);
    }
  });

  it("a process that is killed has no exit code to report", async () => {
    clean();
    await expect(runCredentialProcess("kill -9 $$", "p")).rejects.toThrow('credential_process of profile "p" failed (exit code unknown).');
  });

  it("a failing one ends the chain with its own error, not the list of sources", async () => {
    clean();
    box!.write("config", "[default]\ncredential_process = exit 4\n");
    process.env.AWS_CONFIG_FILE = join(box!.home, ".aws", "config");
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(box!.home, ".aws", "credentials");
    await expect(resolveDefaultCredentials()).rejects.toThrow(new CredentialsError('credential_process of profile "default" failed (exit code 4).'));
  });
});

describe("the default chain", () => {
  it("nothing found: one error listing each source, the profile it looked for and why each gave nothing", async () => {
    clean();
    process.env.AWS_CONFIG_FILE = box!.write("config", "[default]\nregion = us-east-1\n[profile dev]\nregion = us-east-1\n");
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(box!.home, ".aws", "credentials");
    const message = (profileName: string, why: string) =>
      "Could not find AWS credentials. Tried:\n" +
      "  - environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): not set\n" +
      `  - shared config and credentials files (profile "${profileName}"): ${why}\n` +
      "  - container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI): not set\n" +
      "  - EC2 instance metadata (IMDSv2): not set\n" +
      "Pass { credentials } to the client, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or set up a profile (aws configure).";
    const noKeys = (name: string) => `profile "${name}" has no aws_access_key_id/aws_secret_access_key or credential_process`;
    await expect(resolveDefaultCredentials()).rejects.toThrow(new CredentialsError(message("default", noKeys("default"))));
    process.env.AWS_PROFILE = "dev";
    await expect(resolveDefaultCredentials()).rejects.toThrow(new CredentialsError(message("dev", noKeys("dev"))));
    await expect(resolveDefaultCredentials("ops")).rejects.toThrow(new CredentialsError(message("ops", `no profile "ops" in ${process.env.AWS_CONFIG_FILE} or ${process.env.AWS_SHARED_CREDENTIALS_FILE}`)));
  });

  it("a source's error is cut to its first line", async () => {
    clean({ AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://192.0.2.1/creds" });
    process.env.AWS_CONFIG_FILE = box!.write("config", "[default]\nregion = us-east-1\n");
    const error = (await resolveDefaultCredentials().catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(
      "\n  - container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI): AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback address or the ECS/EKS agent\n",
    );
  });
});

describe("container endpoint", () => {
  const keys = { AccessKeyId: "AKIDC", SecretAccessKey: "s" };
  /** Stubs fetch with `answer`; returns the URLs and authorization headers it was asked for. */
  function stubFetch(answer: () => Response | Promise<Response> = () => Response.json(keys)) {
    const asked: { url: string; authorization: string | undefined }[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      asked.push({ url: String(input), authorization: (init?.headers as Record<string, string> | undefined)?.authorization });
      return answer();
    });
    return asked;
  }

  it("not configured: nothing, and no request", async () => {
    clean();
    const asked = stubFetch();
    expect(await fromContainer()).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it("RELATIVE_URI goes to the ECS agent; the token file's token is sent trimmed", async () => {
    clean({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/creds" });
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = box!.write("token", "  file-token\n");
    const asked = stubFetch(() => Response.json({ ...keys, Token: "t", Expiration: "2030-01-01T00:00:00Z" }));
    expect(await fromContainer()).toEqual({ accessKeyId: "AKIDC", secretAccessKey: "s", sessionToken: "t", expiration: new Date("2030-01-01T00:00:00Z") });
    expect(asked).toEqual([{ url: "http://169.254.170.2/v2/creds", authorization: "file-token" }]);
  });

  it("FULL_URI over plain http only to loopback and the ECS and EKS agents; https to anywhere", async () => {
    const allowed = [
      "http://localhost/c",
      "http://169.254.170.2/c",
      "http://169.254.170.23/c",
      "http://[fd00:ec2::23]/c",
      "http://[::1]/c",
      "http://127.0.0.1/c",
      "http://127.100.200.250/c",
      "https://creds.example.com/c",
    ];
    for (const url of allowed) {
      clean({ AWS_CONTAINER_CREDENTIALS_FULL_URI: url });
      const asked = stubFetch();
      expect(await fromContainer()).toEqual({ accessKeyId: "AKIDC", secretAccessKey: "s" });
      expect(asked.map((a) => a.url)).toEqual([url]);
      vi.restoreAllMocks();
    }
    const refused = new CredentialsError("AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback address or the ECS/EKS agent");
    for (const url of ["http://192.0.2.1/c", "http://127.0.0.1.nip.io/c", "ftp://localhost/c", "http://localhost.example.com/c"]) {
      clean({ AWS_CONTAINER_CREDENTIALS_FULL_URI: url });
      const asked = stubFetch();
      await expect(fromContainer()).rejects.toThrow(refused);
      expect(asked).toEqual([]);
    }
  });

  it("a FULL_URI that is not a URL", async () => {
    clean({ AWS_CONTAINER_CREDENTIALS_FULL_URI: "not a url" });
    await expect(fromContainer()).rejects.toThrow(new CredentialsError("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL"));
  });

  it("an endpoint that does not answer, or answers without both keys", async () => {
    clean({ AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://127.0.0.1/c" });
    stubFetch(() => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { name: "TypeError" })));
    await expect(fromContainer()).rejects.toThrow(new CredentialsError("container credentials endpoint did not answer (TypeError)"));
    for (const body of [{ AccessKeyId: "AKIDC" }, { SecretAccessKey: "s" }]) {
      vi.restoreAllMocks();
      stubFetch(() => Response.json(body));
      await expect(fromContainer()).rejects.toThrow(new CredentialsError("container credentials endpoint answered without keys"));
    }
  });
});

describe("instance metadata", () => {
  let fake: Server;
  let base: string;
  let roleRequests = 0;
  beforeAll(async () => {
    // Gives a session token, then fails every request for the role: each attempt asks for it once.
    fake = createServer((req, res) => {
      if (req.method === "PUT") return void res.end("session");
      roleRequests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => fake.close(() => r())));

  it("AWS_EC2_METADATA_DISABLED=true, in any case, asks nothing", async () => {
    for (const value of ["true", "TRUE", "True"]) {
      clean({ AWS_EC2_METADATA_SERVICE_ENDPOINT: base, AWS_EC2_METADATA_DISABLED: value });
      roleRequests = 0;
      expect(await fromInstanceMetadata()).toBeUndefined();
      expect(roleRequests).toBe(0);
    }
  });

  it("tries AWS_METADATA_SERVICE_NUM_ATTEMPTS times, once when unset or not a whole number above 1", async () => {
    const attempts = async (value?: string): Promise<number> => {
      clean({ AWS_EC2_METADATA_SERVICE_ENDPOINT: base, ...(value === undefined ? {} : { AWS_METADATA_SERVICE_NUM_ATTEMPTS: value }) });
      delete process.env.AWS_EC2_METADATA_DISABLED;
      roleRequests = 0;
      await fromInstanceMetadata().catch(() => undefined);
      const made = roleRequests;
      box!.restore();
      box = undefined;
      return made;
    };
    const once = await attempts();
    expect(once).toBeGreaterThan(0);
    expect(await attempts("3")).toBe(3 * once);
    expect(await attempts("1")).toBe(once);
    expect(await attempts("2.5")).toBe(once);
    expect(await attempts("0")).toBe(once);
  });
});
