/** The user agent: package, Node and OS; customUserAgent; the app id from option, env or profile. */
import { platform } from "node:os";
import { describe, expect, it } from "vitest";
import { LambdaMicrovmsClient, ListMicrovmsCommand, type LambdaMicrovmsClientConfig } from "../../src/index";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../../src/client/version";
import { useSandboxes } from "../config/sandbox";

const harness = useSandboxes();

async function userAgentOf(options: LambdaMicrovmsClientConfig = {}): Promise<string> {
  const client = new LambdaMicrovmsClient({ endpoint: harness.server.endpoint, ...options });
  try {
    await client.send(new ListMicrovmsCommand({}));
  } finally {
    client.destroy();
  }
  return String(harness.server.requests.at(-1)!.headers["user-agent"]);
}

const ENV = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s" };

describe("user agent", () => {
  it("names the package and version, Node and the OS", async () => {
    harness.sandbox(ENV);
    const ua = await userAgentOf();
    expect(ua).toContain(`${PACKAGE_NAME}/${PACKAGE_VERSION}`);
    expect(ua).toContain(`md/nodejs#${process.versions.node}`);
    expect(ua).toContain(`os/${platform()}`);
    expect(ua).not.toContain("app/");
  });

  it("customUserAgent is appended", async () => {
    harness.sandbox(ENV);
    expect(await userAgentOf({ customUserAgent: "my-app/1.2" })).toMatch(/ my-app\/1\.2$/);
  });

  it("AWS_SDK_UA_APP_ID appends app/<id>", async () => {
    harness.sandbox({ ...ENV, AWS_SDK_UA_APP_ID: "billing-svc" });
    expect(await userAgentOf()).toContain(" app/billing-svc");
  });

  it("the profile's sdk_ua_app_id appends app/<id>; AWS_SDK_UA_APP_ID and the option win over it", async () => {
    const box = harness.sandbox(ENV);
    box.write("config", "[default]\nsdk_ua_app_id = from-profile\n");
    expect(await userAgentOf()).toContain(" app/from-profile");
    process.env.AWS_SDK_UA_APP_ID = "from-env";
    expect(await userAgentOf()).toContain(" app/from-env");
    expect(await userAgentOf({ userAgentAppId: "from-option" })).toContain(" app/from-option");
  });
});
