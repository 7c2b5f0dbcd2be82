/**
 * Cold start: a client given region and credentials never loads the credential chain, the
 * shared-file reader or the metadata provider. Checked on the built ESM output: a copy of dist/
 * with those chunks deleted still makes a call with credentials given, while a client without
 * credentials fails to load them (which shows the right chunks were deleted).
 * Builds dist/ first when it is missing (CI builds before testing).
 */
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(__dirname, "../..");
const MARKERS = ["Could not find AWS credentials", "Found invalid profile name", "x-aws-ec2-metadata-token"];
let copy: string;
const deleted: string[] = [];

beforeAll(() => {
  if (!existsSync(join(root, "dist/index.js"))) {
    execFileSync(process.execPath, [join(root, "node_modules/tsup/dist/cli-default.js")], { cwd: root, stdio: "ignore" });
  }
  copy = mkdtempSync(join(tmpdir(), "lmvm-dist-"));
  cpSync(join(root, "dist"), copy, { recursive: true });
  // The build loads smithy's classes from the installed @smithy/core.
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
  for (const name of readdirSync(copy)) {
    if (!name.endsWith(".js")) continue;
    const text = readFileSync(join(copy, name), "utf8");
    if (MARKERS.some((m) => text.includes(m))) {
      unlinkSync(join(copy, name));
      deleted.push(name);
    }
  }
  writeFileSync(
    join(copy, "run.mjs"),
    `import { createServer } from "node:http";
const { LambdaMicrovmsClient, ListMicrovmsCommand } = await import("./index.js");
const server = createServer((q, r) => { q.resume(); q.on("end", () => r.end("{}")); });
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const endpoint = "http://127.0.0.1:" + server.address().port;
const credentials = process.argv[2] === "credentials" ? { accessKeyId: "a", secretAccessKey: "b" } : undefined;
const client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint, ...(credentials ? { credentials } : {}) });
try { await client.send(new ListMicrovmsCommand({})); console.log("ok"); }
catch (e) { console.log("failed " + (e.code ?? e.name)); }
client.destroy(); server.close();
`,
  );
}, 180_000);
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

function run(mode: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: copy, AWS_EC2_METADATA_DISABLED: "true" };
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [join(copy, "run.mjs"), mode], { env, timeout: 20_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || String(error))) : resolve(stdout.trim()),
    ),
  );
}

describe("the credential chain is loaded only when needed", () => {
  it("with credentials given, the call works without the chain's chunks", async () => {
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted).not.toContain("index.js");
    expect(await run("credentials")).toBe("ok");
  });

  it("without credentials, the client needs them (so they were the right chunks)", async () => {
    expect(await run("none")).toBe("failed ERR_MODULE_NOT_FOUND");
  });
});
