/**
 * The build-step headers, as the official client sends them: inside a Lambda function the
 * function's X-Ray trace id goes with the request (and a trace header set by the caller wins).
 * The whole file runs as a Lambda function would: the environment is set before the first call.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as official from "@aws-sdk/client-lambda-microvms";
import { LambdaMicrovmsClient, ListMicrovmsCommand } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
beforeAll(async () => {
  vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "my-function");
  vi.stubEnv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  server = await startCaptureServer();
  server.respond({ status: 200, body: JSON.stringify({ items: [] }) });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

const config = () => ({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "a", secretAccessKey: "b" } });

describe("recursion detection", () => {
  it("sends the function's trace id, as the official client does", async () => {
    const ours = new LambdaMicrovmsClient(config());
    await ours.send(new ListMicrovmsCommand({}));
    ours.destroy();
    const theirs = new official.LambdaMicrovmsClient(config());
    await theirs.send(new official.ListMicrovmsCommand({}));
    theirs.destroy();
    const [mine, reference] = server.requests.slice(-2).map((r) => r.headers["x-amzn-trace-id"]);
    expect(mine).toBe("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
    expect(mine).toBe(reference);
  });

  it("reads the trace id again at every call (it changes with every invocation)", async () => {
    const ours = new LambdaMicrovmsClient(config());
    vi.stubEnv("_X_AMZN_TRACE_ID", "Root=1-00000000-000000000000000000000002");
    await ours.send(new ListMicrovmsCommand({}));
    ours.destroy();
    expect(server.requests.at(-1)!.headers["x-amzn-trace-id"]).toBe("Root=1-00000000-000000000000000000000002");
  });

  it("keeps a trace header the caller's middleware set", async () => {
    const ours = new LambdaMicrovmsClient(config());
    ours.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers["X-Amzn-Trace-ID"] = "Root=mine";
        return next(args);
      },
      { step: "build", priority: "high", name: "setTrace" },
    );
    await ours.send(new ListMicrovmsCommand({}));
    ours.destroy();
    expect(server.requests.at(-1)!.headers["x-amzn-trace-id"]).toBe("Root=mine");
  });
});
