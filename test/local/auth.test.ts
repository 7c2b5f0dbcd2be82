import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListMicrovmsCommand, LambdaMicrovmsServiceException, RunMicrovmCommand, GetMicrovmCommand, ValidationException } from "../../src/index";
import { clientFor, errorOf, rawRequest, startFixture, type Fixture } from "./helpers";
import { sendSigned } from "./wire";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ credentials: [{ accessKeyId: "AKIDLOCAL", secretAccessKey: "s3cr3t" }, { accessKeyId: "second", secretAccessKey: "other" }] }, { maxAttempts: 1 });
});
afterAll(() => fx.close());

async function failure(config: Parameters<typeof clientFor>[1]) {
  const client = clientFor(fx.server, { maxAttempts: 1, ...config });
  try {
    const error = await client.send(new ListMicrovmsCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaMicrovmsServiceException);
    return error as LambdaMicrovmsServiceException;
  } finally {
    client.destroy();
  }
}

describe("SigV4 verification", () => {
  it("accepts every configured key", async () => {
    const second = clientFor(fx.server, { credentials: { accessKeyId: "second", secretAccessKey: "other" } });
    await expect(second.send(new ListMicrovmsCommand({}))).resolves.toBeDefined();
    second.destroy();
    expect(fx.server.credentials).toEqual({ accessKeyId: "AKIDLOCAL", secretAccessKey: "s3cr3t" });
  });

  it("answers 403 InvalidSignatureException to a wrong secret", async () => {
    const error = await failure({ credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "wrong" } });
    expect(error.name).toBe("InvalidSignatureException");
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it("answers 403 UnrecognizedClientException to an unknown key", async () => {
    const error = await failure({ credentials: { accessKeyId: "nobody", secretAccessKey: "s3cr3t" } });
    expect(error.name).toBe("UnrecognizedClientException");
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it("answers 403 InvalidSignatureException 'Signature expired' to a skewed clock, either way", async () => {
    for (const offset of [-10 * 60_000, 10 * 60_000]) {
      const error = await failure({ systemClockOffset: offset });
      expect(error.name).toBe("InvalidSignatureException");
      expect(error.message).toMatch(/Signature expired/);
    }
    // Within five minutes is fine.
    const client = clientFor(fx.server, { systemClockOffset: -4 * 60_000 });
    await expect(client.send(new ListMicrovmsCommand({}))).resolves.toBeDefined();
    client.destroy();
  });

  it("answers 403 InvalidSignatureException when the credential scope names another day than X-Amz-Date, however well signed", async () => {
    const now = new Date();
    const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10).replace(/-/g, "");
    const consistent = await sendSigned(fx.server, { method: "GET", target: "/2025-09-09/microvms" }, { date: now });
    expect(consistent.status).toBe(200);
    const answer = await sendSigned(fx.server, { method: "GET", target: "/2025-09-09/microvms" }, { date: now, scopeDay: yesterday });
    expect(answer.status).toBe(403);
    expect(answer.headers["x-amzn-errortype"]).toMatch(/^InvalidSignatureException/);
    expect(JSON.parse(answer.body).message).toMatch(/scope date does not match X-Amz-Date/);
  });

  it("answers 403 MissingAuthenticationTokenException to an unsigned request", async () => {
    const response = await rawRequest(fx.server, { method: "GET", path: "/2025-09-09/microvms", sign: false });
    expect(response.status).toBe(403);
    expect(errorOf(response).type).toBe("MissingAuthenticationTokenException");
  });

  it("rejects a malformed Authorization header and a body that does not match the signed hash", async () => {
    const malformed = await rawRequest(fx.server, { method: "GET", path: "/2025-09-09/microvms", sign: false, headers: { authorization: "AWS4-HMAC-SHA256 nonsense" } });
    expect(malformed.status).toBe(403);
    expect(errorOf(malformed).type).toBe("IncompleteSignatureException");
    const signed = await rawRequest(fx.server, { method: "POST", path: "/2025-09-09/microvms", body: JSON.stringify({ imageIdentifier: "x" }), headers: { "content-type": "application/json", "x-amz-content-sha256": "0".repeat(64) } });
    expect(signed.status).toBe(400);
    errorOf(signed);
  });

  it("verifies labels with reserved characters and repeated query keys", async () => {
    const error = await fx.client.send(new GetMicrovmCommand({ microvmIdentifier: "a/b c:d+e%f" })).catch((e: unknown) => e);
    expect((error as Error).name).toBe("ResourceNotFoundException");
    expect((error as { resourceId?: string }).resourceId).toBe("a/b c:d+e%f");
    const response = await rawRequest(fx.server, { method: "DELETE", path: "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Amicrovm-image%3Amvi-x?tagKeys=a&tagKeys=b%20c" });
    expect(response.status).toBe(404);
  });
});

describe("protocol errors", () => {
  it("answers 400 ValidationException naming every bad member (client-side validation off)", async () => {
    const client = clientFor(fx.server, { validateParams: false, maxAttempts: 1 });
    const error = await client
      .send(new RunMicrovmCommand({ imageIdentifier: "", maximumDurationInSeconds: 0, idlePolicy: { maxIdleDurationSeconds: 1 } } as never))
      .catch((e: unknown) => e);
    client.destroy();
    expect(error).toBeInstanceOf(ValidationException);
    const message = (error as Error).message;
    expect(message).toMatch(/imageIdentifier/);
    expect(message).toMatch(/maximumDurationInSeconds/);
    expect(message).toMatch(/idlePolicy\.suspendedDurationSeconds: is required/);
    expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
  });

  it("validates query members, unions and enums from the raw wire", async () => {
    const bigPage = await rawRequest(fx.server, { method: "GET", path: "/2025-09-09/microvms?maxResults=51" });
    expect(bigPage.status).toBe(400);
    expect(errorOf(bigPage).message).toMatch(/maxResults/);
    const notNumber = await rawRequest(fx.server, { method: "GET", path: "/2025-09-09/microvms?maxResults=ten" });
    expect(errorOf(notNumber).message).toMatch(/maxResults: must be an integer/);
    const union = await rawRequest(fx.server, {
      method: "POST",
      path: "/2025-09-09/microvm-images",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "n", baseImageArn: "a", buildRoleArn: "arn:aws:iam::123456789012:role/r", codeArtifact: { s3: "x" }, cpuConfigurations: [{ architecture: "X86_64" }] }),
    });
    expect(union.status).toBe(400);
    const { type, message } = errorOf(union);
    expect(type).toBe("ValidationException");
    expect(message).toMatch(/codeArtifact/);
    expect(message).toMatch(/cpuConfigurations\[0\]\.architecture: must be one of ARM_64/);
  });

  it("answers well-formed JSON errors for unknown paths, wrong methods and bad JSON", async () => {
    const unknown = await rawRequest(fx.server, { method: "GET", path: "/nowhere" });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).type).toBe("UnknownOperationException");
    const method = await rawRequest(fx.server, { method: "PATCH", path: "/2025-09-09/microvms" });
    expect(method.status).toBe(405);
    errorOf(method);
    const badJson = await rawRequest(fx.server, { method: "POST", path: "/2025-09-09/microvms", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(badJson.status).toBe(400);
    expect(errorOf(badJson).type).toBe("SerializationException");
    const array = await rawRequest(fx.server, { method: "POST", path: "/2025-09-09/microvms", body: "[1,2]" });
    expect(errorOf(array).type).toBe("SerializationException");
  });
});
