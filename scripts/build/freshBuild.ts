/**
 * The tests and the benchmark that load the built package (`dist/`) call {@link ensureBuild}
 * first, so they always use a build of the current source. A stamp file records a hash of the build's inputs (every
 * file under `src/` and `scripts/build/`, `tsup.config.ts`, `package.json`, `package-lock.json`)
 * and of the `dist/` that build wrote; when either hash differs from what is on disk now, the
 * package is built again. Contents, not modification times: a git checkout or a copy can give an
 * older file a newer time or the reverse, and a `dist/` built by hand from other sources must not
 * pass for this one.
 *
 * Test files run in parallel threads (and `test:runtimes` in another process), so a lock
 * directory lets one caller build while the others wait for it and then find the build fresh.
 */
import { execFile } from "node:child_process";
import { createHash, type Hash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** What the build reads from the repository (dependencies come from package-lock.json's versions). */
export const BUILD_INPUTS = ["src", "scripts/build", "tsup.config.ts", "package.json", "package-lock.json"] as const;
/** Entry points every test of the build needs; a `dist/` without one of them is rebuilt. */
const ENTRY_POINTS = ["dist/index.js", "dist/index.cjs", "dist/index.node.mjs", "dist/index.d.ts", "dist/local/index.js"];

export interface BuildOptions {
  /** The repository to build (default: this one). */
  root?: string;
  /** Runs the build in `root` (default: what `npm run build` runs). */
  build?: (root: string) => Promise<void>;
}

/** Where the stamp and the lock live: ignored by git, outside `dist/` (which is published). */
const workDir = (root: string): string => join(root, "test/.work");
const stampPath = (root: string): string => join(workDir(root), "build-stamp.json");
const lockPath = (root: string): string => join(workDir(root), "build-lock");

/** Adds a file or a directory tree to `hash`: relative paths in sorted order, and contents. */
function addTree(hash: Hash, root: string, relative: string): void {
  const path = join(root, relative);
  if (!existsSync(path)) {
    hash.update(`missing ${relative}\0`);
    return;
  }
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) addTree(hash, root, join(relative, entry));
    return;
  }
  // The name too, so that renaming or removing a file changes the hash.
  hash.update(`file ${relative}\0`);
  hash.update(readFileSync(path));
  hash.update("\0");
}

function treeHash(root: string, paths: readonly string[]): string {
  const hash = createHash("sha256");
  for (const path of paths) addTree(hash, root, path);
  return hash.digest("hex");
}

/** The hash of everything the build reads: it changes with any source or build setting. */
export const inputHash = (root: string = ROOT): string => treeHash(root, BUILD_INPUTS);

interface Stamp {
  inputs: string;
  dist: string;
}

function readStamp(root: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(stampPath(root), "utf8")) as Stamp;
  } catch {
    return undefined;
  }
}

/** True when `dist/` is the one the last build wrote, from inputs identical to today's. */
export function isFresh(root: string = ROOT): boolean {
  const stamp = readStamp(root);
  if (!stamp || !ENTRY_POINTS.every((p) => existsSync(join(root, p)))) return false;
  return stamp.inputs === inputHash(root) && stamp.dist === treeHash(root, ["dist"]);
}

function tryLock(root: string): boolean {
  mkdirSync(workDir(root), { recursive: true });
  try {
    mkdirSync(lockPath(root));
    return true;
  } catch {
    // A lock left by a killed run is stale after ten minutes.
    const lock = lockPath(root);
    if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

/** What `npm run build` runs: tsup, then the declarations step. */
async function npmRunBuild(root: string): Promise<void> {
  await run(process.execPath, [join(root, "node_modules/tsup/dist/cli-default.js")], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  await run(process.execPath, [join(root, "scripts/build/shareDeclarations.mjs")], { cwd: root });
}

/** Builds `dist/` unless it is a build of the current inputs; resolves once it is. */
export async function ensureBuild(options: BuildOptions = {}): Promise<void> {
  const root = options.root ?? ROOT;
  const build = options.build ?? npmRunBuild;
  while (!isFresh(root)) {
    if (!tryLock(root)) {
      // Another test file (or process) is building; it writes the stamp when it is done.
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      if (isFresh(root)) break;
      // Hashed before the build starts: a source edited during the build makes the next call build again.
      const inputs = inputHash(root);
      rmSync(stampPath(root), { force: true });
      await build(root);
      const missing = ENTRY_POINTS.filter((p) => !existsSync(join(root, p)));
      if (missing.length) throw new Error(`the build wrote no ${missing.join(", ")}`);
      const stamp: Stamp = { inputs, dist: treeHash(root, ["dist"]) };
      writeFileSync(stampPath(root), JSON.stringify(stamp));
    } finally {
      rmSync(lockPath(root), { recursive: true, force: true });
    }
  }
}
