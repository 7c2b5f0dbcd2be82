/**
 * The emulator's own throughput: a load generator that writes signed HTTP/1.1 requests to
 * keep-alive sockets and parses the answers itself, so that the figure is the emulator's cost
 * and not a client's. Each connection runs a cycle that leaves history behind, as a long CI
 * run does: RunMicrovm with a client token, GetMicrovm, a one-item ListMicrovms,
 * TerminateMicrovm, GetMicrovm again, a filtered one-item ListMicrovmImages, and now and then an
 * image created and deleted. Requests/s and the emulator's CPU time per request are measured at
 * steady state (once the retention period has started forgetting) and again after 1,000,000
 * requests, with its resident memory at both points.
 */
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { payloadHash, signature } from "../../src/local/canonical";
import type { FromEmulator, ToEmulator } from "./emulatorServer";

interface Credentials {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

interface Answer {
  status: number;
  body: string;
}

const amzDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

function requestBytes(port: number, creds: Credentials, method: string, target: string, body?: string): Buffer {
  const date = amzDate(Date.now());
  const host = `127.0.0.1:${port}`;
  const q = target.indexOf("?");
  const query: Record<string, string[]> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(target.slice(q + 1))) (query[k] ??= []).push(v);
  const bytes = Buffer.from(body ?? "");
  const headers: [string, string][] = [["host", host], ["x-amz-date", date]];
  const sig = signature(
    { method, rawPath: q < 0 ? target : target.slice(0, q), query, headers, payloadHash: payloadHash(bytes) },
    { secretAccessKey: creds.secretAccessKey, date: date.slice(0, 8), region: creds.region, service: "lambda", amzDate: date },
  );
  const auth = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${date.slice(0, 8)}/${creds.region}/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${sig}`;
  const head = `${method} ${target} HTTP/1.1\r\nhost: ${host}\r\nx-amz-date: ${date}\r\nauthorization: ${auth}\r\ncontent-type: application/json\r\ncontent-length: ${bytes.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), bytes]);
}

/** One keep-alive connection with one request in flight at a time. */
class Connection {
  private socket!: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting?: (answer: Answer) => void;

  static open(port: number): Promise<Connection> {
    const connection = new Connection();
    return new Promise((resolve, reject) => {
      connection.socket = connect(port, "127.0.0.1", () => resolve(connection));
      connection.socket.setNoDelay(true);
      connection.socket.on("error", reject);
      connection.socket.on("data", (d: Buffer) => connection.onData(d));
    });
  }

  send(bytes: Buffer): Promise<Answer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(bytes);
    });
  }

  private onData(data: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    const end = this.buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = this.buffer.subarray(0, end).toString("latin1");
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffer.length < end + 4 + length) return;
    const answer = { status: Number(head.slice(9, 12)), body: this.buffer.subarray(end + 4, end + 4 + length).toString("utf8") };
    this.buffer = this.buffer.subarray(end + 4 + length);
    const waiting = this.waiting!;
    this.waiting = undefined;
    waiting(answer);
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface EmulatorWindow {
  requestsPerSecond: number;
  /** The emulator process's CPU time per request: unlike requests/s, barely moved by other load on the machine. */
  cpuUsPerRequest: number;
  rssBytes: number;
  microvmsHeld: number;
  idempotencyRecords: number;
}

export interface EmulatorResult {
  /** Requests made before the first window. */
  warmRequests: number;
  early: EmulatorWindow;
  late: EmulatorWindow;
  totalRequests: number;
  /** Requests/s of each block of 100,000 requests on the way. */
  blocks: number[];
  seconds: number;
}

export interface EmulatorOptions {
  entry: string;
  requests: number;
  connections: number;
  windowMs: number;
  /** How long to run before the first window. */
  warmupMs: number;
  log: (message: string) => void;
}

export async function measureEmulator(options: EmulatorOptions): Promise<EmulatorResult> {
  const started = Date.now();
  const child = fork(join(import.meta.dirname, "emulatorServer.ts"), [options.entry], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  try {
    const listening = await new Promise<Extract<FromEmulator, { type: "listening" }>>((resolve, reject) => {
      child.once("message", (m: FromEmulator) => (m.type === "listening" ? resolve(m) : reject(new Error("unexpected message"))));
      child.once("exit", (code) => reject(new Error(`emulator exited (${code})`)));
    });
    let nextId = 1;
    const stats = () =>
      new Promise<Extract<FromEmulator, { type: "stats" }>>((resolve) => {
        const id = nextId++;
        const onMessage = (m: FromEmulator) => {
          if (m.type !== "stats" || m.id !== id) return;
          child.off("message", onMessage);
          resolve(m);
        };
        child.on("message", onMessage);
        child.send({ type: "stats", id } satisfies ToEmulator);
      });
    const { port } = listening;
    const creds: Credentials = listening;
    let count = 0;
    let unexpected = "";
    const expect = async (connection: Connection, status: number, method: string, target: string, body?: string): Promise<Answer> => {
      const answer = await connection.send(requestBytes(port, creds, method, target, body));
      count++;
      if (answer.status !== status && !unexpected) unexpected = `${method} ${target}: ${answer.status} ${answer.body.slice(0, 200)}`;
      return answer;
    };

    const setup = await Connection.open(port);
    const image = JSON.parse(
      (await expect(setup, 201, "POST", "/2025-09-09/microvm-images", JSON.stringify({ name: "bench", baseImageArn: `arn:aws:lambda:${creds.region}:aws:microvm-image:al2023`, buildRoleArn: "arn:aws:iam::123456789012:role/b", codeArtifact: { uri: "s3://b/a.zip" } }))).body,
    ) as { imageArn: string };
    setup.close();
    const runBody = () => JSON.stringify({ imageIdentifier: image.imageArn, clientToken: randomUUID() });

    let done = (): boolean => true;
    let cycles = 0;
    const worker = async (): Promise<void> => {
      const c = await Connection.open(port);
      while (!done() && !unexpected) {
        const vm = JSON.parse((await expect(c, 200, "POST", "/2025-09-09/microvms", runBody())).body) as { microvmId: string };
        const path = `/2025-09-09/microvms/${vm.microvmId}`;
        await expect(c, 200, "GET", path);
        await expect(c, 200, "GET", "/2025-09-09/microvms?maxResults=1");
        await expect(c, 200, "DELETE", path);
        await expect(c, 200, "GET", path);
        await expect(c, 200, "GET", "/2025-09-09/microvm-images?maxResults=1&nameFilter=bench");
        if (++cycles % 20 === 0) {
          const name = `tmp-${cycles}`;
          const made = JSON.parse((await expect(c, 201, "POST", "/2025-09-09/microvm-images", JSON.stringify({ name, baseImageArn: `arn:aws:lambda:${creds.region}:aws:microvm-image:al2023`, buildRoleArn: "arn:aws:iam::123456789012:role/b", codeArtifact: { uri: "s3://b/a.zip" } }))).body) as { imageArn: string };
          await expect(c, 200, "DELETE", `/2025-09-09/microvm-images/${encodeURIComponent(made.imageArn)}`);
        }
      }
      c.close();
    };
    /** Runs the workers until `until` holds; returns requests/s over the run. */
    const run = async (until: () => boolean): Promise<number> => {
      const from = count;
      const t0 = performance.now();
      done = until;
      await Promise.all(Array.from({ length: options.connections }, worker));
      if (unexpected) throw new Error(`the emulator answered unexpectedly: ${unexpected}`);
      return ((count - from) / (performance.now() - t0)) * 1000;
    };
    const window = async (): Promise<EmulatorWindow> => {
      const before = await stats();
      const from = count;
      const deadline = performance.now() + options.windowMs;
      const requestsPerSecond = await run(() => performance.now() >= deadline);
      const s = await stats();
      const cpuUsPerRequest = (s.cpuUs - before.cpuUs) / (count - from);
      return { requestsPerSecond, cpuUsPerRequest, rssBytes: s.rss, microvmsHeld: s.microvms, idempotencyRecords: s.idempotencyRecords };
    };

    // Steady state: once the default retention (one minute at transitionMs 0) has started to
    // forget terminated MicroVMs, what the emulator holds stops growing.
    options.log(`emulator: warm-up (${options.warmupMs / 1000} s)`);
    const warm = performance.now() + options.warmupMs;
    await run(() => performance.now() >= warm);
    const warmRequests = count;
    const early = await window();
    options.log(`emulator: early window ${Math.round(early.requestsPerSecond)} requests/s, ${Math.round(early.cpuUsPerRequest)} µs CPU per request, RSS ${(early.rssBytes / 2 ** 20).toFixed(0)} MiB`);
    const blocks: number[] = [];
    while (count < options.requests) {
      const end = Math.min(options.requests, count + 100_000);
      blocks.push(await run(() => count >= end));
      const s = await stats();
      options.log(`emulator: ${count.toLocaleString("en-US")} requests, last block ${Math.round(blocks.at(-1)!)} requests/s, RSS ${(s.rss / 2 ** 20).toFixed(0)} MiB, ${s.microvms} MicroVMs held`);
    }
    const late = await window();
    return { warmRequests, early, late, totalRequests: count, blocks, seconds: (Date.now() - started) / 1000 };
  } finally {
    child.send({ type: "stop" } satisfies ToEmulator);
    setTimeout(() => child.kill(), 2000).unref();
  }
}
