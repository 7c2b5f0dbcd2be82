/** Tools users bring: aws-sdk-client-mock, official-style middleware, loggers, process exit. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  CreateMicrovmAuthTokenCommand,
  GetMicrovmCommand,
  LambdaMicrovmsClient,
  RunMicrovmCommand,
  type RunMicrovmCommandOutput,
} from "../../src/index";
import { startLocalServer, type LocalServer } from "../../src/local/index";

describe("aws-sdk-client-mock", () => {
  it("mocks commands with their types", async () => {
    const mock = mockClient(LambdaMicrovmsClient);
    const output: Partial<RunMicrovmCommandOutput> = { microvmId: "mvm-mocked", state: "PENDING" };
    mock.on(RunMicrovmCommand).resolves(output).on(GetMicrovmCommand, { microvmIdentifier: "mvm-mocked" }).resolves({ state: "RUNNING" });
    const client = new LambdaMicrovmsClient({ region: "us-east-1" });
    const vm = await client.send(new RunMicrovmCommand({ imageIdentifier: "img" }));
    expect(vm.microvmId).toBe("mvm-mocked");
    expect((await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-mocked" }))).state).toBe("RUNNING");
    expect(mock.commandCalls(RunMicrovmCommand)).toHaveLength(1);
    mock.restore();
  });
});

describe("against the emulator", () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ transitionMs: 0 });
  });
  afterAll(() => server.stop());

  it("runs middleware added in the official style, which sees and changes the request", async () => {
    const client = new LambdaMicrovmsClient({ region: server.region, endpoint: server.endpoint, credentials: server.credentials });
    const seen: string[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { method: string; path: string; headers: Record<string, string> };
        seen.push(`${request.method} ${request.path}`);
        request.headers["x-custom-trace"] = "abc";
        return next(args);
      },
      { step: "build", name: "myTraceMiddleware" },
    );
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-unknown" })).catch(() => undefined);
    client.destroy();
    expect(seen).toEqual(["GET /2025-09-09/microvms/mvm-unknown"]);
  });

  it("a logger gets one object per call and never a secret", async () => {
    const lines: string[] = [];
    const record = (...args: unknown[]) => lines.push(JSON.stringify(args));
    const logger = { debug: record, info: record, warn: record, error: record, trace: record };
    const secretKey = server.credentials.secretAccessKey;
    const client = new LambdaMicrovmsClient({ region: server.region, endpoint: server.endpoint, credentials: { ...server.credentials, sessionToken: "SESSION-TOKEN-XYZ" }, logger });
    await client.send(new RunMicrovmCommand({ imageIdentifier: "img-missing", runHookPayload: "PAYLOAD-SECRET" })).catch(() => undefined);
    await client.send(new CreateMicrovmAuthTokenCommand({ microvmIdentifier: "mvm-x", expirationInMinutes: 5, allowedPorts: [{ port: 8080 }] })).catch(() => undefined);
    client.destroy();
    const calls = lines.filter((l) => l.includes('"commandName"'));
    expect(calls).toHaveLength(2);
    expect(calls[0]).toContain('"commandName":"RunMicrovmCommand"');
    expect(calls[0]).toContain('"attempts":1');
    const all = lines.join("\n");
    expect(all).not.toContain("PAYLOAD-SECRET");
    expect(all).not.toContain("SESSION-TOKEN-XYZ");
    expect(all).not.toContain(`"${secretKey}"`);
  });

  it("destroy() closes sockets so a script exits promptly", async () => {
    const script = `
      const { LambdaMicrovmsClient, ListMicrovmsCommand } = await import(${JSON.stringify(join(__dirname, "../../src/index.ts"))});
      const client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: ${JSON.stringify(server.endpoint)}, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
      await client.send(new ListMicrovmsCommand({}));
      client.destroy();
      globalThis.doneAt = Date.now();
      process.on("exit", () => console.log("exit-after-ms", Date.now() - globalThis.doneAt));
    `;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 20_000 }, (error, stdout, stderr) => (error ? reject(new Error(stderr || String(error))) : resolve(stdout)));
    });
    const ms = Number(/exit-after-ms (\d+)/.exec(out)?.[1]);
    expect(ms).toBeLessThan(1000);
  });
});
