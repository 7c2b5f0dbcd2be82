/**
 * The published builds: ESM and CJS entry points through the package's exports map, type
 * declarations, one copy of the client per Node.js process, and `instanceof` across the ES
 * module build that bundlers take and the CommonJS build. Builds dist/ first when it is missing
 * or older than the sources.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuild } from "../helpers/build";

const root = join(__dirname, "../..");
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
  });
});
