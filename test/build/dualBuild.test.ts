/**
 * The published builds: ESM and CJS entry points through the package's exports map, type
 * declarations, one copy of the client per Node.js process, and `instanceof` across the ES
 * module build that bundlers take and the CommonJS build. Builds dist/ first unless it is a build
 * of the current sources (scripts/build/freshBuild.ts).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuild } from "../../scripts/build/freshBuild";

const root = join(__dirname, "../..");
const run = promisify(execFile);
type Module = Record<string, any>;
// A variable, not a literal: the type checker runs before dist/ (and its declarations) exists.
const PACKAGE: string = "lambda-microvms";
let esm: Module;
let cjs: Module;
/** The ES module build bundlers take (the `module` export condition). */
let bundlerEsm: Module;

beforeAll(async () => {
  await ensureBuild();
  // Resolved through package.json's exports map, as a user's import and require would be.
  esm = (await import(PACKAGE)) as Module;
  cjs = createRequire(join(root, "package.json"))(PACKAGE) as Module;
  bundlerEsm = (await import(pathToFileURL(join(root, "dist/index.js")).href)) as Module;
}, 180_000);

describe("dual build", () => {
  it("both entry points export the same names", () => {
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    expect(typeof esm.LambdaMicrovmsClient).toBe("function");
    expect(Object.keys(esm).filter((k) => k.endsWith("Command") && k !== "LambdaMicrovmsCommand" && k !== "$Command")).toHaveLength(24);
  });

  it("ships type declarations for both", () => {
    for (const file of ["dist/index.d.ts", "dist/index.d.cts", "dist/local/index.d.ts", "dist/local/index.d.cts"]) expect(existsSync(join(root, file))).toBe(true);
  });

  it("in Node.js, import and require give the same single copy of the client", () => {
    for (const name of Object.keys(cjs)) expect(esm[name], name).toBe(cjs[name]);
  });

  it("instanceof works across the bundler ES module build and the CommonJS build, for every error class", () => {
    const names = Object.keys(bundlerEsm).filter((k) => /Exception$/.test(k) && k !== "LambdaMicrovmsServiceException");
    expect(names.length).toBe(12);
    for (const name of names) {
      const fromCjs = new cjs[name]({ message: "m", $metadata: {} });
      const fromEsm = new bundlerEsm[name]({ message: "m", $metadata: {} });
      expect(bundlerEsm[name]).not.toBe(cjs[name]);
      expect(fromCjs).toBeInstanceOf(bundlerEsm[name]);
      expect(fromEsm).toBeInstanceOf(cjs[name]);
      expect(fromCjs).toBeInstanceOf(bundlerEsm.LambdaMicrovmsServiceException);
      expect(fromEsm).toBeInstanceOf(cjs.LambdaMicrovmsServiceException);
      expect(fromEsm.constructor.name).toBe(name);
      const other = names.find((n) => n !== name)!;
      expect(fromCjs).not.toBeInstanceOf(bundlerEsm[other]);
    }
  });

  it("a bundle of a one-command script keeps that command and drops the other commands, paginators, waiters and smithy's retry middleware", async () => {
    const { build } = await import("esbuild");
    const result = await build({
      stdin: { contents: `import { LambdaMicrovmsClient, GetMicrovmCommand } from "${PACKAGE}"; await new LambdaMicrovmsClient({}).send(new GetMicrovmCommand({ microvmIdentifier: "m" }));`, resolveDir: root, loader: "js" },
      bundle: true,
      format: "esm",
      platform: "node",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    expect(code).toContain("GetMicrovmCommand");
    for (const name of ["ListMicrovmsCommand", "RunMicrovmCommand", "paginateListMicrovms", "waitUntilMicrovmRunning", "waiterAcceptors", "parseRetryAfterHeader", "startLocalServer"]) {
      expect(code, name).not.toContain(name);
    }
  });

  it("the emulator is its own entry point, and the client entry does not load it", async () => {
    const local = (await import(`${PACKAGE}/local`)) as Module;
    expect(typeof local.startLocalServer).toBe("function");
    expect("startLocalServer" in esm).toBe(false);
    // One CommonJS copy of the emulator serves import and require.
    const required = createRequire(join(root, "package.json"))(`${PACKAGE}/local`) as Module;
    for (const name of Object.keys(required)) expect(local[name], name).toBe(required[name]);
    expect(Object.keys(local).sort()).toEqual(Object.keys(required).sort());
  });

  it("the package's bin starts the emulator's command line", async () => {
    const bin = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["lambda-microvms-local"]!;
    expect(readFileSync(join(root, bin), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const { stdout } = await run(process.execPath, [join(root, bin), "--help"]);
    expect(stdout).toMatch(/^Usage: lambda-microvms-local/);
  });

  // The ES module declarations re-export the CommonJS ones (scripts/build/shareDeclarations.mjs).
  it.each(["module", "commonjs"] as const)("the declarations type-check for a %s program under NodeNext, the emulator's included", async (type) => {
    const dir = mkdtempSync(join(tmpdir(), "lmv-types-"));
    try {
      mkdirSync(join(dir, "node_modules"));
      symlinkSync(root, join(dir, "node_modules", PACKAGE), "dir");
      writeFileSync(join(dir, "package.json"), JSON.stringify({ type }));
      const compilerOptions = { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, skipLibCheck: false, types: ["node"], typeRoots: [join(root, "node_modules/@types")] };
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["main.ts"] }));
      writeFileSync(
        join(dir, "main.ts"),
        [
          `import { LambdaMicrovmsClient, GetMicrovmCommand, ResourceNotFoundException, type GetMicrovmCommandOutput } from "lambda-microvms";`,
          `import { startLocalServer, type LocalServerOptions } from "lambda-microvms/local";`,
          `const options: LocalServerOptions = { port: 0 };`,
          `export async function main(): Promise<string | undefined> {`,
          `  const server = await startLocalServer(options);`,
          `  const client = new LambdaMicrovmsClient({ endpoint: server.endpoint, region: "us-east-1" });`,
          `  try { const out: GetMicrovmCommandOutput = await client.send(new GetMicrovmCommand({ microvmIdentifier: "m" })); return out.state; }`,
          `  catch (e) { if (e instanceof ResourceNotFoundException) return e.name; throw e; }`,
          `  finally { await server.stop(); }`,
          `}`,
          `// @ts-expect-error a wrong member type must fail against these declarations`,
          `new GetMicrovmCommand({ microvmIdentifier: 1 });`,
        ].join("\n"),
      );
      const tsc = join(root, "node_modules/typescript/bin/tsc");
      const result = await run(process.execPath, [tsc, "-p", dir]).then(
        () => "",
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );
      expect(result).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
