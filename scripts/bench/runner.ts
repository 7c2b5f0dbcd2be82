/**
 * One contender of the benchmark, in its own process so that `process.cpuUsage()` counts only
 * this client. The orchestrator asks it to run a scenario for at least `minMs`; it answers with
 * calls, items, wall time and CPU time, after checking every output (dates parsed, all items
 * paged in order).
 *
 *   runner.ts <ours|official|baseline> <port> [entry of ours]
 */
import { pathToFileURL } from "node:url";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { Agent, request } from "node:http";
import { Readable } from "node:stream";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest, HttpResponse } from "@smithy/core/transport";
import type { Checksum, SourceData } from "@smithy/types";
import {
  CREDENTIALS,
  GET_MICROVM_BODY,
  MICROVM_ID,
  PAGE_SIZE,
  PATH_GET,
  REGION,
  STARTED_AT_MS,
  TOTAL_ITEMS,
  listItem,
  type FromRunner,
  type Scenario,
  type ToRunner,
} from "./fixtures";

type Contender = "ours" | "official" | "baseline";
const [contender, portText, oursEntry] = process.argv.slice(2) as [Contender, string, string | undefined];
const port = Number(portText);
const endpoint = `http://127.0.0.1:${port}`;

/** What the scenarios need of a client: the same calls for every contender. */
interface Driver {
  getMicrovm(): Promise<void>;
  /** GetMicrovm through a request handler that answers in memory: the client's own cost, without I/O. */
  getMicrovmInMemory(): Promise<void>;
  runMicrovm(): Promise<void>;
  /** Pages the whole listing; returns the number of items seen. */
  paginate(): Promise<number>;
}

function fail(message: string): never {
  throw new Error(`${contender}: ${message}`);
}

function checkMicrovm(out: { microvmId?: string; startedAt?: unknown; idlePolicy?: { autoResumeEnabled?: boolean } }): void {
  if (out.microvmId !== MICROVM_ID) fail(`wrong microvmId ${String(out.microvmId)}`);
  if (!(out.startedAt instanceof Date) || out.startedAt.getTime() !== STARTED_AT_MS) fail(`startedAt is not the right Date: ${String(out.startedAt)}`);
  if (out.idlePolicy?.autoResumeEnabled !== true) fail("idlePolicy not parsed");
}

/** Checks a page's first and last item against the listing: order, ids and parsed dates. */
function checkPage(items: { microvmId?: string; startedAt?: unknown }[] | undefined, seen: number): number {
  if (!items || items.length === 0) fail(`empty page after ${seen} items`);
  for (const [item, i] of [
    [items[0]!, seen],
    [items[items.length - 1]!, seen + items.length - 1],
  ] as const) {
    if (item.microvmId !== listItem(i).microvmId) fail(`item ${i} is ${String(item.microvmId)}`);
    if (!(item.startedAt instanceof Date) || item.startedAt.getTime() !== STARTED_AT_MS + i * 1000) fail(`item ${i} startedAt not a Date`);
  }
  return items.length;
}

/** The SDK clients share a shape (ours is a drop-in for the official one). */
interface SdkModule {
  LambdaMicrovmsClient: new (config: Record<string, unknown>) => { send(command: object): Promise<unknown> };
  GetMicrovmCommand: new (input: { microvmIdentifier: string }) => object;
  RunMicrovmCommand: new (input: { imageIdentifier: string; maximumDurationInSeconds?: number }) => object;
  paginateListMicrovms: (config: { client: unknown; pageSize?: number }, input: object) => AsyncIterable<{ items?: { microvmId?: string; startedAt?: unknown }[] }>;
}

/** Answers every request in memory with the canned GetMicrovm response, as a stream like node:http's. */
const inMemoryHandler = {
  async handle() {
    const response = new HttpResponse({
      statusCode: 200,
      headers: { "content-type": "application/json", "x-amzn-requestid": "bench-request-id" },
      body: Readable.from([Buffer.from(GET_MICROVM_BODY)]),
    });
    return { response };
  },
  destroy() {},
};

function sdkDriver(sdk: SdkModule): Driver {
  const client = new sdk.LambdaMicrovmsClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const inMemory = new sdk.LambdaMicrovmsClient({ region: REGION, endpoint, credentials: CREDENTIALS, requestHandler: inMemoryHandler });
  return {
    async getMicrovm() {
      checkMicrovm((await client.send(new sdk.GetMicrovmCommand({ microvmIdentifier: MICROVM_ID }))) as never);
    },
    async getMicrovmInMemory() {
      checkMicrovm((await inMemory.send(new sdk.GetMicrovmCommand({ microvmIdentifier: MICROVM_ID }))) as never);
    },
    async runMicrovm() {
      const out = (await client.send(new sdk.RunMicrovmCommand({ imageIdentifier: "bench-image", maximumDurationInSeconds: 3600 }))) as {
        state?: string;
      };
      checkMicrovm(out as never);
      if (out.state !== "PENDING") fail("RunMicrovm state");
    },
    async paginate() {
      let seen = 0;
      for await (const page of sdk.paginateListMicrovms({ client, pageSize: PAGE_SIZE }, {})) seen += checkPage(page.items, seen);
      return seen;
    },
  };
}

/** SHA-256 on Node's crypto, for the baseline's signer. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", toBytes(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}
function toBytes(data: SourceData): Buffer | string {
  if (typeof data === "string") return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The baseline: plain `node:http` with keep-alive, each request signed with `@smithy/signature-v4`, JSON.parse. */
function baselineDriver(): Driver {
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  const signer = new SignatureV4({ service: "lambda", region: REGION, credentials: CREDENTIALS, sha256: NodeSha256 });
  const host = `127.0.0.1:${port}`;
  return {
    async getMicrovm() {
      const signed = await signer.sign(
        new HttpRequest({ protocol: "http:", hostname: "127.0.0.1", port, method: "GET", path: PATH_GET, headers: { host } }),
      );
      const text = await new Promise<string>((resolve, reject) => {
        const req = request({ agent, host: "127.0.0.1", port, method: "GET", path: PATH_GET, headers: signed.headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString("utf8")) : reject(new Error(`HTTP ${res.statusCode}`))));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end();
      });
      const out = JSON.parse(text) as { microvmId?: string };
      if (out.microvmId !== MICROVM_ID) fail("baseline parse");
    },
    getMicrovmInMemory: () => fail("not measured"),
    runMicrovm: () => fail("not measured"),
    paginate: () => fail("not measured"),
  };
}

async function load(): Promise<Driver> {
  if (contender === "baseline") return baselineDriver();
  if (contender === "official") return sdkDriver((await import("@aws-sdk/client-lambda-microvms")) as unknown as SdkModule);
  if (!oursEntry) fail("no entry given");
  return sdkDriver((await import(pathToFileURL(oursEntry).href)) as SdkModule);
}

async function measure(driver: Driver, scenario: Scenario, minMs: number): Promise<{ calls: number; items: number; wallNs: number; cpuUs: number }> {
  const minNs = BigInt(Math.round(minMs * 1e6));
  let calls = 0;
  let items = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const elapsed = () => process.hrtime.bigint() - t0;
  // `workers` loops each send `batch` calls between clock reads, until `minMs` has passed.
  const loop = async (call: () => Promise<void>, workers: number, batch: number): Promise<void> => {
    const worker = async (): Promise<void> => {
      do {
        for (let i = 0; i < batch; i++) await call();
        calls += batch;
      } while (elapsed() < minNs);
    };
    await Promise.all(Array.from({ length: workers }, worker));
  };
  switch (scenario) {
    case "getSeq":
      await loop(() => driver.getMicrovm(), 1, 50);
      break;
    case "getMem":
      await loop(() => driver.getMicrovmInMemory(), 1, 50);
      break;
    case "runSeq":
      await loop(() => driver.runMicrovm(), 1, 50);
      break;
    case "getC32":
      await loop(() => driver.getMicrovm(), 32, 10);
      break;
    case "paginate":
      do {
        const seen = await driver.paginate();
        if (seen !== TOTAL_ITEMS) fail(`paged ${seen} items, not ${TOTAL_ITEMS}`);
        items += seen;
        calls += Math.ceil(TOTAL_ITEMS / PAGE_SIZE);
      } while (elapsed() < minNs);
      break;
  }
  const wallNs = Number(elapsed());
  const cpu = process.cpuUsage(cpu0);
  return { calls, items, wallNs, cpuUs: cpu.user + cpu.system };
}

const send = (message: FromRunner) => process.send?.(message);
const driver = await load();
process.on("message", (message: ToRunner) => {
  if (message.type === "stop") process.exit(0);
  measure(driver, message.scenario, message.minMs).then(
    (result) => send({ type: "result", id: message.id, ...result }),
    (error: unknown) => send({ type: "error", id: message.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
