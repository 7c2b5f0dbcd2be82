/**
 * The workspace the compat tests compile and run the programs in: `test/compat/.work/`, one
 * folder per TypeScript module setting, each holding the programs twice, once importing
 * `@aws-sdk/client-lambda-microvms` and once importing `lambda-microvms` (the one-line switch a
 * user makes). `lambda-microvms` resolves to this package's build through a `node_modules` link,
 * exactly as an installed copy would (its `exports` map, its type declarations).
 */
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ROOT } from "../../scripts/build/freshBuild";

export { ensureBuild } from "../../scripts/build/freshBuild";

const run = promisify(execFile);
const HERE = fileURLToPath(new URL(".", import.meta.url));
const PROGRAMS = join(HERE, "programs");

export type Package = "official" | "ours";
export const SPECIFIERS: Record<Package, string> = { official: "@aws-sdk/client-lambda-microvms", ours: "lambda-microvms" };

/** The TypeScript settings user projects have: NodeNext ESM and CommonJS, Bundler, and classic node10 CommonJS. */
export const MODES = {
  nodenext: { ext: ".ts", type: "module", compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } },
  "nodenext-cts": { ext: ".cts", type: "commonjs", compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } },
  bundler: { ext: ".ts", type: "module", compilerOptions: { module: "ESNext", moduleResolution: "Bundler" } },
  commonjs: { ext: ".ts", type: "commonjs", compilerOptions: { module: "CommonJS", moduleResolution: "Node10" } },
} as const;
export type Mode = keyof typeof MODES;

export const programNames = (): string[] => readdirSync(PROGRAMS).filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, ""));

/**
 * Writes a workspace afresh under `test/compat/.work/<name>` (one per test file, as test files
 * run in parallel): per mode a package.json, a tsconfig and the programs for both packages.
 */
export function prepareWorkspace(name: string): Workspace {
  const WORK = join(HERE, ".work", name);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, "node_modules"), { recursive: true });
  symlinkSync(ROOT, join(WORK, "node_modules/lambda-microvms"), "dir");
  for (const [mode, settings] of Object.entries(MODES)) {
    const dir = join(WORK, mode);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `compat-${mode}`, private: true, type: settings.type }));
    const compilerOptions = { target: "ES2022", lib: ["ES2022"], types: ["node"], strict: true, noEmit: true, skipLibCheck: false, esModuleInterop: true, ...settings.compilerOptions };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["**/*.ts", "**/*.cts"] }, null, 2));
    for (const pkg of ["official", "ours"] as const) {
      mkdirSync(join(dir, pkg), { recursive: true });
      for (const program of programNames()) {
        const text = readFileSync(join(PROGRAMS, `${program}.ts`), "utf8").replaceAll('"@aws-sdk/client-lambda-microvms"', JSON.stringify(SPECIFIERS[pkg]));
        writeFileSync(join(dir, pkg, `${program}${settings.ext}`), text);
      }
    }
  }
  return {
    root: WORK,
    compile: (mode) => compile(join(WORK, mode)),
    execute: (mode, pkg, program, target) => execute(join(WORK, mode, pkg, `${program}${MODES[mode].ext}`), target),
  };
}

export interface Workspace {
  /** The workspace folder. */
  root: string;
  /** Type-checks one mode's folder (both packages); the errors. */
  compile(mode: Mode): Promise<Diagnostic[]>;
  /** Runs `run(target)` of a program in a fresh Node.js process and returns what it observed. */
  execute(mode: Mode, pkg: Package, program: string, target: object): Promise<Record<string, unknown>>;
}

export interface Diagnostic {
  file: string;
  text: string;
}

async function compile(dir: string): Promise<Diagnostic[]> {
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  const out = await run(process.execPath, [tsc, "-p", dir, "--pretty", "false"], { cwd: dir, maxBuffer: 16 * 1024 * 1024 }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? String(e),
  );
  return out
    .split("\n")
    .filter((line) => /error TS\d+/.test(line))
    .map((line) => ({ file: line.slice(0, line.indexOf("(")), text: line }));
}

async function execute(file: string, target: object): Promise<Record<string, unknown>> {
  const code = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); const out = await m.run(JSON.parse(process.env.COMPAT_TARGET)); process.stdout.write(JSON.stringify(out));`;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: dirname(file),
    env: { ...process.env, COMPAT_TARGET: JSON.stringify(target), NODE_NO_WARNINGS: "1" },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}
