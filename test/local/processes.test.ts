/** The CLI as a process, and botocore (when Python has it) as a third client. */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListManagedMicrovmImagesCommand, LambdaMicrovmsClient } from "../../src/index";
import { parseArgs } from "../../src/local/cliArgs";
import { startLocalServer, type LocalServer } from "../../src/local/index";

const root = join(__dirname, "..", "..");

describe("lambda-microvms-local", () => {
  it("parses its flags", () => {
    expect(parseArgs(["--port", "0", "--transition-ms", "5", "--credentials", "a:b:c", "--fault-sequence", "throttle,drop", "--retry-after", "2"])).toMatchObject({
      port: 0,
      transitionMs: 5,
      credentials: [{ accessKeyId: "a", secretAccessKey: "b:c" }],
      faults: { sequence: ["throttle", "drop"], retryAfterSeconds: 2 },
    });
    expect(parseArgs(["--retention-ms", "5000", "--request-timeout-ms", "250"])).toMatchObject({ retentionMs: 5000, requestTimeoutMs: 250 });
    expect(parseArgs(["--help"])).toBeUndefined();
    expect(parseArgs(["-v"])).toMatchObject({ verbose: true, port: 4599, keepProcessAlive: true });
    expect(() => parseArgs(["--port", "x"])).toThrow(/--port/);
    expect(parseArgs(["--fault-kinds", "lost,drop"])).toMatchObject({ faults: { kinds: ["lost", "drop"] } });
    expect(() => parseArgs(["--fault-kinds", "explode"])).toThrow(/explode/);
    expect(() => parseArgs(["--credentials", "nocolon"])).toThrow(/AKID:SECRET/);
  });

  it("prints its URL and credentials, serves, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/local/cli.ts"), "--port", "0", "--transition-ms", "0", "--credentials", "cli:secret"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.includes("\n")) resolve(out.split("\n")[0]!);
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(firstLine)?.[1];
      expect(url).toBeDefined();
      expect(firstLine).toContain("cli:secret");
      const client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: url!, credentials: { accessKeyId: "cli", secretAccessKey: "secret" } });
      expect((await client.send(new ListManagedMicrovmImagesCommand({}))).items!.length).toBeGreaterThan(0);
      client.destroy();
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});

const hasBotocore = spawnSync("python3", ["-c", "import botocore"], { stdio: "ignore" }).status === 0;

describe.skipIf(!hasBotocore)("botocore against the emulator", () => {
  let server: LocalServer;
  let dataPath: string;
  beforeAll(async () => {
    server = await startLocalServer({ transitionMs: 0 });
    // botocore finds a service model at <path>/<service>/<api version>/service-2.json.
    dataPath = mkdtempSync(join(tmpdir(), "lmv-botocore-"));
    const dir = join(dataPath, "lambda-microvms", "2025-09-09");
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(root, "model/lambda-microvms.model.json"), join(dir, "service-2.json"));
    copyFileSync(join(root, "model/lambda-microvms.paginators.json"), join(dir, "paginators-1.json"));
    copyFileSync(join(root, "model/lambda-microvms.endpoint-rules.json"), join(dir, "endpoint-rule-set-1.json"));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dataPath, { recursive: true, force: true });
  });

  it("walks through the service unchanged", async () => {
    const child = spawn("python3", [join(__dirname, "fixtures/botocore_walk.py"), server.endpoint, dataPath], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out.trim()).toBe("CREATING CREATED RUNNING SUSPENDED {} 5 TERMINATED DELETING ResourceNotFoundException");
  });
});
