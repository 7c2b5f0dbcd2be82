/**
 * SigV4: the published AWS test-suite vectors (header signing) through the signer configured
 * as the client configures it, and whole `lambda` requests from the client under a pinned clock.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/core/transport";
import type { Identity } from "@smithy/types";
import { Sha256 as Sha256Js } from "@aws-crypto/sha256-js";
import { LambdaMicrovmsSigner, Sha256 } from "../../src/auth/signer";
import { GetMicrovmCommand, LambdaMicrovmsClient, RunMicrovmCommand } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";
import { suite } from "../fixtures/sigv4Suite";

const credentials = { accessKeyId: suite.accessKeyId, secretAccessKey: suite.secretAccessKey };

describe("AWS SigV4 test suite", () => {
  const signer = new LambdaMicrovmsSigner({ credentials, region: suite.region, service: suite.service, sha256: Sha256, applyChecksum: false });
  it.each(suite.cases.map((c) => [c.name, c] as const))("%s", async (_, testCase) => {
    const request = new HttpRequest({
      protocol: "https:",
      hostname: "example.amazonaws.com",
      method: testCase.method,
      path: testCase.path,
      query: testCase.query,
      headers: { ...testCase.headers },
      body: testCase.body,
    });
    const signed = await signer.sign(request, { signingDate: new Date(suite.signingDate) });
    const signedHeaders = Object.keys(testCase.headers).sort().join(";");
    expect(signed.headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signedHeaders}, Signature=${testCase.signature}`,
    );
  });
});

describe("signed lambda requests", () => {
  let server: CaptureServer;
  let client: LambdaMicrovmsClient;
  const pinned = new Date("2026-01-02T03:04:05Z");

  beforeAll(async () => {
    server = await startCaptureServer();
    client = new LambdaMicrovmsClient({ region: "eu-west-1", endpoint: server.endpoint, credentials: { ...credentials, sessionToken: "session-token" } });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  /** Re-signs what arrived with the independent pure-JS SHA-256 and compares the header. */
  async function expectValidSignature() {
    const sent = server.requests.at(-1)!;
    const auth = String(sent.headers.authorization);
    expect(auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260102\/eu-west-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
    expect(sent.headers["x-amz-date"]).toBe("20260102T030405Z");
    expect(sent.headers["x-amz-security-token"]).toBe("session-token");
    const signedNames = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(";");
    const headers = Object.fromEntries(signedNames.map((h) => [h, String(sent.headers[h])]));
    const [path, query = ""] = sent.url.split("?") as [string, string?];
    const queryMap: Record<string, string[]> = {};
    new URLSearchParams(query).forEach((v, k) => (queryMap[k] ??= []).push(v));
    const reference = new SignatureV4({ credentials: { ...credentials, sessionToken: "session-token" }, region: "eu-west-1", service: "lambda", sha256: Sha256Js });
    const resigned = await reference.sign(
      new HttpRequest({ method: sent.method, protocol: "http:", hostname: "127.0.0.1", path, query: Object.fromEntries(Object.entries(queryMap).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])), headers, body: sent.body || undefined }),
      { signingDate: pinned },
    );
    expect(auth).toBe(resigned.headers.authorization);
  }

  it("signs with the pinned clock, the resolved region and the session token", async () => {
    vi.useFakeTimers({ now: pinned, toFake: ["Date"] });
    try {
      await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm 1/ü" }));
      await expectValidSignature();
      await client.send(new RunMicrovmCommand({ imageIdentifier: "img", clientToken: "t-1", maximumDurationInSeconds: 60 }));
      await expectValidSignature();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("LambdaMicrovmsSigner's caches", () => {
  const request = () =>
    new HttpRequest({ protocol: "https:", hostname: "lambda.us-east-1.amazonaws.com", method: "POST", path: "/2025-09-09/microvms", headers: {}, body: '{"a":1}' });
  const reference = (creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region = "us-east-1") =>
    new SignatureV4({ credentials: creds, region, service: "lambda", sha256: Sha256Js });
  const authorization = async (signer: SignatureV4, date: Date) => (await signer.sign(request(), { signingDate: date })).headers.authorization;

  it("signs exactly as SignatureV4 does across seconds, days, rotated and mutated credentials", async () => {
    const creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = { accessKeyId: "AKID1", secretAccessKey: "secret-1" };
    let current = creds;
    const signer = new LambdaMicrovmsSigner({ credentials: async () => current, region: "us-east-1", service: "lambda", sha256: Sha256 });
    const dates = ["2026-01-01T23:59:59.100Z", "2026-01-01T23:59:59.900Z", "2026-01-02T00:00:00.000Z", "2026-01-02T00:00:01.500Z"].map((d) => new Date(d));
    for (const date of dates) expect(await authorization(signer, date)).toBe(await authorization(reference(current), date));
    current = { accessKeyId: "AKID2", secretAccessKey: "secret-2", sessionToken: "token-2" };
    for (const date of dates) expect(await authorization(signer, date)).toBe(await authorization(reference(current), date));
    // The same object changed in place (as some providers refresh) must not reuse the old key:
    // the first signature below is for the day the key of `creds` was last derived for, so only
    // the check of the secret (not the change of day) can make the signer derive it again.
    current = creds;
    creds.secretAccessKey = "secret-3";
    for (const date of [...dates].reverse()) expect(await authorization(signer, date)).toBe(await authorization(reference(creds), date));
    creds.sessionToken = "token-3";
    expect(await authorization(signer, dates.at(-1)!)).toBe(await authorization(reference(creds), dates.at(-1)!));
    creds.accessKeyId = "AKID3";
    expect(await authorization(signer, dates.at(-1)!)).toBe(await authorization(reference(creds), dates.at(-1)!));
  });

  it("a key derived for one service or region is not used for another", async () => {
    const creds = { accessKeyId: "AKID1", secretAccessKey: "secret-1" };
    const signer = new LambdaMicrovmsSigner({ credentials: creds, region: "us-east-1", service: "lambda", sha256: Sha256 });
    const date = new Date("2026-01-01T10:00:00Z");
    const sign = async (signingService: string, signingRegion: string) => (await signer.sign(request(), { signingDate: date, signingService, signingRegion })).headers.authorization;
    const expected = async (service: string, region: string) =>
      (await new SignatureV4({ credentials: creds, region, service, sha256: Sha256Js }).sign(request(), { signingDate: date })).headers.authorization;
    expect(await sign("lambda", "us-east-1")).toBe(await expected("lambda", "us-east-1"));
    expect(await sign("other", "us-east-1")).toBe(await expected("other", "us-east-1"));
    expect(await sign("other", "eu-west-1")).toBe(await expected("other", "eu-west-1"));
  });

  it("a key whose derivation failed is derived again at the next request", async () => {
    let failures = 1;
    const Flaky = function (this: unknown, secret?: unknown) {
      const hash = new (Sha256 as new (s?: unknown) => { update(data: unknown): void; digest(): Promise<Uint8Array> })(secret);
      // The first HMAC keyed with the secret (the start of the key's derivation) fails.
      if (typeof secret === "string" && secret.startsWith("AWS4") && failures-- > 0) return { update() {}, digest: () => Promise.reject(new Error("hash unavailable")) };
      return hash;
    } as unknown as typeof Sha256;
    const signer = new LambdaMicrovmsSigner({ credentials, region: "us-east-1", service: "lambda", sha256: Flaky });
    const date = new Date("2026-01-01T10:00:00Z");
    await expect(authorization(signer, date)).rejects.toThrow("hash unavailable");
    expect(await authorization(signer, date)).toBe(await authorization(reference(credentials), date));
  });

  it("after the first request of a day, signs with one HMAC and one hash per request", async () => {
    const made = { hmac: 0, hash: 0 };
    const Counting = function (this: unknown, secret?: unknown) {
      made[secret === undefined ? "hash" : "hmac"]++;
      return new (Sha256 as new (s?: unknown) => object)(secret);
    } as unknown as typeof Sha256;
    const signer = new LambdaMicrovmsSigner({ credentials, region: "us-east-1", service: "lambda", sha256: Counting });
    await authorization(signer, new Date("2026-01-01T10:00:00Z"));
    const after = { ...made };
    for (let i = 0; i < 10; i++) await authorization(signer, new Date(Date.UTC(2026, 0, 1, 10, 0, i)));
    expect(made.hmac - after.hmac).toBe(10);
    expect(made.hash - after.hash).toBe(20); // the body and the canonical request
  });
});

describe("the client's SigV4 auth scheme (client.config.httpAuthSchemes)", () => {
  const request = () => new HttpRequest({ protocol: "https:", hostname: "example.com", method: "GET", path: "/", headers: {} });
  /** The credential scope and date of a signed request. */
  const scopeOf = (signed: { headers: Record<string, string> }) => ({
    scope: /Credential=[^/]+\/(\d{8}\/[^/]+\/[^/]+)\//.exec(String(signed.headers.authorization))?.[1],
    date: signed.headers["x-amz-date"],
  });

  const identity: Identity = { expiration: undefined, ...credentials };

  it("signs with the client's clock offset, for the region and signing name it is given", async () => {
    const client = new LambdaMicrovmsClient({ region: "us-east-1", credentials, systemClockOffset: 86_400_000 });
    const scheme = client.config.httpAuthSchemes.find((s) => s.schemeId === "aws.auth#sigv4")!;
    const now = vi.spyOn(Date, "now").mockReturnValue(Date.UTC(2026, 0, 1, 12, 0, 0));
    try {
      const sign = async (properties: Record<string, unknown>) => scopeOf(await scheme.signer.sign(request(), identity, properties));
      // A day ahead of the local clock: the offset is added, not taken away.
      expect(await sign({ signingRegion: "eu-west-1", signingName: "other" })).toEqual({ scope: "20260102/eu-west-1/other", date: "20260102T120000Z" });
      expect(await sign({ region: "eu-west-2", name: "named" })).toEqual({ scope: "20260102/eu-west-2/named", date: "20260102T120000Z" });
      expect(await sign({ signingRegion: "eu-west-1", region: "eu-west-2", signingName: "other", name: "named" })).toEqual({ scope: "20260102/eu-west-1/other", date: "20260102T120000Z" });
      // Without them (or with something that is not a name), the client's own region and service.
      expect(await sign({})).toEqual({ scope: "20260102/us-east-1/lambda", date: "20260102T120000Z" });
      expect(await sign({ signingRegion: 5, signingName: 5 })).toEqual({ scope: "20260102/us-east-1/lambda", date: "20260102T120000Z" });
    } finally {
      now.mockRestore();
      client.destroy();
    }
  });
});
