/** Container credentials against a loopback fake: token from the environment, errors, allowed hosts. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LambdaMicrovmsClient, ListMicrovmsCommand } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";
import { sandbox, scope, type Sandbox } from "../config/sandbox";

let server: CaptureServer;
let fake: Server;
let base: string;
let status = 200;
const hits: Array<string | undefined> = [];
let box: Sandbox | undefined;
beforeAll(async () => {
  server = await startCaptureServer();
  fake = createServer((req, res) => {
    hits.push(req.headers.authorization);
    if (status !== 200) return void res.writeHead(status).end("boom");
    res.end(JSON.stringify({ AccessKeyId: "AKIDCONTAINER", SecretAccessKey: "container-secret", Token: "container-session", Expiration: new Date(Date.now() + 3_600_000).toISOString() }));
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server.close();
  fake.closeAllConnections();
  await new Promise<void>((r) => fake.close(() => r()));
});
afterEach(() => {
  box?.restore();
  box = undefined;
  status = 200;
});

async function send(): Promise<unknown> {
  const client = new LambdaMicrovmsClient({ region: "us-east-2", endpoint: server.endpoint });
  try {
    return await client.send(new ListMicrovmsCommand({}));
  } catch (error) {
    return error;
  } finally {
    client.destroy();
  }
}

describe("container credentials", () => {
  it("FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN: the token is sent, the session token is used", async () => {
    box = sandbox({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/v1/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN: "Bearer env-token" });
    hits.length = 0;
    expect(await send()).not.toBeInstanceOf(Error);
    expect(hits).toEqual(["Bearer env-token"]);
    const request = server.requests.at(-1)!;
    expect(scope(request.headers.authorization)).toEqual({ accessKeyId: "AKIDCONTAINER", region: "us-east-2" });
    expect(request.headers["x-amz-security-token"]).toBe("container-session");
  });

  it("RELATIVE_URI goes to the ECS agent at 169.254.170.2 (fetch stubbed: nothing leaves the machine)", async () => {
    box = sandbox({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/abc", AWS_CONTAINER_AUTHORIZATION_TOKEN: "Bearer t" });
    const urls: string[] = [];
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ AccessKeyId: "AKIDECS", SecretAccessKey: "s", Token: "ecs-session" }));
    });
    try {
      expect(await send()).not.toBeInstanceOf(Error);
    } finally {
      spy.mockRestore();
    }
    expect(urls).toEqual(["http://169.254.170.2/v2/credentials/abc"]);
    expect(scope(server.requests.at(-1)!.headers.authorization).accessKeyId).toBe("AKIDECS");
  });

  it("the shared files come before the container", async () => {
    box = sandbox({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/v1/credentials` });
    box.write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
    hits.length = 0;
    await send();
    expect(hits).toEqual([]);
    expect(scope(server.requests.at(-1)!.headers.authorization).accessKeyId).toBe("AKIDFILE");
  });

  it("an endpoint that answers 500: the chain's error names it, without the token", async () => {
    box = sandbox({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/v1/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN: "Bearer SECRET-TOKEN" });
    status = 500;
    const error = (await send()) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/container/i);
    expect(error.message).toContain("500");
    expect(error.message).not.toContain("SECRET-TOKEN");
  });

  it("plain http to a host that is not loopback or the ECS/EKS agent is refused before connecting", async () => {
    box = sandbox({ AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://192.0.2.1/creds", AWS_CONTAINER_AUTHORIZATION_TOKEN: "Bearer SECRET-TOKEN" });
    const started = Date.now();
    const error = (await send()) as Error;
    expect(Date.now() - started).toBeLessThan(500);
    expect(error.message).toMatch(/FULL_URI must be https/);
    expect(error.message).not.toContain("SECRET-TOKEN");
  });
});
