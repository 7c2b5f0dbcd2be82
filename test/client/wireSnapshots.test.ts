/**
 * Golden wire snapshots: for every operation, the whole HTTP request of a full input (under a
 * pinned clock, signature and invocation id redacted) and the typed output of a full response.
 * A change to the wire format shows up as a reviewable snapshot diff.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as sdk from "../../src/index";
import { operations } from "../../src/protocol/schema.generated";
import { toJsonValue } from "../../src/protocol/serialize";
import { fullInput, operationNames, sampleValue } from "../fixtures/sampleInputs";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
let client: sdk.LambdaMicrovmsClient;

beforeAll(async () => {
  server = await startCaptureServer();
  client = new sdk.LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" }, customUserAgent: "snapshot" });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

const commandOf = (name: string) => (sdk as unknown as Record<string, new (input: unknown) => unknown>)[`${name}Command`]!;

/** The request as sent, with what changes per run or per machine replaced. */
function golden(request: CaptureServer["requests"][number]) {
  const headers = { ...request.headers };
  headers.host = "<host>";
  headers["user-agent"] = "<user-agent>";
  headers["amz-sdk-invocation-id"] = "<uuid>";
  headers.authorization = String(headers.authorization).replace(/Signature=[0-9a-f]{64}/, "Signature=<redacted>");
  delete headers.connection;
  return { method: request.method, url: request.url, headers, body: request.body ? JSON.parse(request.body) : undefined };
}

describe("wire snapshots", () => {
  it.each(operationNames)("%s request", async (name) => {
    vi.useFakeTimers({ now: new Date("2026-01-02T03:04:05Z"), toFake: ["Date"] });
    try {
      server.respond({ status: 200, body: "{}" });
      await client.send(new (commandOf(name))(fullInput(name)) as never);
    } finally {
      vi.useRealTimers();
    }
    const request = golden(server.requests.at(-1)!);
    expect(request.method).toBe(operations[name].method);
    expect(request).toMatchSnapshot();
  });

  it.each(operationNames)("%s output", async (name) => {
    const op = operations[name];
    const body = op.successCode === 204 ? "" : JSON.stringify(toJsonValue(op.output, sampleValue(op.output)));
    server.respond({ status: op.successCode, headers: { "x-amzn-requestid": "req-1" }, body });
    const output = (await client.send(new (commandOf(name))(fullInput(name)) as never)) as unknown as Record<string, unknown>;
    expect(output.$metadata).toMatchObject({ httpStatusCode: op.successCode, requestId: "req-1", attempts: 1 });
    for (const key of ["createdAt", "updatedAt", "startedAt", "terminatedAt"]) {
      if (key in output) expect(output[key]).toEqual(new Date(1_700_000_000_500));
    }
    const { $metadata, ...rest } = output;
    expect(rest).toMatchSnapshot();
  });
});
