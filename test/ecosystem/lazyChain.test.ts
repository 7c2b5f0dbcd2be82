/**
 * Cold start: a client given region and credentials never loads the credential chain, the
 * shared-file reader or the metadata provider. Checked on the built ESM output: a copy of dist/
 * with those chunks deleted still makes a call with credentials given, while a client without
 * credentials fails to load them (which shows the right chunks were deleted).
 * Builds dist/ first unless it is a build of the current sources (scripts/build/freshBuild.ts).
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuild } from "../../scripts/build/freshBuild";

const root = join(__dirname, "../..");
const MARKERS = ["Could not find AWS credentials", "Found invalid profile name", "x-aws-ec2-metadata-token"];
let copy: string;
const deleted: string[] = [];

beforeAll(async () => {
  await ensureBuild();
  copy = mkdtempSync(join(tmpdir(), "lmvm-dist-"));
  cpSync(join(root, "dist"), copy, { recursive: true });
  // The build loads smithy's classes from the installed @smithy/core.
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
  for (const name of readdirSync(copy)) {
    if (!name.endsWith(".js") && !name.endsWith(".cjs")) continue;
    const text = readFileSync(join(copy, name), "utf8");
    if (MARKERS.some((m) => text.includes(m))) {
      unlinkSync(join(copy, name));
      deleted.push(name);
    }
  }
  // The same script twice: from the ES module build and, as Node.js loads it, the CommonJS one.
  for (const [file, entry] of [["run.mjs", "./index.js"], ["run-cjs.mjs", "./index.node.mjs"]] as const) {
    writeFileSync(
      join(copy, file),
      `import { createServer } from "node:http";
const { LambdaMicrovmsClient, ListMicrovmsCommand } = await import("${entry}");
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
  }
}, 180_000);
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

function run(mode: string, script: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: copy, AWS_EC2_METADATA_DISABLED: "true" };
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [join(copy, script), mode], { env, timeout: 20_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || String(error))) : resolve(stdout.trim()),
    ),
  );
}

describe.each([
  ["the ES module build", "run.mjs", "failed ERR_MODULE_NOT_FOUND"],
  ["the CommonJS build (Node's import)", "run-cjs.mjs", "failed MODULE_NOT_FOUND"],
])("the credential chain is loaded only when needed: %s", (_, script, missing) => {
  it("with credentials given, the call works without the chain's chunks", async () => {
    expect(deleted.filter((name) => name.endsWith(script === "run.mjs" ? ".js" : ".cjs")).length).toBeGreaterThan(0);
    expect(deleted).not.toContain("index.js");
    expect(deleted).not.toContain("index.cjs");
    expect(await run("credentials", script)).toBe("ok");
  });

  it("without credentials, the client needs them (so they were the right chunks)", async () => {
    expect(await run("none", script)).toBe(missing);
  });
});
