/**
 * Secrets never reach the logger or an error: credentials, auth token values, environment
 * variable values and run hook payloads, through retried calls, validation failures and
 * malformed answers.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Logger } from "@smithy/types";
import {
  CreateMicrovmAuthTokenCommand,
  CreateMicrovmImageCommand,
  InputValidationError,
  LambdaMicrovmsClient,
  RunMicrovmCommand,
  type LambdaMicrovmsClientConfig,
} from "../../src/index";
import { DeserializationError } from "../../src/protocol/deserialize";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

const SECRETS = {
  secretAccessKey: "SECRETKEY-wJalrXUtnFEMI-K7MDENG",
  sessionToken: "SESSIONTOKEN-FwoGZXIvYXdzE-abcdef",
  payload: "PAYLOAD-hook-secret-4711",
  envValue: "ENVVALUE-db-password-0815",
  authToken: "AUTHTOKEN-value-ffee99",
};
const UNAVAILABLE = { status: 503, body: "<html>busy</html>" };

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());

/** A logger at debug level that keeps everything it is given. */
function recordingLogger(): { logger: Logger; seen: unknown[] } {
  const seen: unknown[] = [];
  const keep = (...args: unknown[]): void => void seen.push(args);
  return { logger: { trace: keep, debug: keep, info: keep, warn: keep, error: keep }, seen };
}

function client(config: LambdaMicrovmsClientConfig): LambdaMicrovmsClient {
  return new LambdaMicrovmsClient({
    region: "us-east-1",
    endpoint: server.endpoint,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRETS.secretAccessKey, sessionToken: SECRETS.sessionToken },
    ...config,
  });
}

/** Everything an object shows: enumerable or not, nested, as inspect and JSON render it. */
function rendered(value: unknown): string {
  let json = "";
  try {
    json = JSON.stringify(value);
  } catch {
    json = "";
  }
  return inspect(value, { depth: null, showHidden: true, getters: true }) + json;
}

/** CreateMicrovmImage with `password` as an environment variable value; resolves to the error it fails with. */
function createImageWithPassword(c: LambdaMicrovmsClient, password: string): Promise<unknown> {
  return c
    .send(
      new CreateMicrovmImageCommand({
        name: "img",
        baseImageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:al2023",
        buildRoleArn: "arn:aws:iam::123456789012:role/build",
        codeArtifact: { uri: "s3://bucket/app.zip" },
        environmentVariables: { DB_PASSWORD: password },
      }),
    )
    .catch((e: unknown) => e);
}

function expectNoSecret(value: unknown): void {
  const text = rendered(value);
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
}

it("a debug logger sees no secret through retried calls, successes and errors", async () => {
  const { logger, seen } = recordingLogger();
  const c = client({ logger });
  const tokenBody = JSON.stringify({ authToken: { token: SECRETS.authToken } });
  server.respond(UNAVAILABLE, { status: 500, headers: { "x-amzn-errortype": "InternalServerException" }, body: "{}" }, { status: 200, body: tokenBody });
  const token = await c.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier: "mvm-1", expirationInMinutes: 5, allowedPorts: [{ port: 8080 }] }));
  expect(token.$metadata.attempts).toBe(3);
  expect(token.authToken!.token).toBe(SECRETS.authToken);

  server.respond(UNAVAILABLE, { status: 200, body: JSON.stringify({ microvmId: "mvm-2", state: "RUNNING" }) });
  const run = await c.send(new RunMicrovmCommand({ imageIdentifier: "img", runHookPayload: SECRETS.payload }));
  expect(run.$metadata.attempts).toBe(2);

  server.respond({ status: 400, headers: { "x-amzn-errortype": "ValidationException" }, body: '{"message":"bad image"}' });
  const failed = await createImageWithPassword(c, SECRETS.envValue);
  expect((failed as Error).name).toBe("ValidationException");
  c.destroy();

  // The secrets did go over the wire (so the test would notice a leak), but not to the logger.
  const wire = server.requests.map((r) => r.body + JSON.stringify(r.headers)).join("");
  expect(wire).toContain(SECRETS.payload);
  expect(wire).toContain(SECRETS.envValue);
  expect(wire).toContain(SECRETS.sessionToken);
  // With the per-call log lines (issue 6) the logger gets the redacted inputs and outputs at debug.
  expectNoSecret(seen);
  expectNoSecret(failed);
});

it("validation errors name the member but never its value", async () => {
  const { logger, seen } = recordingLogger();
  const c = client({ logger });
  const before = server.requests.length;
  // Secrets of the wrong type (the client leaves maximums to the service, so a type error is what it refuses).
  const error = await c
    .send(new RunMicrovmCommand({ imageIdentifier: "img", runHookPayload: [SECRETS.payload] as never, maximumDurationInSeconds: -1 }))
    .catch((e: unknown) => e);
  const imageError = await createImageWithPassword(c, { value: SECRETS.envValue } as never);
  c.destroy();
  expect(error).toBeInstanceOf(InputValidationError);
  expect((error as InputValidationError).problems).toEqual([
    { path: "runHookPayload", message: "must be a string" },
    { path: "maximumDurationInSeconds", message: expect.stringMatching(/^must be at least/) },
  ]);
  expect((imageError as InputValidationError).problems.map((p) => p.path)).toEqual(["environmentVariables.DB_PASSWORD"]);
  expect(server.requests.length).toBe(before);
  expectNoSecret([error, imageError, seen]);
});

it("a malformed 2xx is a DeserializationError with status and request id, retried, and quoting no sensitive body", async () => {
  const garbled = { status: 200, headers: { "x-amzn-requestid": "req-garbled-1" }, body: `{"authToken":{"token":"${SECRETS.authToken}"` };
  server.respond(garbled);
  const before = server.requests.length;
  const { logger, seen } = recordingLogger();
  const c = client({ logger });
  const error = await c.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier: "mvm-1", expirationInMinutes: 5, allowedPorts: [{ port: 8080 }] })).catch((e: unknown) => e);
  c.destroy();
  expect(error).toBeInstanceOf(DeserializationError);
  const e = error as DeserializationError;
  expect(e.$metadata).toMatchObject({ httpStatusCode: 200, requestId: "req-garbled-1", attempts: 3 });
  expect(e.message).toContain("HTTP 200");
  expect(e.message).toContain("req-garbled-1");
  expect(server.requests.length - before).toBe(3);
  expectNoSecret([error, seen]);
});

it("a malformed 2xx of an output without sensitive members keeps the start of the body for debugging", async () => {
  server.respond({ status: 200, headers: { "x-amzn-requestid": "req-garbled-2" }, body: "<html>proxy login</html>" });
  const c = client({ maxAttempts: 1 });
  const error = (await c.send(new RunMicrovmCommand({ imageIdentifier: "img" })).catch((e: unknown) => e)) as DeserializationError;
  c.destroy();
  expect(error.name).toBe("DeserializationError");
  expect(error.body).toBe("<html>proxy login</html>");
  expect(error.$metadata.attempts).toBe(1);
});
