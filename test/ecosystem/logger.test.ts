/**
 * The `logger` option logs what the official client logs, with the same objects:
 * `info({ clientName, commandName, input, output, metadata })` after a success and
 * `error({ clientName, commandName, input, error, metadata })` after a failure, sensitive members
 * redacted. Checked side by side with the official client against the same responses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Official from "@aws-sdk/client-lambda-microvms";
import { NoOpLogger } from "@smithy/core/client";
import { GetMicrovmCommand, GetMicrovmImageVersionCommand, LambdaMicrovmsClient, ListMicrovmsCommand, ResourceNotFoundException, RunMicrovmCommand } from "../../src/index";
import { startCaptureServer, type CannedResponse, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());

type Level = "debug" | "info" | "warn" | "error";

function recorder() {
  const lines: Record<Level, unknown[][]> = { debug: [], info: [], warn: [], error: [] };
  const logger = {
    debug: (...a: unknown[]) => void lines.debug.push(a),
    info: (...a: unknown[]) => void lines.info.push(a),
    warn: (...a: unknown[]) => void lines.warn.push(a),
    error: (...a: unknown[]) => void lines.error.push(a),
  };
  return { logger, lines };
}

const CREDENTIALS = { accessKeyId: "AKIDLOG", secretAccessKey: "SECRET-ACCESS-KEY", sessionToken: "SECRET-SESSION-TOKEN" };
const options = (logger: ReturnType<typeof recorder>["logger"]) => ({ region: "us-east-1", endpoint: server.endpoint, credentials: CREDENTIALS, logger, maxAttempts: 3 });

/** The info and error calls of one call made with each client, error objects reduced to their name. */
async function logsOf(responses: CannedResponse[], send: (client: { send(command: never): Promise<unknown> }, sdk: typeof Official) => Promise<unknown>) {
  const run = async (which: "ours" | "official") => {
    const { logger, lines } = recorder();
    const client = which === "ours" ? new LambdaMicrovmsClient(options(logger)) : new Official.LambdaMicrovmsClient(options(logger));
    server.respond(...responses);
    await send(client as never, which === "ours" ? (await import("../../src/index")) as unknown as typeof Official : Official).catch(() => undefined);
    client.destroy();
    const calls = (level: Level) =>
      lines[level].map((args) =>
        args.map((arg) => {
          const record = { ...(arg as Record<string, unknown>) };
          if (record.error instanceof Error) record.error = `${record.error.constructor.name}: ${record.error.message}`;
          const metadata = record.metadata as Record<string, unknown> | undefined;
          if (metadata?.totalRetryDelay !== undefined) record.metadata = { ...metadata, totalRetryDelay: typeof metadata.totalRetryDelay };
          return record;
        }),
      );
    return { info: calls("info"), error: calls("error"), warn: lines.warn, raw: lines };
  };
  return { ours: await run("ours"), official: await run("official") };
}

describe("logger", () => {
  it("logs a success as the official client does: one info object with the final attempts", async () => {
    const { ours, official } = await logsOf(
      [{ status: 500, body: "{}" }, { status: 200, headers: { "x-amzn-requestid": "req-ok" }, body: JSON.stringify({ items: [] }) }],
      (c, sdk) => c.send(new sdk.ListMicrovmsCommand({}) as never),
    );
    expect(ours.info).toEqual([
      [
        {
          clientName: "LambdaMicrovmsClient",
          commandName: "ListMicrovmsCommand",
          input: {},
          output: { items: [] },
          metadata: { httpStatusCode: 200, requestId: "req-ok", extendedRequestId: undefined, cfId: undefined, attempts: 2, totalRetryDelay: "number" },
        },
      ],
    ]);
    expect(ours.error).toEqual([]);
    expect(ours.warn).toEqual([]);
    expect(ours.info).toEqual(official.info);
  });

  it("logs a failure as the official client does: one error object with the error and its metadata", async () => {
    const { ours, official } = await logsOf(
      [{ status: 404, headers: { "x-amzn-errortype": "ResourceNotFoundException", "x-amzn-requestid": "req-404" }, body: JSON.stringify({ message: "no such MicroVM" }) }],
      (c, sdk) => c.send(new sdk.GetMicrovmCommand({ microvmIdentifier: "mvm-1" }) as never),
    );
    expect(ours.error).toEqual([
      [
        {
          clientName: "LambdaMicrovmsClient",
          commandName: "GetMicrovmCommand",
          input: { microvmIdentifier: "mvm-1" },
          error: "ResourceNotFoundException: no such MicroVM",
          metadata: { httpStatusCode: 404, requestId: "req-404", extendedRequestId: undefined, cfId: undefined, attempts: 1, totalRetryDelay: "number" },
        },
      ],
    ]);
    expect(ours.info).toEqual([]);
    expect(ours.error).toEqual(official.error);
  });

  it("redacts sensitive members of inputs and outputs; no secret reaches the logger", async () => {
    const { logger, lines } = recorder();
    const c = new LambdaMicrovmsClient(options(logger));
    server.respond({ status: 200, headers: { "x-amzn-requestid": "req-run" }, body: JSON.stringify({ microvmId: "mvm-9", state: "PENDING" }) });
    await c.send(new RunMicrovmCommand({ imageIdentifier: "img", runHookPayload: "SECRET-PAYLOAD" }));
    server.respond({ status: 400, headers: { "x-amzn-errortype": "ValidationException" }, body: JSON.stringify({ message: "bad" }) });
    await c.send(new RunMicrovmCommand({ imageIdentifier: "img", runHookPayload: "SECRET-PAYLOAD" })).catch(() => undefined);
    c.destroy();
    const info = lines.info[0]![0] as { input: Record<string, unknown>; output: Record<string, unknown> };
    expect(info.input).toMatchObject({ imageIdentifier: "img", runHookPayload: "***SensitiveInformation***" });
    expect(info.output).toMatchObject({ microvmId: "mvm-9" });
    expect((lines.error[0]![0] as { input: Record<string, unknown> }).input.runHookPayload).toBe("***SensitiveInformation***");
    const everything = JSON.stringify(lines);
    for (const secret of ["SECRET-PAYLOAD", "SECRET-ACCESS-KEY", "SECRET-SESSION-TOKEN"]) expect(everything).not.toContain(secret);
  });

  it("hides the value of a union member this SDK does not know, which may be sensitive, and keeps its name", async () => {
    const { logger, lines } = recorder();
    const c = new LambdaMicrovmsClient(options(logger));
    server.respond({ status: 200, body: JSON.stringify({ imageArn: "arn", imageVersion: "1", codeArtifact: { gitRepository: "https://SECRET-TOKEN@example.com/repo.git" }, logging: { disabled: {} } }) });
    const out = await c.send(new GetMicrovmImageVersionCommand({ imageIdentifier: "img", imageVersion: "1" }));
    c.destroy();
    expect(out.codeArtifact).toEqual({ $unknown: ["gitRepository", "https://SECRET-TOKEN@example.com/repo.git"] });
    const logged = (lines.info[0]![0] as { output: { codeArtifact: unknown; logging: unknown } }).output;
    expect(logged.codeArtifact).toEqual({ $unknown: ["gitRepository", "***SensitiveInformation***"] });
    expect(logged.logging).toEqual({ disabled: {} });
    expect(JSON.stringify(lines)).not.toContain("SECRET-TOKEN");
  });

  it("without a logger, client.config.logger is smithy's NoOpLogger, as in the official client", async () => {
    const c = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: CREDENTIALS });
    expect(c.config.logger).toBeInstanceOf(NoOpLogger);
    expect(c.middlewareStack.identify()).toContain("loggerMiddleware - initialize");
    server.respond({ status: 404, headers: { "x-amzn-errortype": "ResourceNotFoundException" }, body: "{}" });
    await expect(c.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    c.destroy();
    // A real `console` type-checks as a logger.
    new LambdaMicrovmsClient({ logger: console }).destroy();
    void ListMicrovmsCommand;
  });
});
