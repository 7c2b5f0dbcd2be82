import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetMicrovmCommand, LambdaMicrovmsClient, ResourceNotFoundException, RunMicrovmCommand, LambdaMicrovmsServiceException } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
let client: LambdaMicrovmsClient;
beforeAll(async () => {
  server = await startCaptureServer();
  client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

describe("client smoke", () => {
  it("sends a signed GetMicrovm and parses the output", async () => {
    server.respond({ status: 200, headers: { "x-amzn-requestid": "req-1" }, body: JSON.stringify({ microvmId: "mvm-1", state: "RUNNING", endpoint: "https://x", imageArn: "arn:aws:lambda:us-east-1:123456789012:microvm-image:img", imageVersion: "1", maximumDurationInSeconds: 60, startedAt: 1700000000.5, extra: 1 }) });
    const out = await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm/1 x" }));
    expect(out.startedAt).toEqual(new Date(1700000000500));
    expect(out.$metadata.requestId).toBe("req-1");
    expect((out as unknown as Record<string, unknown>).extra).toBeUndefined();
    const req = server.requests.at(-1)!;
    expect(req.method).toBe("GET");
    expect(req.url).toBe("/2025-09-09/microvms/mvm%2F1%20x");
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/us-east-1\/lambda\/aws4_request/);
  });

  it("fills clientToken and maps errors", async () => {
    server.respond({ status: 404, headers: { "x-amzn-errortype": "ResourceNotFoundException:http://x", "x-amzn-requestid": "req-2" }, body: JSON.stringify({ message: "nope", resourceId: "img" }) });
    const input = { imageIdentifier: "img" };
    const err = await client.send(new RunMicrovmCommand(input)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err).toBeInstanceOf(LambdaMicrovmsServiceException);
    expect((err as ResourceNotFoundException).resourceId).toBe("img");
    expect((err as ResourceNotFoundException).$metadata.requestId).toBe("req-2");
    expect(input).toEqual({ imageIdentifier: "img" });
    const body = JSON.parse(server.requests.at(-1)!.body);
    expect(body.clientToken).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("aggregated client", () => {
  it("has a method per operation, with promise and callback forms", async () => {
    const { LambdaMicrovms } = await import("../../src/index");
    const microvms = new LambdaMicrovms({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } });
    server.respond({ status: 200, body: JSON.stringify({ microvmId: "mvm-9", state: "RUNNING" }) });
    expect((await microvms.getMicrovm({ microvmIdentifier: "mvm-9" })).state).toBe("RUNNING");
    const viaCallback = await new Promise<unknown>((resolve, reject) =>
      microvms.getMicrovm({ microvmIdentifier: "mvm-9" }, (error, output) => (error ? reject(error) : resolve(output?.microvmId))),
    );
    expect(viaCallback).toBe("mvm-9");
    server.respond({ status: 404, headers: { "x-amzn-errortype": "ResourceNotFoundException" }, body: '{"message":"gone"}' });
    const failure = await new Promise<unknown>((resolve) => microvms.getMicrovm({ microvmIdentifier: "x" }, {}, (error) => resolve(error)));
    expect(failure).toBeInstanceOf(ResourceNotFoundException);
    microvms.destroy();
  });
});
