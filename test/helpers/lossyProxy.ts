/**
 * A loopback proxy in front of a server (the emulator) that loses answers AFTER the server has
 * processed the request: the connection is dropped, or the answer is replaced by a 500 or by a
 * truncated body. That is the case idempotency tokens exist for, and which faults injected
 * before processing cannot show.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What happens to one answer. */
export type Loss = "pass" | "drop" | "internal" | "truncate";

export interface LossyProxy {
  endpoint: string;
  /** Losses for the next requests, in order; after them, `random` applies. */
  script(...losses: Loss[]): void;
  /** Chance (0..1) that an unscripted answer is lost, and the kinds chosen from. */
  random(rate: number, kinds: Loss[], seed?: number): void;
  /** Requests seen, and how many answers were lost. */
  stats(): { requests: number; lost: number };
  close(): Promise<void>;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const upstream = new URL(target);
  let scripted: Loss[] = [];
  let rate = 0;
  let kinds: Loss[] = [];
  let rand = Math.random;
  let requests = 0;
  let lost = 0;
  const choose = (): Loss => {
    if (scripted.length) return scripted.shift()!;
    if (rate <= 0 || rand() >= rate) return "pass";
    return kinds[Math.floor(rand() * kinds.length)] ?? "pass";
  };
  const server: Server = createServer(async (req, res) => {
    requests++;
    const loss = choose();
    const body = await readAll(req);
    const forwarded = httpRequest({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers });
    forwarded.on("error", () => req.socket.destroy());
    forwarded.on("response", async (answer) => {
      const text = await readAll(answer);
      if (loss !== "pass") lost++;
      if (loss === "drop") return void req.socket.destroy();
      if (loss === "internal") {
        res.writeHead(500, { "content-type": "application/json", "x-amzn-errortype": "InternalServerException" });
        return void res.end('{"message":"lost on the way back"}');
      }
      const headers = { ...answer.headers };
      delete headers["content-length"];
      res.writeHead(answer.statusCode ?? 502, headers);
      res.end(loss === "truncate" ? text.subarray(0, Math.floor(text.length / 2)) : text);
    });
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    script: (...losses) => {
      scripted = losses;
    },
    random: (r, k, seed) => {
      rate = r;
      kinds = k;
      rand = seed === undefined ? Math.random : seeded(seed);
    },
    stats: () => ({ requests, lost }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
