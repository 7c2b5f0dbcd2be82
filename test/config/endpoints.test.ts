/**
 * Configured endpoints reach the server: the README's `~/.aws/config` example (a profile's
 * `services` section) and the environment variables, each signing a real request to a loopback
 * server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, LambdaMicrovmsClient, ListMicrovmsCommand } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";
import { sandbox, scope, type Sandbox } from "./sandbox";

let server: CaptureServer;
let other: CaptureServer;
let box: Sandbox | undefined;
beforeAll(async () => {
  [server, other] = await Promise.all([startCaptureServer(), startCaptureServer()]);
});
afterAll(() => Promise.all([server.close(), other.close()]));
afterEach(() => {
  box?.restore();
  box = undefined;
});

async function call(client = new LambdaMicrovmsClient()): Promise<void> {
  try {
    await client.send(new ListMicrovmsCommand({}));
  } finally {
    client.destroy();
  }
}

describe("configured endpoints", () => {
  it("the README example: AWS_PROFILE=dev with a services section", async () => {
    box = sandbox({ AWS_PROFILE: "dev" });
    box.write("config", `[profile dev]\nregion = eu-west-1\nservices = local\n\n[services local]\nlambda_microvms =\n  endpoint_url = ${server.endpoint}\n`);
    box.write("credentials", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
    const before = server.requests.length;
    await call();
    expect(server.requests.length).toBe(before + 1);
    expect(scope(server.requests.at(-1)!.headers.authorization)).toEqual({ accessKeyId: "AKIDDEV", region: "eu-west-1" });
  });

  it("AWS_ENDPOINT_URL_LAMBDA_MICROVMS beats AWS_ENDPOINT_URL beats the profile's endpoint_url; the option beats all", async () => {
    box = sandbox({ AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s" });
    box.write("config", `[default]\nendpoint_url = ${other.endpoint}\n`);
    const count = () => [server.requests.length, other.requests.length];
    let before = count();
    await call();
    expect(count()).toEqual([before[0], before[1]! + 1]);
    process.env.AWS_ENDPOINT_URL = server.endpoint;
    before = count();
    await call();
    expect(count()).toEqual([before[0]! + 1, before[1]]);
    process.env.AWS_ENDPOINT_URL_LAMBDA_MICROVMS = other.endpoint;
    before = count();
    await call();
    expect(count()).toEqual([before[0], before[1]! + 1]);
    before = count();
    await call(new LambdaMicrovmsClient({ endpoint: server.endpoint }));
    expect(count()).toEqual([before[0]! + 1, before[1]]);
  });

  it("FIPS from the environment with an endpoint option is a ConfigurationError at the first call", async () => {
    box = sandbox({ AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s", AWS_USE_FIPS_ENDPOINT: "true" });
    const before = server.requests.length;
    const error = await call(new LambdaMicrovmsClient({ endpoint: server.endpoint })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(server.requests.length).toBe(before);
  });
});
