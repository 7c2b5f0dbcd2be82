/**
 * The emulator's SigV4 verifier: its canonical request against the AWS test-suite vectors, and
 * the scope rules the service enforces (region, a signed host, signed headers that are present).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListMicrovmsCommand, LambdaMicrovmsServiceException } from "../../src/index";
import { payloadHash, signature } from "../../src/local/canonical";
import { suite } from "../fixtures/sigv4Suite";
import { clientFor, startFixture, type Fixture } from "./helpers";
import { sendSigned } from "./wire";

describe("the verifier's signature", () => {
  it.each(suite.cases.map((c) => [c.name, c] as const))("matches the AWS test suite: %s", (_, testCase) => {
    const headers = Object.keys(testCase.headers)
      .sort()
      .map((name): [string, string] => [name, testCase.headers[name]!]);
    const query = Object.fromEntries(Object.entries(testCase.query).map(([k, v]) => [k, [v]]));
    // The suite's request lines carry the path as is (its UTF-8 case too): that is the raw path.
    const rawPath = testCase.path;
    const amzDate = testCase.headers["x-amz-date"]!;
    const sig = signature(
      { method: testCase.method, rawPath, query, headers, payloadHash: payloadHash(Buffer.from(testCase.body ?? "")) },
      { secretAccessKey: suite.secretAccessKey, date: amzDate.slice(0, 8), region: suite.region, service: suite.service, amzDate },
    );
    expect(sig).toBe(testCase.signature);
  });
});

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ region: "eu-west-1" }, { maxAttempts: 1 });
});
afterAll(() => fx.close());

describe("credential scope and signed headers", () => {
  it("answers 403 to a signature scoped to another region, from the SDK and on raw bytes", async () => {
    const client = clientFor(fx.server, { region: "us-east-1", maxAttempts: 1 });
    const error = (await client.send(new ListMicrovmsCommand({})).catch((e: unknown) => e)) as LambdaMicrovmsServiceException;
    client.destroy();
    expect(error.name).toBe("InvalidSignatureException");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe("Credential should be scoped to a valid region, not 'us-east-1'.");
    const raw = await sendSigned(fx.server, { method: "GET", target: "/2025-09-09/microvms" }, { region: "us-west-2" });
    expect(raw.status).toBe(403);
    await expect(fx.client.send(new ListMicrovmsCommand({}))).resolves.toBeDefined();
  });

  it("answers 403 to a signature that does not cover host", async () => {
    const answer = await sendSigned(fx.server, { method: "GET", target: "/2025-09-09/microvms" }, { signedHeaders: ["x-amz-date"] });
    expect(answer.status).toBe(403);
    expect(answer.headers["x-amzn-errortype"]).toBe("IncompleteSignatureException");
    expect(JSON.parse(answer.body).message).toMatch(/'Host' or ':authority' must be a 'SignedHeader'/);
  });

  it("answers 403 to SignedHeaders naming a header the request does not carry", async () => {
    const answer = await sendSigned(fx.server, { method: "GET", target: "/2025-09-09/microvms" }, { extraSignedNames: ["x-amz-security-token"] });
    expect(answer.status).toBe(403);
    expect(answer.headers["x-amzn-errortype"]).toBe("InvalidSignatureException");
    expect(JSON.parse(answer.body).message).toMatch(/'x-amz-security-token' is signed but not present/);
  });

  it("accepts repeated headers, joined as SigV4 joins them", async () => {
    const answer = await sendSigned(fx.server, { method: "GET", target: "/2025-09-09/microvms", headers: [["x-custom", " a "], ["x-custom", "b  c"]] });
    expect(answer.status).toBe(200);
  });
});
