/**
 * CPU profile of one contender running one scenario against the benchmark server:
 *
 *   npx tsx scripts/bench/profile.ts <ours|official|baseline> <getSeq|getC32|runSeq|paginate> [ms] [entry of ours]
 *
 * Writes a `.cpuprofile` into /tmp/lmvm-profile/ and prints the top functions by self time.
 */
import { fork } from "node:child_process";
import { readFile, readdir, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FromRunner, FromServer, Scenario, ToRunner } from "./fixtures";

const here = dirname(fileURLToPath(import.meta.url));
const [contender = "ours", scenario = "getSeq", msText = "5000", entry = join(here, "../../dist/index.js")] = process.argv.slice(2);
const out = "/tmp/lmvm-profile";
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const server = fork(join(here, "server.ts"), [], { execArgv: ["--import", "tsx"] });
const port = await new Promise<number>((resolve) => server.on("message", (m: FromServer) => m.type === "listening" && resolve(m.port)));
const runner = fork(join(here, "runner.ts"), [contender, String(port), entry], {
  execArgv: ["--import", "tsx", "--cpu-prof", `--cpu-prof-dir=${out}`, "--cpu-prof-interval=200"],
});
await new Promise<void>((resolve) => runner.on("message", (m: FromRunner) => m.type === "ready" && resolve()));
const result = await new Promise<FromRunner>((resolve) => {
  runner.on("message", (m: FromRunner) => m.type !== "ready" && resolve(m));
  runner.send({ type: "run", id: 1, scenario: scenario as Scenario, minMs: Number(msText) } satisfies ToRunner);
});
console.log(result);
await new Promise<void>((resolve) => {
  runner.on("exit", () => resolve());
  runner.send({ type: "stop" } satisfies ToRunner);
});
server.kill();

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const file = (await readdir(out)).find((f) => f.endsWith(".cpuprofile"))!;
const profile = JSON.parse(await readFile(join(out, file), "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const n = nodes.get(id)!;
  const dt = profile.timeDeltas[i] ?? 0;
  const url = n.callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(src|dist)\//, "$1/");
  const key = `${n.callFrame.functionName || "(anonymous)"} ${url}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  if (n.callFrame.functionName !== "(idle)") total += dt;
});
console.log(`profile ${join(out, file)}: ${(total / 1000).toFixed(0)} ms busy`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 45)) {
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
}
