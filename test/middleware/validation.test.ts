/** Input validation before sending: every problem, with its path, and nothing on the wire. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateMicrovmImageCommand,
  InputValidationError,
  LambdaMicrovmsClient,
  ListMicrovmsCommand,
  RunMicrovmCommand,
  type CreateMicrovmImageCommandInput,
  type LambdaMicrovmsClientConfig,
} from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer();
  server.respond({ status: 200, body: "{}" });
});
afterAll(() => server.close());

function client(config: LambdaMicrovmsClientConfig = {}): LambdaMicrovmsClient {
  return new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" }, ...config });
}

const IMAGE: CreateMicrovmImageCommandInput = {
  name: "img",
  baseImageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:al2023",
  buildRoleArn: "arn:aws:iam::123456789012:role/build",
  codeArtifact: { uri: "s3://bucket/app.zip" },
};

/** The problems of one call, and how many requests it sent. */
async function problems(command: object, config?: LambdaMicrovmsClientConfig) {
  const c = client(config);
  const before = server.requests.length;
  const error = await c.send(command as unknown as ListMicrovmsCommand).then(
    () => undefined,
    (e: unknown) => e,
  );
  c.destroy();
  return { error: error as InputValidationError | undefined, sent: server.requests.length - before };
}

describe("validation", () => {
  it("lists every problem of a nested input, with paths, and sends nothing", async () => {
    const { error, sent } = await problems(
      new CreateMicrovmImageCommand({
        ...IMAGE,
        name: "",
        buildRoleArn: "not-a-role",
        codeArtifact: {} as never,
        logging: { disabled: {}, cloudWatch: { logGroup: "g" } } as never,
        resources: [{} as never],
        environmentVariables: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`K${i}`, "v"])),
      }),
    );
    expect(sent).toBe(0);
    expect(error).toBeInstanceOf(InputValidationError);
    expect(error!.name).toBe("InputValidationError");
    const byPath = Object.fromEntries(error!.problems.map((p) => [p.path, p.message]));
    expect(Object.keys(byPath).sort()).toEqual(["buildRoleArn", "codeArtifact", "environmentVariables", "logging", "name", "resources[0].minimumMemoryInMiB"]);
    expect(byPath.codeArtifact).toMatch(/^must set exactly one of uri \(found none\)/);
    expect(byPath.logging).toMatch(/found disabled, cloudWatch/);
    expect(byPath.environmentVariables).toBe("must have at most 50 entries");
    expect(byPath["resources[0].minimumMemoryInMiB"]).toBe("is required");
    expect(error!.message).toContain("name: must have at least 1 character;");
  });

  it("checks maxResults 1–50 and types", async () => {
    for (const [maxResults, ok] of [[0, false], [1, true], [50, true], [51, false], [2.5, false]] as const) {
      const { error, sent } = await problems(new ListMicrovmsCommand({ maxResults }));
      expect(error === undefined).toBe(ok);
      expect(sent).toBe(ok ? 1 : 0);
    }
  });

  it("allows enum values the model does not know yet (the service adds values)", async () => {
    const { error, sent } = await problems(new CreateMicrovmImageCommand({ ...IMAGE, cpuConfigurations: [{ architecture: "RISC_V" as never }] }));
    expect(error).toBeUndefined();
    expect(sent).toBe(1);
  });

  it("accepts the auto-filled clientToken, and validates a given one", async () => {
    expect((await problems(new RunMicrovmCommand({ imageIdentifier: "img" }))).error).toBeUndefined();
    const { error } = await problems(new RunMicrovmCommand({ imageIdentifier: "img", clientToken: "x".repeat(200) }));
    expect(error!.problems.map((p) => p.path)).toEqual(["clientToken"]);
  });

  it("runHookPayload up to 4096 characters passes, one more fails", async () => {
    expect((await problems(new RunMicrovmCommand({ imageIdentifier: "img", runHookPayload: "p".repeat(4096) }))).error).toBeUndefined();
    const { error, sent } = await problems(new RunMicrovmCommand({ imageIdentifier: "img", runHookPayload: "p".repeat(4097) }));
    expect(error!.problems).toEqual([{ path: "runHookPayload", message: "must have at most 4096 characters" }]);
    expect(sent).toBe(0);
  });

  it("validateParams: false sends the input as it is", async () => {
    const { error, sent } = await problems(new ListMicrovmsCommand({ maxResults: 500 }), { validateParams: false });
    expect(error).toBeUndefined();
    expect(sent).toBe(1);
    expect(server.requests.at(-1)!.url).toContain("maxResults=500");
  });
});
