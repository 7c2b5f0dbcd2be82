/**
 * A/B of two builds of this client on one scenario, interleaved, for measuring one change:
 *
 *   npx tsx scripts/bench/ab.ts <entry A> <entry B> [scenario=getMem] [rounds=10] [ms=800]
 *
 * Prints the median CPU and wall time per call of each and the medians of the per-round ratios B/A.
 */
import { fork, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FromRunner, FromServer, Scenario, ToRunner } from "./fixtures";
import { median } from "./stats";

const here = dirname(fileURLToPath(import.meta.url));
const [a, b, scenario = "getMem", roundsText = "10", msText = "800"] = process.argv.slice(2);
if (!a || !b) throw new Error("usage: ab.ts <entry A> <entry B> [scenario] [rounds] [ms]");
const tsx = { execArgv: ["--import", "tsx"] };
const server = fork(join(here, "server.ts"), [], tsx);
const port = await new Promise<number>((resolve) => server.on("message", (m: FromServer) => m.type === "listening" && resolve(m.port)));

async function runner(entry: string): Promise<ChildProcess> {
  const child = fork(join(here, "runner.ts"), ["ours", String(port), entry], tsx);
  await new Promise<void>((resolve) => child.on("message", (m: FromRunner) => m.type === "ready" && resolve()));
  return child;
}
interface PerCall {
  cpu: number;
  wall: number;
}
function run(child: ChildProcess, id: number): Promise<PerCall> {
  return new Promise((resolve, reject) => {
    const on = (m: FromRunner) => {
      if (m.type === "ready" || m.id !== id) return;
      child.off("message", on);
      if (m.type === "error") reject(new Error(m.message));
      else resolve({ cpu: m.cpuUs / m.calls, wall: m.wallNs / 1000 / m.calls });
    };
    child.on("message", on);
    child.send({ type: "run", id, scenario: scenario as Scenario, minMs: Number(msText) } satisfies ToRunner);
  });
}

const [ra, rb] = [await runner(a), await runner(b)];
const ca: PerCall[] = [];
const cb: PerCall[] = [];
let id = 0;
for (let round = 0; round <= Number(roundsText); round++) {
  const order = round % 2 ? [ra, rb] : [rb, ra];
  const results = new Map<ChildProcess, PerCall>();
  for (const child of order) results.set(child, await run(child, ++id));
  if (round === 0) continue;
  ca.push(results.get(ra)!);
  cb.push(results.get(rb)!);
}
for (const key of ["cpu", "wall"] as const) {
  const [va, vb] = [ca.map((r) => r[key]), cb.map((r) => r[key])];
  const ratios = vb.map((v, i) => v / va[i]!);
  console.log(
    `${scenario} ${key}: A ${median(va).toFixed(1)} µs/call, B ${median(vb).toFixed(1)} µs; B/A ${median(ratios).toFixed(3)} (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
  );
}
for (const child of [ra, rb]) child.send({ type: "stop" } satisfies ToRunner);
server.kill();
