/**
 * The `logger` option: one `info` line per call with operation, status, attempts (after
 * retries), duration and request id; redacted input and output at `debug`; never a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetMicrovmCommand, LambdaMicrovmsClient, ListMicrovmsCommand, ResourceNotFoundException, RunMicrovmCommand } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());

function recorder() {
  const lines: Record<"debug" | "info" | "warn" | "error", unknown[][]> = { debug: [], info: [], warn: [], error: [] };
  const logger = {
    debug: (...a: unknown[]) => void lines.debug.push(a),
    info: (...a: unknown[]) => void lines.info.push(a),
    warn: (...a: unknown[]) => void lines.warn.push(a),
    error: (...a: unknown[]) => void lines.error.push(a),
  };
  return { logger, lines };
}

const CREDENTIALS = { accessKeyId: "AKIDLOG", secretAccessKey: "SECRET-ACCESS-KEY", sessionToken: "SECRET-SESSION-TOKEN" };

function client(logger: ReturnType<typeof recorder>["logger"]): LambdaMicrovmsClient {
  // A real `console` also type-checks as a logger.
  new LambdaMicrovmsClient({ logger: console }).destroy();
  return new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: CREDENTIALS, logger, maxAttempts: 3 });
}

describe("logger", () => {
  it("one info line per successful call, with the final attempts count after a retry", async () => {
    const { logger, lines } = recorder();
    const c = client(logger);
    server.respond({ status: 500, body: "{}" }, { status: 200, headers: { "x-amzn-requestid": "req-ok" }, body: JSON.stringify({ microvms: [] }) });
    await c.send(new ListMicrovmsCommand({}));
    c.destroy();
    expect(lines.info).toHaveLength(1);
    expect(lines.info[0]).toHaveLength(1);
    const text = lines.info[0]![0] as string;
    expect(text).not.toContain("\n");
    expect(text).toMatch(/^LambdaMicrovms\.ListMicrovms status=200 attempts=2 durationMs=\d+ requestId=req-ok$/);
    expect(lines.warn).toHaveLength(0);
    expect(lines.error).toHaveLength(0);
  });

  it("a failed call is one info line naming the error and status", async () => {
    const { logger, lines } = recorder();
    const c = client(logger);
    server.respond({ status: 404, headers: { "x-amzn-errortype": "ResourceNotFoundException", "x-amzn-requestid": "req-404" }, body: JSON.stringify({ message: "no such MicroVM" }) });
    await expect(c.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    c.destroy();
    expect(lines.info.map((a) => a[0])).toEqual([expect.stringMatching(/^LambdaMicrovms\.GetMicrovm status=404 attempts=1 durationMs=\d+ requestId=req-404 error=ResourceNotFoundException$/)]);
  });

  it("debug has the redacted input and output; no secret anywhere", async () => {
    const { logger, lines } = recorder();
    const c = client(logger);
    server.respond({ status: 200, headers: { "x-amzn-requestid": "req-run" }, body: JSON.stringify({ microvmId: "mvm-9", state: "PENDING" }) });
    await c.send(new RunMicrovmCommand({ imageIdentifier: "img", runHookPayload: "SECRET-PAYLOAD" }));
    c.destroy();
    const debug = JSON.stringify(lines.debug);
    expect(debug).toContain('"imageIdentifier":"img"');
    expect(debug).toContain('"runHookPayload":"***SensitiveInformation***"');
    expect(debug).toContain('"microvmId":"mvm-9"');
    const everything = JSON.stringify(lines);
    for (const secret of ["SECRET-PAYLOAD", "SECRET-ACCESS-KEY", "SECRET-SESSION-TOKEN"]) expect(everything).not.toContain(secret);
  });

  it("without a logger nothing is logged and no logger middleware is added", () => {
    const c = new LambdaMicrovmsClient({ region: "us-east-1", credentials: CREDENTIALS });
    expect(c.middlewareStack.identify().some((m) => m.includes("loggerMiddleware"))).toBe(false);
    c.destroy();
  });
});
