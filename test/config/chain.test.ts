/**
 * Region and credential sources and their precedence, with a temporary HOME and a clean
 * environment: each case signs a request to a capture server and reads the scope it signed with.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GetMicrovmCommand, LambdaMicrovmsClient, type LambdaMicrovmsClientConfig } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
let saved: NodeJS.ProcessEnv;
let home: string;

beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());

beforeEach(() => {
  saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith("AWS_")) delete process.env[key];
  home = mkdtempSync(join(tmpdir(), "lmvm-home-"));
  process.env.HOME = home;
  process.env.AWS_CONFIG_FILE = join(home, "config");
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, "credentials");
  process.env.AWS_EC2_METADATA_DISABLED = "true";
});
afterEach(() => {
  process.env = saved;
  rmSync(home, { recursive: true, force: true });
});

const files = (config: string, credentials = "") => {
  writeFileSync(join(home, "config"), config);
  writeFileSync(join(home, "credentials"), credentials);
};

/** The access key and region a call was signed with. */
async function scope(config: LambdaMicrovmsClientConfig = {}): Promise<{ key: string; region: string; host?: string }> {
  const client = new LambdaMicrovmsClient({ endpoint: server.endpoint, ...config });
  try {
    server.respond({ status: 200, body: "{}" });
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }));
  } finally {
    client.destroy();
  }
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\//.exec(String(server.requests.at(-1)!.headers.authorization))!;
  return { key: m[1]!, region: m[2]! };
}

describe("region", () => {
  it("config beats AWS_REGION beats AWS_DEFAULT_REGION beats the profile", async () => {
    process.env.AWS_ACCESS_KEY_ID = "ENVKEY";
    process.env.AWS_SECRET_ACCESS_KEY = "s";
    files("[default]\nregion = ap-south-1\n");
    expect((await scope()).region).toBe("ap-south-1");
    process.env.AWS_DEFAULT_REGION = "eu-north-1";
    expect((await scope()).region).toBe("eu-north-1");
    process.env.AWS_REGION = "eu-west-2";
    expect((await scope()).region).toBe("eu-west-2");
    expect((await scope({ region: "us-west-2" })).region).toBe("us-west-2");
  });

  it("AWS_PROFILE and the profile option pick the profile", async () => {
    process.env.AWS_ACCESS_KEY_ID = "ENVKEY";
    process.env.AWS_SECRET_ACCESS_KEY = "s";
    files("[default]\nregion = ap-south-1\n[profile dev]\nregion = ca-central-1\n[profile ops]\nregion = sa-east-1\n");
    process.env.AWS_PROFILE = "dev";
    expect((await scope()).region).toBe("ca-central-1");
    expect((await scope({ profile: "ops" })).region).toBe("sa-east-1");
  });
});

describe("credentials", () => {
  it("explicit beats environment beats the credentials file beats the config file", async () => {
    files("[default]\nregion = us-east-1\naws_access_key_id = CONFIGKEY\naws_secret_access_key = s\n");
    expect((await scope()).key).toBe("CONFIGKEY");
    files("[default]\nregion = us-east-1\naws_access_key_id = CONFIGKEY\naws_secret_access_key = s\n", "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = s\naws_session_token = tok\n");
    expect((await scope()).key).toBe("FILEKEY");
    expect(server.requests.at(-1)!.headers["x-amz-security-token"]).toBe("tok");
    process.env.AWS_ACCESS_KEY_ID = "ENVKEY";
    process.env.AWS_SECRET_ACCESS_KEY = "s";
    expect((await scope()).key).toBe("ENVKEY");
    expect((await scope({ credentials: { accessKeyId: "GIVEN", secretAccessKey: "s" } })).key).toBe("GIVEN");
  });

  it("runs credential_process, and a failing one gives a clear error without its output", async () => {
    const script = join(home, "creds.cjs");
    writeFileSync(script, `console.log(JSON.stringify({ Version: 1, AccessKeyId: "PROCKEY", SecretAccessKey: "proc-secret", SessionToken: "proc-token" }))`);
    const failing = join(home, "fail.cjs");
    writeFileSync(failing, `console.log("SECRET-IN-OUTPUT"); process.exit(3)`);
    files(`[default]\nregion = us-east-1\ncredential_process = node ${script}\n[profile bad]\nregion = us-east-1\ncredential_process = node ${failing}\n`);
    expect((await scope()).key).toBe("PROCKEY");
    const client = new LambdaMicrovmsClient({ endpoint: server.endpoint, profile: "bad" });
    const error = (await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" })).catch((e: unknown) => e)) as Error;
    client.destroy();
    expect(error.message).toContain('credential_process of profile "bad" failed (exit code 3)');
    expect(error.message).not.toContain("SECRET-IN-OUTPUT");
  });

  it("when nothing is found, one error lists every source tried", async () => {
    files("[default]\nregion = us-east-1\n");
    const client = new LambdaMicrovmsClient({ endpoint: server.endpoint });
    const error = (await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" })).catch((e: unknown) => e)) as Error;
    client.destroy();
    expect(error.message).toContain("Could not find AWS credentials");
    for (const source of ["environment variables", "shared config and credentials files", "container credentials", "EC2 instance metadata"]) expect(error.message).toContain(source);
  });
});

describe("remote credential sources on loopback", () => {
  let fake: Server;
  let base: string;
  const seen: { url: string; headers: Record<string, unknown> }[] = [];
  let expiresInMs = 3_600_000;
  let tokenCalls = 0;
  beforeAll(async () => {
    fake = createServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      if (req.url === "/latest/api/token" && req.method === "PUT") {
        tokenCalls++;
        res.end("imds-session-token");
        return;
      }
      if (req.url?.startsWith("/latest/meta-data/iam/security-credentials")) {
        if (req.headers["x-aws-ec2-metadata-token"] !== "imds-session-token") return void res.writeHead(401).end();
        if (req.url.endsWith("/")) return void res.end("my-role");
        const body = { Code: "Success", AccessKeyId: `IMDSKEY${seen.length}`, SecretAccessKey: "s", Token: "t", Expiration: new Date(Date.now() + expiresInMs).toISOString() };
        return void res.end(JSON.stringify(body));
      }
      if (req.url === "/creds") {
        if (req.headers.authorization !== "container-token") return void res.writeHead(403).end();
        return void res.end(JSON.stringify({ AccessKeyId: "CONTAINERKEY", SecretAccessKey: "s", Token: "t", Expiration: new Date(Date.now() + 3_600_000).toISOString() }));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => fake.close(() => r())));

  it("container credentials with a token from a file", async () => {
    files("[default]\nregion = us-east-1\n");
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${base}/creds`;
    const tokenFile = join(home, "token");
    writeFileSync(tokenFile, "container-token\n");
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = tokenFile;
    expect((await scope()).key).toBe("CONTAINERKEY");
  });

  it("IMDSv2: token first, then role credentials; refreshed ahead of expiration", async () => {
    files("[default]\nregion = us-east-1\n");
    delete process.env.AWS_EC2_METADATA_DISABLED;
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = base;
    expiresInMs = 60_000; // inside the refresh margin: every call refreshes
    const client = new LambdaMicrovmsClient({ endpoint: server.endpoint });
    server.respond({ status: 200, body: "{}" });
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }));
    const first = /Credential=([^/]+)/.exec(String(server.requests.at(-1)!.headers.authorization))![1];
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }));
    const second = /Credential=([^/]+)/.exec(String(server.requests.at(-1)!.headers.authorization))![1];
    client.destroy();
    expect(first).toMatch(/^IMDSKEY/);
    expect(second).not.toBe(first);
    expect(tokenCalls).toBeGreaterThanOrEqual(2);
  });

  it("a metadata service that is down: the chain moves on within a bounded time", async () => {
    files("[default]\nregion = us-east-1\n");
    delete process.env.AWS_EC2_METADATA_DISABLED;
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = "http://127.0.0.1:9";
    const started = Date.now();
    const client = new LambdaMicrovmsClient({ endpoint: server.endpoint });
    const error = (await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" })).catch((e: unknown) => e)) as Error;
    client.destroy();
    expect(error.message).toContain("EC2 instance metadata");
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("laziness and caching", () => {
  it("construction does no I/O; the profile is read at the first call and kept; a credentials provider given is asked at each call", async () => {
    files("[default]\nregion = us-east-1\n");
    let calls = 0;
    const before = server.requests.length;
    const client = new LambdaMicrovmsClient({
      endpoint: server.endpoint,
      credentials: async () => {
        calls++;
        return { accessKeyId: "LAZY", secretAccessKey: "s" };
      },
    });
    expect(calls).toBe(0);
    expect(server.requests.length).toBe(before);
    server.respond({ status: 200, body: "{}" });
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }));
    // The region stays what the first call read, even after the file changes.
    files("[default]\nregion = eu-west-1\n");
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }));
    client.destroy();
    expect(calls).toBe(2);
    const scopes = server.requests.slice(before).map((r) => /Credential=LAZY\/\d{8}\/([^/]+)\//.exec(String(r.headers.authorization))?.[1]);
    expect(scopes).toEqual(["us-east-1", "us-east-1"]);
  });

  it("the default chain resolves once for concurrent first calls and is reused", async () => {
    const script = join(home, "count.cjs");
    const counter = join(home, "count.txt");
    writeFileSync(counter, "");
    writeFileSync(script, `require("fs").appendFileSync(${JSON.stringify(counter)}, "x"); console.log(JSON.stringify({ Version: 1, AccessKeyId: "ONCE", SecretAccessKey: "s" }))`);
    files(`[default]\nregion = us-east-1\ncredential_process = node ${script}\n`);
    const client = new LambdaMicrovmsClient({ endpoint: server.endpoint });
    server.respond({ status: 200, body: "{}" });
    await Promise.all([1, 2, 3].map(() => client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }))));
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" }));
    client.destroy();
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(counter, "utf8")).toBe("x");
  });
});

describe("endpoint overrides", () => {
  it("service env beats global env beats the profile's services section beats the profile", async () => {
    const endpoints = async () => {
      const client = new LambdaMicrovmsClient({ credentials: { accessKeyId: "a", secretAccessKey: "b" } });
      const seen: string[] = [];
      client.middlewareStack.add(
        (next) => async (args) => {
          const r = args.request as { hostname: string; port?: number };
          seen.push(`${r.hostname}:${r.port ?? ""}`);
          throw new Error("stop");
        },
        { step: "finalizeRequest", priority: "high" },
      );
      await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" })).catch(() => undefined);
      client.destroy();
      return seen[0];
    };
    files("[default]\nregion = us-east-1\nendpoint_url = http://profile.test:1\nservices = s\n[services s]\nlambda_microvms =\n  endpoint_url = http://service.test:2\n");
    expect(await endpoints()).toBe("service.test:2");
    process.env.AWS_ENDPOINT_URL = "http://global.test:3";
    expect(await endpoints()).toBe("global.test:3");
    process.env.AWS_ENDPOINT_URL_LAMBDA_MICROVMS = "http://specific.test:4";
    expect(await endpoints()).toBe("specific.test:4");
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = "true";
    expect(await endpoints()).toBe("lambda.us-east-1.amazonaws.com:");
    delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
    delete process.env.AWS_ENDPOINT_URL_LAMBDA_MICROVMS;
    delete process.env.AWS_ENDPOINT_URL;
    files("[default]\nregion = us-east-1\nuse_fips_endpoint = true\n");
    expect(await endpoints()).toBe("lambda-fips.us-east-1.amazonaws.com:");
    process.env.AWS_USE_FIPS_ENDPOINT = "false";
    process.env.AWS_USE_DUALSTACK_ENDPOINT = "true";
    expect(await endpoints()).toBe("lambda.us-east-1.api.aws:");
  });
});

describe("providers from @aws-sdk/credential-providers", () => {
  it("fromIni works as the credentials option (the README's one-liner)", async () => {
    const { fromIni } = await import("@aws-sdk/credential-providers");
    files("[profile other]\nregion = us-east-1\n", "[other]\naws_access_key_id = INIKEY\naws_secret_access_key = s\n");
    expect((await scope({ region: "us-east-1", credentials: fromIni({ profile: "other" }) })).key).toBe("INIKEY");
  });
});
