/**
 * The README's tracing set-up, copied as a user would copy it, works: loaded with `--import`
 * before a program that makes a call, it prints the call's span and its HTTP span.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { ensureBuild, ROOT } from "../../scripts/build/freshBuild";

const run = promisify(execFile);
// Inside the package, so that `lambda-microvms` and the OpenTelemetry packages resolve as installed.
const WORK = join(ROOT, "test/tracing/.work");
let server: LocalServer;

/** The code block of the README's Tracing section that starts with `// <file>`. */
function readmeBlock(file: string): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Tracing"), readme.indexOf("## Local emulator"));
  const block = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).find((code) => code.startsWith(`// ${file}`));
  if (block === undefined) throw new Error(`no ${file} block in the README's Tracing section`);
  return block;
}

beforeAll(async () => {
  await ensureBuild();
  server = await startLocalServer({ transitionMs: 0 });
  mkdirSync(WORK, { recursive: true });
}, 180_000);
afterAll(async () => {
  await server?.stop();
  rmSync(WORK, { recursive: true, force: true });
});

it("the README's set-up prints the spans of a call", async () => {
  writeFileSync(join(WORK, "tracing.mjs"), readmeBlock("tracing.mjs"));
  writeFileSync(
    join(WORK, "app.mjs"),
    `import { LambdaMicrovmsClient, ListMicrovmsCommand } from "lambda-microvms";
const client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: process.env.LM_ENDPOINT, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
await client.send(new ListMicrovmsCommand({}));
client.destroy();
`,
  );
  const { stdout } = await run(process.execPath, ["--import", "./tracing.mjs", "app.mjs"], { cwd: WORK, env: { ...process.env, LM_ENDPOINT: server.endpoint } });
  expect(stdout).toContain("name: 'LambdaMicrovms.ListMicrovms'");
  expect(stdout).toContain("'rpc.system': 'aws-api'");
  expect(stdout).toContain("name: 'GET'");
  expect(stdout).toContain(`'url.full': '${server.endpoint}/2025-09-09/microvms'`);
}, 60_000);
