/**
 * `npm run bench`: this client against the official `@aws-sdk/client-lambda-microvms`, side by
 * side in one run, against a loopback server in its own process, plus a signed `node:http`
 * baseline. Rounds are interleaved (contender order rotates each round) and medians reported,
 * with the ratios of the performance goals. Cold start runs in fresh processes; install size
 * comes from fresh installs of `npm pack`'s tarball and of the official package.
 *
 *   npm run bench [-- --rounds=5 --ms=1500 --quick --only=throughput,cold,bundle,install,emulator --no-readme --src]
 *
 * `emulator` measures the local emulator itself (its requests/s once warm and after
 * `--emulator-requests` requests, default 1,000,000, with its memory); see bench/emulatorLoad.ts.
 *
 * `--src` runs our client from `src/` (through tsx) for the throughput rounds instead of the built
 * `dist/`, for quick iteration; cold start, bundle and install always use the build.
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { cpus, release, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FromRunner, FromServer, Scenario, ToRunner, ToServer } from "./bench/fixtures";
import { fmt, kib, median, table } from "./bench/stats";
import { bundleSize, coldStart, installSizes, type BundleSize, type ColdStart, type InstallSize } from "./bench/static";
import { measureEmulator, type EmulatorResult } from "./bench/emulatorLoad";
import { ensureBuild as ensureFreshBuild, isFresh } from "./build/freshBuild";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k!, v ?? "true"] as const;
  }),
);
const quick = args.has("quick");
const rounds = Number(args.get("rounds") ?? (quick ? 3 : 15));
const minMs = Number(args.get("ms") ?? (quick ? 700 : 1000));
const coldRounds = Number(args.get("cold-rounds") ?? (quick ? 5 : 15));
const SECTIONS = ["throughput", "cold", "bundle", "install", "emulator"];
const only = new Set((args.get("only") ?? SECTIONS.join(",")).split(","));
const useSrc = args.has("src");
const emulatorRequests = Number(args.get("emulator-requests") ?? (quick ? 200_000 : 1_000_000));
const writeReadme = !args.has("no-readme") && SECTIONS.every((s) => only.has(s)) && !useSrc;

const OFFICIAL_VERSION = (JSON.parse(await readFile(join(repo, "node_modules/@aws-sdk/client-lambda-microvms/package.json"), "utf8")) as { version: string }).version;
const log = (message: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${message}\n`);

// ---------------------------------------------------------------------------------------------
// The build of our package (cold start, bundle and install measure what users get).

/** Builds dist/ unless it is a build of the current sources (the same check the tests make). */
async function ensureBuild(): Promise<string> {
  if (!isFresh(repo)) log("dist/ is not a build of the current sources: building");
  await ensureFreshBuild({ root: repo });
  return join(repo, "dist/index.js");
}

// ---------------------------------------------------------------------------------------------
// Children: the server and one runner per contender.

type Contender = "ours" | "official" | "baseline";

function waitFor<T>(child: ChildProcess, accept: (m: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      if (!accept(m)) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) while waiting`));
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

const tsx = { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] as ("ignore" | "inherit" | "ipc")[] };
let nextId = 1;

async function startServer(): Promise<{ child: ChildProcess; port: number; count(): Promise<{ count: number; bad: number }> }> {
  const child = fork(join(repo, "scripts/bench/server.ts"), [], tsx);
  const { port } = await waitFor<FromServer>(child, (m) => m.type === "listening").then((m) => m as Extract<FromServer, { type: "listening" }>);
  return {
    child,
    port,
    async count() {
      const id = nextId++;
      const reply = waitFor<FromServer>(child, (m) => m.type === "count" && m.id === id);
      child.send({ type: "count", id } satisfies ToServer);
      const m = (await reply) as Extract<FromServer, { type: "count" }>;
      return { count: m.count, bad: m.bad };
    },
  };
}

interface RunResult {
  calls: number;
  items: number;
  wallNs: number;
  cpuUs: number;
}

async function startRunner(contender: Contender, port: number, oursEntry: string): Promise<(scenario: Scenario) => Promise<RunResult>> {
  const child = fork(join(repo, "scripts/bench/runner.ts"), [contender, String(port), oursEntry], tsx);
  await waitFor<FromRunner>(child, (m) => m.type === "ready");
  children.push(child);
  return async (scenario) => {
    const id = nextId++;
    const reply = waitFor<FromRunner>(child, (m) => m.type !== "ready" && m.id === id);
    child.send({ type: "run", id, scenario, minMs } satisfies ToRunner);
    const m = await reply;
    if (m.type === "error") throw new Error(m.message);
    return m as RunResult;
  };
}
const children: ChildProcess[] = [];

// ---------------------------------------------------------------------------------------------
// Throughput rounds.

const SCENARIOS: { scenario: Scenario; contenders: Contender[] }[] = [
  { scenario: "getSeq", contenders: ["ours", "official", "baseline"] },
  { scenario: "getC32", contenders: ["ours", "official"] },
  { scenario: "runSeq", contenders: ["ours", "official"] },
  { scenario: "paginate", contenders: ["ours", "official"] },
  { scenario: "getMem", contenders: ["ours", "official"] },
];

type Samples = Record<Scenario, Partial<Record<Contender, RunResult[]>>>;

async function throughput(server: Awaited<ReturnType<typeof startServer>>, oursEntry: string): Promise<Samples> {
  const runners = {} as Record<Contender, (s: Scenario) => Promise<RunResult>>;
  for (const c of ["ours", "official", "baseline"] as const) runners[c] = await startRunner(c, server.port, oursEntry);
  const samples: Samples = { getSeq: {}, getC32: {}, runSeq: {}, paginate: {}, getMem: {} };
  for (let round = 0; round <= rounds; round++) {
    log(round === 0 ? "warm-up round" : `round ${round}/${rounds}`);
    for (const { scenario, contenders } of SCENARIOS) {
      // Rotate who goes first, so that no contender always follows the same one.
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
      for (const contender of order) {
        const before = await server.count();
        const result = await runners[contender](scenario);
        const after = await server.count();
        // Every request the server saw is one the client was asked to make: no hidden retries.
        const expected = scenario === "getMem" ? 0 : result.calls;
        if (after.count - before.count !== expected) {
          throw new Error(`${contender} ${scenario}: server saw ${after.count - before.count} requests for ${expected} expected (hidden retries?)`);
        }
        if (after.bad !== before.bad) throw new Error(`${contender} ${scenario}: ${after.bad - before.bad} unsigned or unroutable requests`);
        if (round > 0) (samples[scenario][contender] ??= []).push(result);
      }
    }
  }
  return samples;
}

// ---------------------------------------------------------------------------------------------
// Report.

const READING = [
  "How to read it: the in-memory row is each client's own work per call (middleware, serialization, SigV4 signing, parsing), without I/O.",
  "Over loopback HTTP every contender also pays the kernel's cost per request and waits for the mock server, so the per-call and throughput",
  "ratios depend on how large that shared cost is on the machine, and the range column shows how far the load of a busy 2-core machine moves",
  "a ratio from round to round. The official client and the signed baseline go through `node:http`, whose per-request objects (ClientRequest,",
  "IncomingMessage, the agent's bookkeeping) cost more CPU than the rest of this client; this client writes HTTP/1.1 to pooled keep-alive sockets",
  "and parses responses itself (`src/http/`), which is why it can be faster than the baseline.",
  "Cold start comes mostly from the build: `dist/` carries the smithy runtime code it uses, tree-shaken from the packages' ESM builds, instead of",
  "loading their complete CommonJS builds from `node_modules`; only the smithy classes users' code must share (`@smithy/core/client` and",
  "`/transport`: Client, Command, ServiceException, HttpRequest, HttpResponse) are loaded from there. Where that time goes, in instructions",
  "(valgrind, Node 20, over an empty ES module): importing `@smithy/core/client` from an ES module costs about 242 million, because Node parses",
  "the CommonJS module for its exports; `require` of it costs about 13 million; so Node's `import \"lambda-microvms\"` loads the CommonJS build",
  "with `require` (`dist/index.node.mjs`), about 134 million in all (smithy's shared classes about 50 million of it), where the official",
  "client's import costs about 444 million; the first call costs about 61 million against the official's 97 million (the build loads its lazy",
  "chunks with `require`). In instructions the whole cold start is about 0.37× the official's; in wall time the ratio is higher on a quiet",
  "machine (0.5× give or take a few hundredths from run to run), because the fixed part both pay (process start-up work outside the",
  "instruction count, file reads, the loopback connection) weighs more against a smaller total, and lower on a busy one.",
  "The one-command bundle is above its goal since this client became one runtime with the official client: smithy's `Command` (which commands",
  "must be, for `instanceof $Command` and the tools that patch it) brings its schema code (NormalizedSchema and more, about 9 KB minified), the",
  "`requestHandler` options form brings smithy's `NodeHttpHandler` for options that carry an HTTP agent (about 7 KB), and the official",
  "configuration surface (providers, extensions, defaults modes) about 11 KB; the serde tables are per operation, so one command keeps its own",
  "shapes only. Paginators and waiters are pure, so bundlers drop unused ones.",
  "The install is above its goal for two reasons that come with the contract: `@smithy/core` (about 1.9 MiB, which the official client installs",
  "too) is a dependency since smithy's classes are loaded from `node_modules` rather than copied, and `dist/web/` (about 0.22 MiB) is the build",
  "browsers, Deno, Workers and React Native need. The package ships one copy of its declarations and one of the emulator.",
].join("\n");

/** One-command bundles: for Node.js (`ours`, `official`) and for browsers. */
interface Bundles {
  ours: BundleSize;
  official: BundleSize;
  oursBrowser: BundleSize;
  officialBrowser: BundleSize;
}

interface Row {
  figure: string;
  ours: string;
  official: string;
  ratio: number;
  goal: string;
  met: boolean;
  /** Range of the per-round ratios, to show the noise. */
  spread?: string;
}

function perSecond(results: RunResult[] | undefined, unit: "calls" | "items"): number[] {
  return (results ?? []).map((r) => r[unit] / (r.wallNs / 1e9));
}

/** Ratios of the samples taken back to back in the same round: slow drifts of the machine's load cancel out. */
function pairedRatios(ours: number[], official: number[]): number[] {
  return ours.map((o, i) => o / official[i]!).filter(Number.isFinite);
}

function spread(ours: number[], official: number[]): string {
  const ratios = pairedRatios(ours, official);
  return ratios.length ? `${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}` : "";
}

function throughputRows(s: Samples): {
  rows: Row[];
  baseline: { oursUs: number; baselineUs: number; ratio: number; baselineCpuUs: number; baselineSpeedup: number };
} {
  const rows: Row[] = [];
  const rate = (figure: string, scenario: Scenario, unit: "calls" | "items", goal: number) => {
    const o = perSecond(s[scenario].ours, unit);
    const a = perSecond(s[scenario].official, unit);
    const ratio = median(pairedRatios(o, a));
    rows.push({ figure, ours: fmt(median(o)), official: fmt(median(a)), ratio, goal: `≥ ${fmt(goal, 1)}×`, met: ratio >= goal, spread: spread(o, a) });
  };
  rate("GetMicrovm sequential, requests/s", "getSeq", "calls", 2);
  rate("GetMicrovm at concurrency 32, requests/s", "getC32", "calls", 2);
  rate("RunMicrovm sequential, requests/s", "runSeq", "calls", 2);
  rate(`paginating 10,000 items at pageSize 50, items/s`, "paginate", "items", 1.8);
  const cpu = (c: Contender) => (s.getSeq[c] ?? []).map((r) => r.cpuUs / r.calls);
  const co = cpu("ours");
  const ca = cpu("official");
  const cpuRatio = median(pairedRatios(co, ca));
  rows.push({ figure: "client CPU per GetMicrovm call, µs", ours: fmt(median(co)), official: fmt(median(ca)), ratio: cpuRatio, goal: "≤ 0.45×", met: cpuRatio <= 0.45, spread: spread(co, ca) });
  const memCpu = (c: Contender) => (s.getMem[c] ?? []).map((r) => r.cpuUs / r.calls);
  const mo = memCpu("ours");
  const ma = memCpu("official");
  if (mo.length && ma.length) {
    const ratio = median(pairedRatios(mo, ma));
    rows.push({ figure: "(not a goal) the same, request handler answering in memory, µs", ours: fmt(median(mo)), official: fmt(median(ma)), ratio, goal: "", met: true, spread: spread(mo, ma) });
  }
  const usPerCall = (c: Contender) => (s.getSeq[c] ?? []).map((r) => r.wallNs / 1e3 / r.calls);
  const oursUs = usPerCall("ours");
  const baselineUs = usPerCall("baseline");
  const officialUs = usPerCall("official");
  return {
    rows,
    baseline: {
      oursUs: median(oursUs),
      baselineUs: median(baselineUs),
      ratio: median(pairedRatios(oursUs, baselineUs)),
      baselineCpuUs: median(cpu("baseline")),
      baselineSpeedup: median(pairedRatios(officialUs, baselineUs)),
    },
  };
}

function staticRows(cold?: ColdStart, bundles?: Bundles, install?: { ours: InstallSize; official: InstallSize }): Row[] {
  const rows: Row[] = [];
  if (cold) {
    const ratio = cold.oursNetMs / cold.officialNetMs;
    rows.push({ figure: `cold start above \`node -e ''\` (${fmt(cold.emptyMs)} ms), ms`, ours: fmt(cold.oursNetMs), official: fmt(cold.officialNetMs), ratio, goal: "≤ 0.50×", met: ratio <= 0.5 });
    rows.push({
      figure: `(not a goal) the same after another AWS SDK v3 client was loaded (${fmt(cold.afterOtherMs)} ms), ms`,
      ours: fmt(cold.oursAfterOtherNetMs),
      official: fmt(cold.officialAfterOtherNetMs),
      ratio: cold.oursAfterOtherNetMs / cold.officialAfterOtherNetMs,
      goal: "",
      met: true,
    });
  }
  if (bundles) {
    const ratio = bundles.ours.gzip / bundles.official.gzip;
    rows.push({ figure: "one-command bundle, gzip (minified)", ours: `${kib(bundles.ours.gzip)} (${kib(bundles.ours.minified)})`, official: `${kib(bundles.official.gzip)} (${kib(bundles.official.minified)})`, ratio, goal: "≤ 0.35×", met: ratio <= 0.35 });
    const browser = bundles.oursBrowser.gzip / bundles.officialBrowser.gzip;
    rows.push({
      figure: "the same for browsers, gzip (minified)",
      ours: `${kib(bundles.oursBrowser.gzip)} (${kib(bundles.oursBrowser.minified)})`,
      official: `${kib(bundles.officialBrowser.gzip)} (${kib(bundles.officialBrowser.minified)})`,
      ratio: browser,
      goal: "≤ 0.35×",
      met: browser <= 0.35,
    });
  }
  if (install) {
    const ratio = install.ours.bytes / install.official.bytes;
    rows.push({
      figure: "`node_modules` of a fresh install (packages)",
      ours: `${kib(install.ours.bytes)} (${install.ours.packages})`,
      official: `${kib(install.official.bytes)} (${install.official.packages})`,
      ratio,
      goal: "≤ 0.65×",
      met: ratio <= 0.65,
    });
  }
  return rows;
}

function emulatorReport(e: EmulatorResult): string {
  const mib = (bytes: number) => `${fmt(bytes / 2 ** 20)} MiB`;
  const ratio = e.late.requestsPerSecond / e.early.requestsPerSecond;
  const rows = [
    ["requests/s", fmt(e.early.requestsPerSecond), fmt(e.late.requestsPerSecond), `${fmt(ratio, 2)}×`],
    ["emulator CPU per request, µs", fmt(e.early.cpuUsPerRequest), fmt(e.late.cpuUsPerRequest), `${fmt(e.late.cpuUsPerRequest / e.early.cpuUsPerRequest, 2)}×`],
    ["resident memory (RSS)", mib(e.early.rssBytes), mib(e.late.rssBytes), `${fmt(e.late.rssBytes / e.early.rssBytes, 2)}×`],
    ["MicroVMs held (terminated ones until forgotten)", fmt(e.early.microvmsHeld), fmt(e.late.microvmsHeld), ""],
    ["client tokens held", fmt(e.early.idempotencyRecords), fmt(e.late.idempotencyRecords), ""],
  ];
  const blocks = e.blocks.length ? ` Blocks of 100,000 requests on the way ran at ${fmt(Math.min(...e.blocks))}–${fmt(Math.max(...e.blocks))} requests/s.` : "";
  return [
    `Emulator throughput (the local emulator, built, in its own process with \`transitionMs: 0\` and the default retention of one minute; a load generator in another process writes signed requests to 16 keep-alive connections, each repeating RunMicrovm with a client token, GetMicrovm, a one-item ListMicrovms, TerminateMicrovm, GetMicrovm, a filtered one-item ListMicrovmImages, and every 20th time an image created and deleted; every answer checked). Measured over ${fmt(e.totalRequests)} requests in ${fmt(e.seconds)} s.${blocks} Requests/s moves with whatever else the machine runs; the emulator's CPU time per request does not, so it is the figure that shows whether a request costs more after a long run.`,
    "",
    table(["emulator", `steady state (after ${fmt(e.warmRequests)} requests)`, `after ${fmt(e.totalRequests)} requests`, "ratio"], rows),
  ].join("\n");
}

function render(rows: Row[]): string {
  return table(
    ["figure", "lambda-microvms", `official ${OFFICIAL_VERSION}`, "ratio", "range of per-round ratios", "goal", "met"],
    rows.map((r) => [r.figure, r.ours, r.official, `${fmt(r.ratio, 2)}×`, r.spread ?? "", r.goal, r.goal === "" ? "" : r.met ? "yes" : "**no**"]),
  );
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? "unknown CPU"}, ${cpu.length} cores, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Linux ${release()}, Node ${process.version}`;
}

async function updateReadme(section: string): Promise<void> {
  const path = join(repo, "README.md");
  const text = await readFile(path, "utf8");
  const block = `## Performance\n\n${section}\n`;
  const existing = /^## Performance\n[\s\S]*?(?=^## |(?![\s\S]))/m;
  let next: string;
  if (existing.test(text)) next = text.replace(existing, `${block}\n`);
  else if (/^## Development$/m.test(text)) next = text.replace(/^## Development$/m, `${block}\n## Development`);
  else next = `${text.trimEnd()}\n\n${block}`;
  await writeFile(path, next);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const distEntry = await ensureBuild();
  const oursEntry = useSrc ? join(repo, "src/index.ts") : distEntry;
  log(`machine: ${machine()}`);
  const server = await startServer();
  let samples: Samples | undefined;
  let cold: ColdStart | undefined;
  try {
    if (only.has("throughput")) samples = await throughput(server, oursEntry);
    for (const child of children) child.send({ type: "stop" } satisfies ToRunner);
    if (only.has("cold")) {
      log("cold start");
      // What `import "lambda-microvms"` loads in Node.js (the package's `node` export condition).
      cold = await coldStart({ oursEntry: join(repo, "dist/index.node.mjs"), cwd: repo, port: server.port, rounds: coldRounds });
    }
  } finally {
    for (const child of children) child.kill();
    server.child.send({ type: "stop" } satisfies ToServer);
  }
  let bundles: Bundles | undefined;
  if (only.has("bundle")) {
    log("bundles");
    bundles = {
      ours: await bundleSize(distEntry, repo),
      official: await bundleSize("@aws-sdk/client-lambda-microvms", repo),
      // Through the package's exports, as a web app's bundler resolves it (the browser condition).
      oursBrowser: await bundleSize("lambda-microvms", repo, "browser"),
      officialBrowser: await bundleSize("@aws-sdk/client-lambda-microvms", repo, "browser"),
    };
  }
  let emulator: EmulatorResult | undefined;
  if (only.has("emulator")) {
    log(`emulator throughput (${fmt(emulatorRequests)} requests)`);
    emulator = await measureEmulator({ entry: join(repo, useSrc ? "src/local/index.ts" : "dist/local/index.js"), requests: emulatorRequests, connections: 16, windowMs: quick ? 3000 : 10_000, warmupMs: quick ? 15_000 : 70_000, log });
  }
  let install: { ours: InstallSize; official: InstallSize; tarball: number } | undefined;
  if (only.has("install")) {
    log("fresh installs (npm pack + npm install --omit=dev)");
    install = await installSizes(repo, `@aws-sdk/client-lambda-microvms@${OFFICIAL_VERSION}`);
  }

  const rows: Row[] = [];
  let baselineLine = "";
  if (samples) {
    const t = throughputRows(samples);
    rows.push(...t.rows);
    baselineLine =
      `Signed \`node:http\` baseline (keep-alive, \`@smithy/signature-v4\` on Node's crypto, JSON.parse): ` +
      `${fmt(t.baseline.baselineUs)} µs per sequential GetMicrovm (${fmt(t.baseline.baselineCpuUs)} µs CPU); ` +
      `ours ${fmt(t.baseline.oursUs)} µs, **${fmt(t.baseline.ratio, 2)}×** the baseline's time (goal ≤ 1.30×: ${t.baseline.ratio <= 1.3 ? "met" : "**not met**"}). ` +
      `In this run the baseline itself does ${fmt(t.baseline.baselineSpeedup, 2)}× the official client's sequential requests/s: roughly the ceiling for a client built on \`node:http\` and SigV4 on this machine.`;
  }
  rows.push(...staticRows(cold, bundles, install));
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  const notes = [
    `Measured with \`npm run bench\` on ${date} UTC, on ${machine()}, against \`@aws-sdk/client-lambda-microvms\` ${OFFICIAL_VERSION}.`,
    !samples ? "" : `Throughput: ${rounds} interleaved rounds of ≥ ${minMs} ms per contender after a warm-up round, medians; each client in its own process, the loopback server in another. ` +
      `A ratio is the median of the per-round ratios (ours against the official client measured back to back in the same round), so that the machine's changing load cancels out; the absolute figures are medians. ` +
      `Every output is checked (dates parsed, all 10,000 items paged in order) and the server's request count equals the calls made (no hidden retries).` +
      (useSrc ? " (ours run from src/ through tsx)" : ""),
    cold
      ? `Cold start: median of ${cold.runs} fresh processes each (import, construct, first GetMicrovm), interleaved; ours from the entry Node.js takes for \`import "lambda-microvms"\`. ` +
        `The second cold-start row loads another AWS SDK v3 client first (STS, from \`@aws-sdk/nested-clients\`), as most services have, and subtracts a process that loads only that.`
      : "",
    bundles
      ? "Bundles: a one-command program (construct a client, send one GetMicrovm) bundled with esbuild, minified, gzip level 9; for Node.js (platform node, ESM entry points) " +
        "and for browsers (platform browser, through each package's browser export condition or field)."
      : "",
    install ? `Install: \`npm install --omit=dev\` of \`npm pack\`'s tarball (${kib(install.tarball)}) and of the official package, each in a fresh temporary directory; apparent file sizes.` : "",
  ]
    .filter(Boolean)
    .map((note) => `- ${note}`);
  const report = [notes.join("\n"), "", rows.length ? render(rows) : "", "", baselineLine, "", emulator ? emulatorReport(emulator) : "", "", rows.length ? READING : ""]
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  process.stdout.write(`\n${report}\n`);
  if (bundles) {
    const top = (b: BundleSize) => b.packages.slice(0, 6).map(([p, n]) => `${p} ${kib(n)}`).join(", ");
    process.stdout.write(`\nbundle inputs, ours: ${top(bundles.ours)}\nbundle inputs, official: ${top(bundles.official)}\n`);
    process.stdout.write(`browser bundle inputs, ours: ${top(bundles.oursBrowser)}\nbrowser bundle inputs, official: ${top(bundles.officialBrowser)}\n`);
  }
  log(`done in ${fmt((Date.now() - started) / 1000)} s`);
  if (writeReadme) {
    await updateReadme(report);
    log("README.md: Performance section updated");
  }
}

await main().catch((error: unknown) => {
  for (const child of children) child.kill();
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
