/**
 * The emulator under load, in its own process so that its CPU time and memory are its own:
 * starts `startLocalServer` from the entry given (the build, as users get it) and answers the
 * orchestrator's questions about its memory and what it holds. Stops when the orchestrator goes.
 */
import type { LocalServer } from "../../src/local/index";

export type ToEmulator = { type: "stats"; id: number } | { type: "stop" };
export type FromEmulator =
  | { type: "listening"; port: number; region: string; accessKeyId: string; secretAccessKey: string }
  | { type: "stats"; id: number; rss: number; heapUsed: number; cpuUs: number; microvms: number; images: number; idempotencyRecords: number };

const entry = process.argv[2]!;
const { startLocalServer } = (await import(entry)) as { startLocalServer: (o: object) => Promise<LocalServer> };
const server = await startLocalServer({ transitionMs: 0, keepProcessAlive: true });
const send = (m: FromEmulator) => process.send!(m);
send({ type: "listening", port: server.port, region: server.region, ...server.credentials });
process.on("message", (m: ToEmulator) => {
  if (m.type === "stop") void server.stop().then(() => process.exit(0));
  else {
    const counts = server.service.counts();
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    send({ type: "stats", id: m.id, rss: memory.rss, heapUsed: memory.heapUsed, cpuUs: cpu.user + cpu.system, microvms: counts.microvms, images: counts.images, idempotencyRecords: counts.idempotencyRecords });
  }
});
process.on("disconnect", () => process.exit(0));
setTimeout(() => process.exit(0), 30 * 60_000).unref();
