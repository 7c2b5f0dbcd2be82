/**
 * The tests that load the built package (`dist/`) call {@link ensureBuild} first: it builds when
 * `dist/` is missing or older than the sources, so no test passes on a stale build. Test files run
 * in parallel, so a lock directory keeps two of them from building at once.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LOCK = join(ROOT, "node_modules/.lambda-microvms-build-lock");

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** True when every entry of `dist/` exists and is newer than the sources and the build settings. */
function fresh(): boolean {
  const outputs = ["dist/index.js", "dist/index.cjs", "dist/index.node.mjs", "dist/index.d.ts", "dist/local/index.js"].map((p) => join(ROOT, p));
  if (!outputs.every((p) => existsSync(p))) return false;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = Math.max(newest(join(ROOT, "src")), newest(join(ROOT, "tsup.config.ts")), newest(join(ROOT, "scripts/build")), newest(join(ROOT, "package.json")));
  return built > sources;
}

function tryLock(): boolean {
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    // A lock left by a killed run is stale after ten minutes.
    if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 600_000) rmSync(LOCK, { recursive: true, force: true });
    return false;
  }
}

export async function ensureBuild(): Promise<void> {
  while (!fresh()) {
    if (!tryLock()) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (!fresh()) {
        // What `npm run build` runs.
        await run(process.execPath, [join(ROOT, "node_modules/tsup/dist/cli-default.js")], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
        await run(process.execPath, [join(ROOT, "scripts/build/shareDeclarations.mjs")], { cwd: ROOT });
      }
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
