/** A loopback server that answers with headers and part of a body, then stalls (or trickles). */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StallServer {
  endpoint: string;
  /** Requests received so far. */
  count(): number;
  close(): Promise<void>;
}

/**
 * The first `stalls` requests get a 200 with half a JSON body and then nothing more (or, with
 * `trickleMs`, one space every `trickleMs` forever); later requests get `body` in full.
 */
export async function startStallServer(options: { stalls: number; body: string; trickleMs?: number }): Promise<StallServer> {
  let requests = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      requests++;
      if (requests > options.stalls) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(options.body);
        return;
      }
      res.writeHead(200, { "content-type": "application/json", "content-length": String(options.body.length + 10_000) });
      res.write(options.body.slice(0, Math.floor(options.body.length / 2)));
      if (options.trickleMs) {
        const timer = setInterval(() => res.write(" "), options.trickleMs);
        timers.add(timer);
        res.on("close", () => clearInterval(timer));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    count: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
