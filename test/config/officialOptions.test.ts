/**
 * The official client's options, taken and honoured: `requestHandler` as options (its timeouts
 * take effect; agents go to NodeHttpHandler), `client.config`'s providers, the signer options,
 * the user agent forms, a custom endpoint provider, both forms of a smithy retry strategy,
 * runtime extensions, `defaultsMode` and `streamCollector`.
 */
import { Agent, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { ConfiguredRetryStrategy, DeprecatedStandardRetryStrategy } from "@smithy/core/retry";
import type { HttpRequest as IHttpRequest, RequestSigner } from "@smithy/types";
import { ConfigurationError, GetMicrovmCommand, KeepAliveHttpHandler, LambdaMicrovmsClient, ListMicrovmsCommand, type LambdaMicrovmsClientConfig } from "../../src/index";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";
import { startStallServer, type StallServer } from "../helpers/stallServer";

const CREDENTIALS = { accessKeyId: "AKID", secretAccessKey: "SECRET" };
let capture: CaptureServer;
let emulator: LocalServer;
beforeAll(async () => {
  capture = await startCaptureServer();
  emulator = await startLocalServer({ transitionMs: 0 });
});
afterAll(async () => {
  await capture.close();
  await emulator.stop();
});

function client(config: LambdaMicrovmsClientConfig): LambdaMicrovmsClient {
  return new LambdaMicrovmsClient({ region: "us-east-1", endpoint: capture.endpoint, credentials: CREDENTIALS, maxAttempts: 1, ...config });
}

/** Sends one ListMicrovms and returns the outcome (output or error) with how long it took. */
async function timed(c: LambdaMicrovmsClient): Promise<{ outcome: unknown; ms: number }> {
  const started = Date.now();
  const outcome = await c.send(new ListMicrovmsCommand({})).catch((e: unknown) => e);
  c.destroy();
  return { outcome, ms: Date.now() - started };
}

describe("requestHandler given as options, as AWS's docs show", () => {
  let stall: StallServer;
  beforeAll(async () => {
    stall = await startStallServer({ stalls: 1000, body: JSON.stringify({ items: [] }) });
  });
  afterAll(() => stall.close());

  it("requestTimeout bounds the attempt", async () => {
    const { outcome, ms } = await timed(client({ endpoint: stall.endpoint, requestHandler: { requestTimeout: 150, connectionTimeout: 1000 } }));
    expect((outcome as Error).name).toBe("TimeoutError");
    expect((outcome as Error).message).toMatch(/requestTimeout \(150 ms\)/);
    expect(ms).toBeLessThan(5000);
  });

  it("socketTimeout bounds the silence while the response is awaited", async () => {
    const { outcome } = await timed(client({ endpoint: stall.endpoint, requestHandler: { socketTimeout: 150, requestTimeout: 0 } }));
    expect((outcome as Error).name).toBe("TimeoutError");
    expect((outcome as Error).message).toMatch(/socketTimeout \(150 ms\)/);
  });

  it("the options land in the default handler's settings", () => {
    const c = client({ requestHandler: { requestTimeout: 1234, connectionTimeout: 567, socketTimeout: 89 } });
    expect(c.config.requestHandler).toBeInstanceOf(KeepAliveHttpHandler);
    expect((c.config.requestHandler as KeepAliveHttpHandler).httpHandlerConfigs()).toMatchObject({ requestTimeout: 1234, connectionTimeout: 567, socketTimeout: 89 });
    c.destroy();
  });

  it("throwOnRequestTimeout: false only warns, as NodeHttpHandler does, and the answer still arrives", async () => {
    const slow: Server = createServer((req, res) => {
      req.resume();
      req.on("end", () => setTimeout(() => res.end(JSON.stringify({ items: [] })), 300));
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (m: string) => void warnings.push(m), error: () => undefined };
    const endpoint = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    const { outcome } = await timed(client({ endpoint, requestHandler: { requestTimeout: 50, throwOnRequestTimeout: false, logger } }));
    await new Promise<void>((resolve) => slow.close(() => resolve()));
    expect(outcome).toMatchObject({ items: [] });
    expect(warnings).toEqual([expect.stringMatching(/exceeded requestTimeout \(50 ms\)/)]);
  });

  it("an agent makes the client use smithy's NodeHttpHandler with it", async () => {
    const agent = new Agent({ keepAlive: true });
    let connections = 0;
    const original = agent.createConnection.bind(agent);
    agent.createConnection = ((...args: Parameters<typeof original>) => {
      connections++;
      return original(...args);
    }) as typeof agent.createConnection;
    capture.respond({ status: 200, body: JSON.stringify({ items: [] }) });
    const c = client({ requestHandler: { httpAgent: agent, requestTimeout: 2000 } });
    const { outcome } = await timed(c);
    agent.destroy();
    expect(outcome).toMatchObject({ items: [] });
    expect(connections).toBe(1);
    expect(c.config.requestHandler).not.toBeInstanceOf(KeepAliveHttpHandler);
  });
});

describe("client.config, as the official client resolves it", () => {
  it("providers for region, attempts, retry mode, endpoint flags, credentials and the app id", async () => {
    const c = new LambdaMicrovmsClient({ region: "eu-west-1", credentials: CREDENTIALS, maxAttempts: 7, retryMode: "adaptive", userAgentAppId: async () => "my-app" });
    expect(await c.config.region()).toBe("eu-west-1");
    expect(await c.config.maxAttempts()).toBe(7);
    // Typed `string | Provider<string>` as in the official client; a function at run time.
    expect(typeof c.config.retryMode).toBe("function");
    expect(await (c.config.retryMode as () => Promise<string>)()).toBe("adaptive");
    expect(await c.config.useFipsEndpoint()).toBe(false);
    expect(await c.config.useDualstackEndpoint()).toBe(false);
    expect(await c.config.credentials()).toMatchObject(CREDENTIALS);
    expect(await c.config.userAgentAppId()).toBe("my-app");
    expect(c.config.endpoint).toBeUndefined();
    expect(c.config.isCustomEndpoint).toBe(false);
    c.destroy();
  });

  it("endpoint() resolves a custom endpoint to { protocol, hostname, port, path, query }", async () => {
    const c = new LambdaMicrovmsClient({ region: "eu-west-1", credentials: CREDENTIALS, endpoint: "http://127.0.0.1:4566/prefix?x=1" });
    expect(await c.config.endpoint!()).toEqual({ protocol: "http:", hostname: "127.0.0.1", port: 4566, path: "/prefix", query: { x: "1" } });
    c.destroy();
  });

  it("a missing region rejects region() with the error the first call gives", async () => {
    const c = new LambdaMicrovmsClient({ credentials: CREDENTIALS, profile: "no-such-profile-for-this-test" });
    const saved = { region: process.env.AWS_REGION, fallback: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      await expect(c.config.region()).rejects.toBeInstanceOf(ConfigurationError);
    } finally {
      if (saved.region !== undefined) process.env.AWS_REGION = saved.region;
      if (saved.fallback !== undefined) process.env.AWS_DEFAULT_REGION = saved.fallback;
      c.destroy();
    }
  });
});

describe("signing options", () => {
  const target = () => ({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });

  it("sha256 and signerConstructor are used, and the emulator accepts the signatures", async () => {
    let made = 0;
    class CountingSigner extends SignatureV4 {
      constructor(options: ConstructorParameters<typeof SignatureV4>[0]) {
        super(options);
        made++;
      }
    }
    const c = new LambdaMicrovmsClient({ ...target(), sha256: Sha256, signerConstructor: CountingSigner });
    await c.send(new ListMicrovmsCommand({}));
    c.destroy();
    expect(made).toBe(1);
  });

  it("a signer given as an object signs every attempt", async () => {
    const inner = new SignatureV4({ service: "lambda", region: emulator.region, credentials: emulator.credentials, sha256: Sha256 });
    const signed: string[] = [];
    const signer: RequestSigner = { sign: async (request: IHttpRequest, options) => (signed.push(String(options?.signingRegion)), inner.sign(request, options)) };
    const c = new LambdaMicrovmsClient({ ...target(), signer });
    await c.send(new ListMicrovmsCommand({}));
    c.destroy();
    expect(signed).toEqual([emulator.region]);
  });

  it("signingRegion is the region the signature names", async () => {
    capture.respond({ status: 200, body: JSON.stringify({ items: [] }) });
    const c = client({ signingRegion: "eu-central-1" });
    await c.send(new ListMicrovmsCommand({}));
    c.destroy();
    expect(capture.requests.at(-1)!.headers.authorization).toMatch(/Credential=AKID\/\d{8}\/eu-central-1\/lambda\/aws4_request/);
    expect(capture.requests.at(-1)!.headers.host).toBe(new URL(capture.endpoint).host);
  });
});

describe("user agent, endpoint provider, extensions", () => {
  it("customUserAgent as pairs and userAgentAppId as a provider", async () => {
    capture.respond({ status: 200, body: JSON.stringify({ items: [] }) });
    const c = client({ customUserAgent: [["my-tool", "2.1"], ["plain"]], userAgentAppId: async () => "billing" });
    await c.send(new ListMicrovmsCommand({}));
    c.destroy();
    const ua = String(capture.requests.at(-1)!.headers["user-agent"]);
    expect(ua).toMatch(/ app\/billing /);
    expect(ua).toMatch(/ my-tool\/2\.1 plain$/);
  });

  it("endpointProvider decides the URL from the rule parameters", async () => {
    capture.respond({ status: 200, body: JSON.stringify({ items: [] }) });
    const seen: unknown[] = [];
    const c = new LambdaMicrovmsClient({
      region: "ap-south-1",
      credentials: CREDENTIALS,
      endpointProvider: (params) => (seen.push(params), { url: new URL(`${capture.endpoint}/custom`) }),
    });
    await c.send(new ListMicrovmsCommand({}));
    c.destroy();
    expect(seen).toEqual([{ Region: "ap-south-1", UseFIPS: false, UseDualStack: false, Endpoint: undefined }]);
    expect(capture.requests.at(-1)!.url).toMatch(/^\/custom\/2025-09-09\/microvms/);
  });

  it("a runtime extension can set the region, wrap the handler and swap the credentials", async () => {
    capture.respond({ status: 200, body: JSON.stringify({ items: [] }) });
    let handled = 0;
    const c = client({
      extensions: [
        {
          configure(ext) {
            ext.setRegion(async () => "sa-east-1");
            ext.setCredentials({ accessKeyId: "FROM-EXTENSION", secretAccessKey: "x" });
            const inner = ext.httpHandler();
            ext.setHttpHandler({ handle: (request, options) => (handled++, inner.handle(request, options)) } as typeof inner);
          },
        },
      ],
    });
    await c.send(new ListMicrovmsCommand({}));
    c.destroy();
    expect(handled).toBe(1);
    expect(capture.requests.at(-1)!.headers.authorization).toMatch(/Credential=FROM-EXTENSION\/\d{8}\/sa-east-1\//);
  });
});

describe("retry strategies in both smithy forms", () => {
  it.each([
    ["RetryStrategyV2 (ConfiguredRetryStrategy)", new ConfiguredRetryStrategy(2, 1)],
    ["the legacy RetryStrategy (retry(next, args))", new DeprecatedStandardRetryStrategy(async () => 2)],
  ])("%s decides the attempts", async (_, retryStrategy) => {
    capture.respond({ status: 500, body: "{}" });
    const before = capture.requests.length;
    const c = client({ retryStrategy, maxAttempts: undefined });
    const error = await c.send(new ListMicrovmsCommand({})).catch((e: unknown) => e);
    c.destroy();
    expect(capture.requests.length - before).toBe(2);
    expect((error as { $metadata: { attempts: number } }).$metadata.attempts).toBe(2);
    expect(await c.config.retryStrategy()).toBe(retryStrategy);
  });
});

describe("defaultsMode and streamCollector", () => {
  it("defaultsMode sets the default handler's connection timeout at the first call, unless one is given", async () => {
    capture.respond({ status: 200, body: JSON.stringify({ items: [] }) });
    const inRegion = client({ defaultsMode: "in-region" });
    await inRegion.send(new ListMicrovmsCommand({}));
    expect((inRegion.config.requestHandler as KeepAliveHttpHandler).httpHandlerConfigs().connectionTimeout).toBe(1100);
    inRegion.destroy();
    const given = client({ defaultsMode: "mobile", connectionTimeout: 700 });
    await given.send(new ListMicrovmsCommand({}));
    expect((given.config.requestHandler as KeepAliveHttpHandler).httpHandlerConfigs().connectionTimeout).toBe(700);
    given.destroy();
  });

  it("an unknown defaultsMode fails the first call, naming the option", async () => {
    const c = client({ defaultsMode: "fastest" as never });
    await expect(c.send(new ListMicrovmsCommand({}))).rejects.toThrow(/defaultsMode/);
    c.destroy();
  });

  it("a streamCollector given reads the streamed bodies of a handler passed in", async () => {
    capture.respond({ status: 200, body: JSON.stringify({ microvmId: "mvm-s", state: "RUNNING" }) });
    let collected = 0;
    const { NodeHttpHandler } = await import("@smithy/node-http-handler");
    const c = client({
      requestHandler: new NodeHttpHandler(),
      streamCollector: async (stream: AsyncIterable<Uint8Array>) => {
        collected++;
        const chunks: Uint8Array[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        return new Uint8Array(Buffer.concat(chunks));
      },
    });
    const out = await c.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-s" }));
    c.destroy();
    expect(out.state).toBe("RUNNING");
    expect(collected).toBe(1);
  });
});
