/** The measurements that need fresh processes or fresh installs: cold start, bundle size, install size. */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readdir, lstat, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { promisify } from "node:util";
import { build } from "esbuild";
import { CREDENTIALS, MICROVM_ID, REGION, STARTED_AT_MS } from "./fixtures";
import { median } from "./stats";

const run = promisify(execFile);

/** Wall time in ms of `node --input-type=module -e code`, from spawn to exit. */
function timeNode(code: string, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (status) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (status === 0) resolve(ms);
      else reject(new Error(`cold start process failed (${status}): ${stderr.slice(0, 2000)}`));
    });
  });
}

/**
 * What a real service has loaded before this client: another AWS SDK v3 client (STS, from the
 * official SDK's own `@aws-sdk/nested-clients`), constructed. It shares @smithy/core with both
 * contenders.
 */
const OTHER_CLIENT = `
import { STSClient } from "@aws-sdk/nested-clients/sts";
new STSClient({ region: "us-east-1" }).destroy();
`;

function coldScript(specifier: string, port: number, prelude = ""): string {
  return `${prelude}
const { LambdaMicrovmsClient, GetMicrovmCommand } = await import(${JSON.stringify(specifier)});
const client = new LambdaMicrovmsClient({ region: ${JSON.stringify(REGION)}, endpoint: "http://127.0.0.1:${port}", credentials: ${JSON.stringify(CREDENTIALS)} });
const out = await client.send(new GetMicrovmCommand({ microvmIdentifier: ${JSON.stringify(MICROVM_ID)} }));
if (!(out.startedAt instanceof Date) || out.startedAt.getTime() !== ${STARTED_AT_MS}) throw new Error("first call not parsed");
client.destroy();
`;
}

export interface ColdStart {
  emptyMs: number;
  oursMs: number;
  officialMs: number;
  /** Medians minus the empty `node -e ''`. */
  oursNetMs: number;
  officialNetMs: number;
  /** The same in a process that has loaded another AWS SDK v3 client first, minus that process alone. */
  afterOtherMs: number;
  oursAfterOtherNetMs: number;
  officialAfterOtherNetMs: number;
  runs: number;
}

/**
 * Cold start: import, construct, first call, in fresh processes, interleaved; minus `node -e ''`.
 * Then the same after another AWS SDK v3 client was loaded, minus a process that loads only that.
 */
export async function coldStart(opts: { oursEntry: string; cwd: string; port: number; rounds: number }): Promise<ColdStart> {
  // A clean environment: no AWS_* variables steering either client.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_") && !k.startsWith("NODE_")) env[k] = v;
  const oursUrl = pathToFileURL(opts.oursEntry).href;
  const scripts = {
    empty: "",
    ours: coldScript(oursUrl, opts.port),
    official: coldScript("@aws-sdk/client-lambda-microvms", opts.port),
    other: OTHER_CLIENT,
    oursAfterOther: coldScript(oursUrl, opts.port, OTHER_CLIENT),
    officialAfterOther: coldScript("@aws-sdk/client-lambda-microvms", opts.port, OTHER_CLIENT),
  };
  type Which = keyof typeof scripts;
  const t = Object.fromEntries(Object.keys(scripts).map((k) => [k, [] as number[]])) as Record<Which, number[]>;
  const names = Object.keys(scripts) as Which[];
  // One unmeasured round warms the file system cache; the order turns each round.
  for (let round = -1; round < opts.rounds; round++) {
    const order = round % 2 ? names : [...names].reverse();
    for (const which of order) {
      const ms = await timeNode(scripts[which], opts.cwd, env);
      if (round >= 0) t[which].push(ms);
    }
  }
  const m = Object.fromEntries(names.map((k) => [k, median(t[k])])) as Record<Which, number>;
  return {
    emptyMs: m.empty,
    oursMs: m.ours,
    officialMs: m.official,
    oursNetMs: m.ours - m.empty,
    officialNetMs: m.official - m.empty,
    afterOtherMs: m.other,
    oursAfterOtherNetMs: m.oursAfterOther - m.other,
    officialAfterOtherNetMs: m.officialAfterOther - m.other,
    runs: opts.rounds,
  };
}

export interface BundleSize {
  minified: number;
  gzip: number;
  /** Bytes of bundled input per package (largest first), to see what a one-command script pulls in. */
  packages: [string, number][];
}

const ONE_COMMAND = (specifier: string) => `
import { LambdaMicrovmsClient, GetMicrovmCommand } from ${JSON.stringify(specifier)};
const client = new LambdaMicrovmsClient({ region: "us-east-1" });
console.log(await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" })));
`;

function packageOf(path: string): string {
  const i = path.lastIndexOf("node_modules/");
  if (i < 0) return "(this package)";
  const rest = path.slice(i + "node_modules/".length).split("/");
  return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

/**
 * A one-command script bundled with esbuild (minified, ESM): for Node.js (platform node, ESM
 * entry points) or for browsers (platform browser: the `browser` export condition and fields), as
 * a user without OpenTelemetry bundles it: `@opentelemetry/api` is an optional peer dependency
 * that such a user does not have (this repository has it for its tests), so it is left out.
 */
export async function bundleSize(specifier: string, resolveDir: string, platform: "node" | "browser" = "node"): Promise<BundleSize> {
  const result = await build({
    external: ["@opentelemetry/api"],
    stdin: { contents: ONE_COMMAND(specifier), resolveDir, loader: "js", sourcefile: "one-command.mjs" },
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
    ...(platform === "node" ? { platform, target: "node18", mainFields: ["module", "main"] } : { platform, target: "es2022" }),
  });
  const code = result.outputFiles[0]!.contents;
  const packages = new Map<string, number>();
  const output = Object.values(result.metafile.outputs)[0]!;
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(path);
    packages.set(name, (packages.get(name) ?? 0) + bytesInOutput);
  }
  return { minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, packages: [...packages].sort((a, b) => b[1] - a[1]) };
}

async function treeSize(dir: string): Promise<{ bytes: number; files: number; packages: number }> {
  let bytes = 0;
  let files = 0;
  let packages = 0;
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (entry.isFile()) {
        files++;
        bytes += (await lstat(p)).size;
        if (entry.name === "package.json" && /node_modules\/(@[^/]+\/)?[^/@]+$/.test(d)) packages++;
      }
    }
  };
  await walk(dir);
  return { bytes, files, packages };
}

export interface InstallSize {
  bytes: number;
  files: number;
  packages: number;
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** `npm pack` of this package, then `npm install --omit=dev` of the tarball and of the official client in fresh temp dirs. */
export async function installSizes(repo: string, officialSpec: string): Promise<{ ours: InstallSize; official: InstallSize; tarball: number }> {
  const dir = await mkdtemp(join(tmpdir(), "lmvm-bench-install-"));
  try {
    const packed = JSON.parse(await npm(["pack", "--json", "--pack-destination", dir], repo)) as { filename: string; size: number }[];
    const tarball = join(dir, packed[0]!.filename);
    const install = async (name: string, spec: string): Promise<InstallSize> => {
      const where = join(dir, name);
      await run("mkdir", ["-p", where]);
      await writeFile(join(where, "package.json"), JSON.stringify({ name: `bench-${name}`, version: "1.0.0", private: true }));
      await npm(["install", "--omit=dev", "--no-package-lock", spec], where);
      return treeSize(join(where, "node_modules"));
    };
    const [ours, official] = await Promise.all([install("ours", tarball), install("official", officialSpec)]);
    return { ours, official, tarball: packed[0]!.size };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
