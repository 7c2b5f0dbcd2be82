/**
 * What the runtime tests share: a throwaway project that installs this package by a link (as a
 * user's would), the runtimes' binaries from node_modules, processes with a time limit, and
 * bundles made as the runtimes' own tools make them.
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type BuildOptions } from "esbuild";
import { ROOT } from "../../scripts/build/freshBuild";

export { ROOT };

export interface FlowResult {
  imageArn: string;
  waiter: string;
  microvmIds: string[];
  got: { microvmId: string; state: string; startedAtIsDate: boolean; requestId: string };
  pages: string[][];
  terminated: number[];
  missing: { name: string; modeled: boolean; status: number; requestId: string };
  /** Which file `lambda-microvms` resolved to, where the runtime tells. */
  entry?: string;
}

/** A project in a temporary folder whose node_modules has this package (a link to the repo) and the test programs. */
export function makeProject(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "lmvm-runtimes-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "lambda-microvms"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "runtime-flow", private: true, type: "module" }));
  cpSync(join(ROOT, "test/runtimes/programs"), dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end, killed after `timeoutMs`. */
export function runProgram(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The flow's result printed by a command-line program, or an error with what it printed. */
export function resultOf(ran: Ran): FlowResult {
  const line = ran.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (ran.code !== 0 || line === undefined) throw new Error(`exit ${ran.code}\nstdout: ${ran.stdout.slice(-2000)}\nstderr: ${ran.stderr.slice(-4000)}`);
  return JSON.parse(line.slice("RESULT ".length)) as FlowResult;
}

function works(binary: string): boolean {
  try {
    execFileSync(binary, ["--version"], { stdio: "ignore", timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * A runtime's binary from node_modules: its package's bin when its install script ran, else the
 * binary of its platform package (`@oven/bun-linux-x64`, …), which needs no script.
 */
export function binaryOf(name: "bun" | "deno", platformScope: string, inside: string): string {
  const bin = join(ROOT, "node_modules/.bin", name);
  if (works(bin)) return bin;
  const scope = join(ROOT, "node_modules", platformScope);
  const candidates = existsSync(scope) ? readdirSync(scope).map((pkg) => join(scope, pkg, inside)) : [];
  const found = candidates.find((path) => existsSync(path) && works(path));
  if (found === undefined) throw new Error(`no working ${name} binary in node_modules (tried ${[bin, ...candidates].join(", ")})`);
  return found;
}

/** A program bundled into one ES module, with the metafile that tells which files went in. */
export async function bundle(entry: string, options: BuildOptions): Promise<{ code: string; inputs: string[] }> {
  const result = await build({ entryPoints: [entry], bundle: true, format: "esm", write: false, metafile: true, logLevel: "silent", ...options });
  return { code: result.outputFiles![0]!.text, inputs: Object.keys(result.metafile!.inputs) };
}

/** The settings of the flow for one run against `endpoint`. */
export function flowSettings(endpoint: string, tag: string) {
  return { endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, tag };
}
