/**
 * `@opentelemetry/api` is an optional peer dependency. Installed without it, the package works in
 * CommonJS and ES modules even when a provider was registered by a copy of the API it cannot load
 * (say, a Lambda layer's), and bundles: esbuild builds an app that uses it with the API absent, and
 * an app bundled with the API (its own OpenTelemetry set-up included) gets its spans.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../src/local/index";
import { ensureBuild, ROOT } from "../../scripts/build/freshBuild";

const run = promisify(execFile);
let server: LocalServer;
let dir: string;

/** The package as installed without its optional peer: its files and its dependencies, nothing else. */
function installWithoutApi(into: string): void {
  const pkg = join(into, "node_modules/lambda-microvms");
  mkdirSync(join(into, "node_modules/@smithy"), { recursive: true });
  cpSync(join(ROOT, "dist"), join(pkg, "dist"), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(pkg, "package.json"));
  // Linked, so their own dependencies resolve where they are installed; the API is not among them.
  for (const dependency of ["core", "node-http-handler", "types"]) symlinkSync(join(ROOT, "node_modules/@smithy", dependency), join(into, "node_modules/@smithy", dependency), "dir");
}

/** What an app prints: whether the API can be found from it, and what two calls gave. */
const APP_BODY = `
const registry = Symbol.for("opentelemetry.js.api.1");
// A provider registered by a copy of the API this app cannot load.
globalThis[registry] = { version: "1.9.1", trace: {}, context: {}, metrics: {} };
const client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: process.env.LM_ENDPOINT, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const list = await client.send(new ListMicrovmsCommand({}));
const error = await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-missing" })).catch((e) => e);
client.destroy();
console.log(JSON.stringify({ items: list.items, status: list.$metadata.httpStatusCode, error: error.name, errorStatus: error.$metadata.httpStatusCode }));
`;
const EXPECTED = { items: [], status: 200, error: "ResourceNotFoundException", errorStatus: 404 };

async function node(file: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, [file], { cwd: dir, env: { ...process.env, LM_ENDPOINT: server.endpoint } });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

beforeAll(async () => {
  await ensureBuild();
  server = await startLocalServer({ transitionMs: 0 });
  dir = mkdtempSync(join(tmpdir(), "lambda-microvms-otel-"));
  installWithoutApi(dir);
}, 180_000);
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("installed without @opentelemetry/api", () => {
  it("the API cannot be found from the app (the premise)", async () => {
    writeFileSync(join(dir, "resolve.cjs"), `try { require.resolve("@opentelemetry/api"); console.log("true"); } catch { console.log("false"); }`);
    expect(await node(join(dir, "resolve.cjs"))).toBe(false);
  });

  it("CommonJS: calls work though a provider is registered", async () => {
    writeFileSync(join(dir, "app.cjs"), `const { LambdaMicrovmsClient, ListMicrovmsCommand, GetMicrovmCommand } = require("lambda-microvms");\n(async () => {${APP_BODY}})();`);
    expect(await node(join(dir, "app.cjs"))).toEqual(EXPECTED);
  });

  it("ES modules: calls work though a provider is registered", async () => {
    writeFileSync(join(dir, "app.mjs"), `import { LambdaMicrovmsClient, ListMicrovmsCommand, GetMicrovmCommand } from "lambda-microvms";\n${APP_BODY}`);
    expect(await node(join(dir, "app.mjs"))).toEqual(EXPECTED);
  });

  it("esbuild bundles an app without the API, and the bundle runs", async () => {
    const result = await build({
      stdin: { contents: `import { LambdaMicrovmsClient, ListMicrovmsCommand, GetMicrovmCommand } from "lambda-microvms";\n${APP_BODY}`, resolveDir: dir, loader: "js" },
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: join(dir, "bundle-without-api.mjs"),
      logLevel: "silent",
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    expect(Object.keys(result.metafile.inputs).some((input) => input.includes("@opentelemetry"))).toBe(false);
    expect(await node(join(dir, "bundle-without-api.mjs"))).toEqual(EXPECTED);
  });
});

describe("bundled with @opentelemetry/api", () => {
  it("an app bundled with its OpenTelemetry set-up gets this client's spans, away from any node_modules", async () => {
    const app = `
      import { trace } from "@opentelemetry/api";
      import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
      import { LambdaMicrovmsClient, ListMicrovmsCommand } from "lambda-microvms";
      const exporter = new InMemorySpanExporter();
      trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
      const client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: process.env.LM_ENDPOINT, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
      await client.send(new ListMicrovmsCommand({}));
      client.destroy();
      console.log(JSON.stringify(exporter.getFinishedSpans().map((s) => [s.name, s.instrumentationScope.name])));
    `;
    const outfile = join(dir, "bundled", "bundle-with-api.mjs");
    // The banner is esbuild's usual one for ES module bundles on Node.js: the SDK's CommonJS code requires built-ins.
    const banner = { js: `import { createRequire } from "node:module"; const require = createRequire(import.meta.url);` };
    const result = await build({ stdin: { contents: app, resolveDir: ROOT, loader: "js" }, bundle: true, platform: "node", format: "esm", outfile, banner, logLevel: "silent", metafile: true });
    expect(Object.keys(result.metafile.inputs).some((input) => input.includes("node_modules/@opentelemetry/api/"))).toBe(true);
    expect(await node(outfile)).toEqual([
      ["GET", "lambda-microvms"],
      ["LambdaMicrovms.ListMicrovms", "lambda-microvms"],
    ]);
  });
});
