/**
 * Input validation before sending: every problem, with its path, and nothing on the wire. The
 * client refuses what botocore's validator refuses (missing required members, wrong types, values
 * below a minimum, unions with other than one member); maximums and patterns go to the service.
 */
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
        buildRoleArn: "not-a-role-but-long-enough",
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
    // buildRoleArn breaks the pattern and environmentVariables the maximum: the service judges those.
    expect(Object.keys(byPath).sort()).toEqual(["codeArtifact", "logging", "name", "resources[0].minimumMemoryInMiB"]);
    expect(byPath.codeArtifact).toMatch(/^must set exactly one of uri \(found none\)/);
    expect(byPath.logging).toMatch(/found disabled, cloudWatch/);
    expect(byPath["resources[0].minimumMemoryInMiB"]).toBe("is required");
    expect(error!.message).toContain("name: must have at least 1 character;");
  });

  it("checks maxResults' minimum and type, and leaves its maximum to the service", async () => {
    for (const [maxResults, ok] of [[0, false], [1, true], [50, true], [51, true], [2.5, false], ["5" as never, false]] as const) {
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

  it("accepts the auto-filled clientToken, and validates a given one's minimum length", async () => {
    expect((await problems(new RunMicrovmCommand({ imageIdentifier: "img" }))).error).toBeUndefined();
    const { error, sent } = await problems(new RunMicrovmCommand({ imageIdentifier: "img", clientToken: "" }));
    expect(error!.problems).toEqual([{ path: "clientToken", message: "must have at least 1 character" }]);
    expect(sent).toBe(0);
  });

  it("sends values above a maximum or off a pattern, which a newer service may accept", async () => {
    const before = server.requests.length;
    const long = await problems(new RunMicrovmCommand({ imageIdentifier: "img", runHookPayload: "p".repeat(4097), clientToken: "x".repeat(200) }));
    expect(long.error).toBeUndefined();
    expect(long.sent).toBe(1);
    expect(JSON.parse(server.requests[before]!.body)).toMatchObject({ runHookPayload: "p".repeat(4097), clientToken: "x".repeat(200) });
    const pattern = await problems(new CreateMicrovmImageCommand({ ...IMAGE, buildRoleArn: "role/not-an-iam-role-arn", name: "has spaces" }));
    expect(pattern.error).toBeUndefined();
    expect(pattern.sent).toBe(1);
  });

  it("refuses a wrong type or a missing required member at any depth, naming the rule", async () => {
    const { error, sent } = await problems(
      new RunMicrovmCommand({ imageIdentifier: undefined, maximumDurationInSeconds: "60" as never, idlePolicy: { maxIdleDurationSeconds: 60 } as never }),
    );
    expect(sent).toBe(0);
    expect(error!.problems).toEqual([
      { path: "imageIdentifier", message: "is required" },
      { path: "maximumDurationInSeconds", message: "must be an integer" },
      { path: "idlePolicy.suspendedDurationSeconds", message: "is required" },
      { path: "idlePolicy.autoResumeEnabled", message: "is required" },
    ]);
  });

  it("validateParams: false sends the input as it is", async () => {
    const { error, sent } = await problems(new ListMicrovmsCommand({ maxResults: 500 }), { validateParams: false });
    expect(error).toBeUndefined();
    expect(sent).toBe(1);
    expect(server.requests.at(-1)!.url).toContain("maxResults=500");
  });
});
