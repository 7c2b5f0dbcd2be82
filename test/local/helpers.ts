/** Shared fixtures for the emulator's integration tests. */
import { request as httpRequest, Agent } from "node:http";
import { HttpRequest } from "@smithy/core/transport";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import {
  CreateMicrovmImageCommand,
  LambdaMicrovmsClient,
  type CreateMicrovmImageCommandInput,
  type LambdaMicrovmsClientConfig,
} from "../../src/index";
import { startLocalServer, type LocalServer, type LocalServerOptions } from "../../src/local/index";

export const BASE_IMAGE = "arn:aws:lambda:us-east-1:aws:microvm-image:al2023";
export const ROLE = "arn:aws:iam::123456789012:role/build";

export interface Fixture {
  server: LocalServer;
  client: LambdaMicrovmsClient;
  close(): Promise<void>;
}

export async function startFixture(options: LocalServerOptions = {}, config: LambdaMicrovmsClientConfig = {}): Promise<Fixture> {
  const server = await startLocalServer({ transitionMs: 0, ...options });
  const client = clientFor(server, config);
  return {
    server,
    client,
    close: async () => {
      client.destroy();
      await server.stop();
    },
  };
}

export function clientFor(server: LocalServer, config: LambdaMicrovmsClientConfig = {}): LambdaMicrovmsClient {
  return new LambdaMicrovmsClient({ region: server.region, endpoint: server.endpoint, credentials: server.credentials, ...config });
}

let names = 0;
export const uniqueName = (prefix = "img"): string => `${prefix}-${process.pid}-${names++}`;

export function imageInput(overrides: Partial<CreateMicrovmImageCommandInput> = {}): CreateMicrovmImageCommandInput {
  return { name: uniqueName(), baseImageArn: BASE_IMAGE, buildRoleArn: ROLE, codeArtifact: { uri: "s3://bucket/app.zip" }, ...overrides };
}

export async function createImage(client: LambdaMicrovmsClient, overrides: Partial<CreateMicrovmImageCommandInput> = {}) {
  return client.send(new CreateMicrovmImageCommand(imageInput(overrides)));
}

/** Polls `read` until `done` holds for its value, recording each distinct value of `key`. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, key: (value: T) => string | undefined, timeoutMs = 10_000): Promise<{ last: T; seen: string[] }> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    const k = String(key(value));
    if (seen.at(-1) !== k) seen.push(k);
    if (done(value)) return { last: value, seen };
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; saw ${seen.join(" → ")}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawOptions {
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Sign with these keys (default: the server's); false sends the request unsigned. */
  sign?: { accessKeyId: string; secretAccessKey: string } | false;
  agent?: Agent;
}

/** Sends one HTTP request as given (optionally SigV4-signed) and reads the whole answer. */
export async function rawRequest(server: LocalServer, options: RawOptions): Promise<RawResponse> {
  const url = new URL(options.path, server.endpoint);
  const query: Record<string, string[]> = {};
  url.searchParams.forEach((v, k) => (query[k] ??= []).push(v));
  let headers: Record<string, string> = { host: url.host, ...options.headers };
  if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
  if (options.sign !== false) {
    const signer = new SignatureV4({ service: "lambda", region: server.region, credentials: options.sign ?? server.credentials, sha256: Sha256 });
    const signed = await signer.sign(
      new HttpRequest({ method: options.method, protocol: "http:", hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])), headers, body: options.body }),
    );
    headers = signed.headers;
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ method: options.method, host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Asserts the shape every error answer must have: JSON body with a message, type and request id. */
export function errorOf(response: RawResponse): { type: string; message: string; body: Record<string, unknown> } {
  const body = JSON.parse(response.body) as Record<string, unknown>;
  const type = response.headers["x-amzn-errortype"];
  if (typeof type !== "string" || typeof body.message !== "string" || typeof response.headers["x-amzn-requestid"] !== "string") {
    throw new Error(`not a well-formed error: ${response.status} ${JSON.stringify(response.headers)} ${response.body}`);
  }
  return { type, message: body.message, body };
}
