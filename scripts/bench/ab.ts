/**
 * A/B of two builds of this client on one scenario, interleaved, for measuring one change:
 *
 *   npx tsx scripts/bench/ab.ts <entry A> <entry B> [scenario=getMem] [rounds=10] [ms=800]
 *
 * Prints the median CPU per call of each and the median of the per-round ratios B/A.
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
function run(child: ChildProcess, id: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const on = (m: FromRunner) => {
      if (m.type === "ready" || m.id !== id) return;
      child.off("message", on);
      if (m.type === "error") reject(new Error(m.message));
      else resolve(m.cpuUs / m.calls);
    };
    child.on("message", on);
    child.send({ type: "run", id, scenario: scenario as Scenario, minMs: Number(msText) } satisfies ToRunner);
  });
}

const [ra, rb] = [await runner(a), await runner(b)];
const ca: number[] = [];
const cb: number[] = [];
let id = 0;
for (let round = 0; round <= Number(roundsText); round++) {
  const order = round % 2 ? [ra, rb] : [rb, ra];
  const results = new Map<ChildProcess, number>();
  for (const child of order) results.set(child, await run(child, ++id));
  if (round === 0) continue;
  ca.push(results.get(ra)!);
  cb.push(results.get(rb)!);
}
const ratios = cb.map((v, i) => v / ca[i]!);
console.log(`${scenario}: A ${median(ca).toFixed(1)} µs CPU/call, B ${median(cb).toFixed(1)} µs; B/A ${median(ratios).toFixed(3)} (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`);
for (const child of [ra, rb]) child.send({ type: "stop" } satisfies ToRunner);
server.kill();
