/**
 * The published builds: ESM and CJS entry points through the package's exports map, type
 * declarations, and `instanceof` across the two copies of every error class.
 * Builds dist/ first when it is missing (CI builds before testing).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(__dirname, "../..");
type Module = Record<string, any>;
// A variable, not a literal: the type checker runs before dist/ (and its declarations) exists.
const PACKAGE: string = "lambda-microvms";
let esm: Module;
let cjs: Module;

beforeAll(async () => {
  if (!existsSync(join(root, "dist/index.cjs")) || !existsSync(join(root, "dist/index.js"))) {
    execFileSync(process.execPath, [join(root, "node_modules/tsup/dist/cli-default.js")], { cwd: root, stdio: "ignore" });
  }
  // Resolved through package.json's exports map, as a user's import and require would be.
  esm = (await import(PACKAGE)) as Module;
  cjs = createRequire(join(root, "package.json"))(PACKAGE) as Module;
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

  it("instanceof works across the ESM and CJS copies of every error class", () => {
    const names = Object.keys(esm).filter((k) => /Exception$/.test(k) && k !== "LambdaMicrovmsServiceException");
    expect(names.length).toBe(12);
    for (const name of names) {
      const fromCjs = new cjs[name]({ message: "m", $metadata: {} });
      const fromEsm = new esm[name]({ message: "m", $metadata: {} });
      expect(fromCjs).toBeInstanceOf(esm[name]);
      expect(fromEsm).toBeInstanceOf(cjs[name]);
      expect(fromCjs).toBeInstanceOf(esm.LambdaMicrovmsServiceException);
      expect(fromEsm).toBeInstanceOf(cjs.LambdaMicrovmsServiceException);
      const other = names.find((n) => n !== name)!;
      expect(fromCjs).not.toBeInstanceOf(esm[other]);
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
  });
});
