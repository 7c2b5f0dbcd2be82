/** The emulator's HTTP server: `startLocalServer`. */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { FaultPlan } from "./faults";
import { handleRequest } from "./handler";
import { LocalService } from "./service/LocalService";
import { SigV4Verifier } from "./sigv4";
import type { FaultOptions, LocalServer, LocalServerOptions } from "./types";

function logWhenDone(log: NonNullable<LocalServerOptions["onRequest"]>, req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  let done = false;
  const report = (status: number): void => {
    if (done) return;
    done = true;
    const errorType = res.getHeader("x-amzn-errortype");
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const entry = { method: req.method ?? "", url: req.url ?? "", status, durationMs };
    log(typeof errorType === "string" ? { ...entry, errorType } : entry);
  };
  res.once("finish", () => report(res.statusCode));
  res.once("close", () => report(res.writableFinished ? res.statusCode : 0));
}

export const DEFAULT_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" } as const;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts the emulator on a port (a free one by default) and resolves once it listens.
 *
 * ```ts
 * const server = await startLocalServer({ transitionMs: 0 });
 * const client = new LambdaMicrovmsClient({ region: server.region, endpoint: server.endpoint, credentials: server.credentials });
 * // …
 * await server.stop();
 * ```
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const region = options.region ?? "us-east-1";
  const credentials = options.credentials?.length ? options.credentials.map((c) => ({ ...c })) : [{ ...DEFAULT_CREDENTIALS }];
  const service = new LocalService({ region, accountId: options.accountId ?? "123456789012", transitionMs: options.transitionMs ?? 1000 });
  const verifier = new SigV4Verifier(credentials);
  let faults = new FaultPlan(options.faults);
  let count = 0;
  const sockets = new Set<Socket>();
  const deps = { service, verifier, faults: () => faults, maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES };

  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    count++;
    if (options.onRequest) logWhenDone(options.onRequest, req, res);
    handleRequest(deps, req, res).catch(() => req.socket.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    if (!options.keepProcessAlive) socket.unref();
    socket.on("close", () => sockets.delete(socket));
  });
  // A client that sends garbage instead of HTTP gets a 400 and the connection is closed.
  server.on("clientError", (_error, socket) => {
    const body = JSON.stringify({ message: "The request is not valid HTTP/1.1." });
    const head = [
      "HTTP/1.1 400 Bad Request",
      "content-type: application/json",
      "x-amzn-errortype: SerializationException",
      `x-amzn-requestid: ${randomUUID()}`,
      "connection: close",
      `content-length: ${Buffer.byteLength(body)}`,
    ].join("\r\n");
    if (socket.writable) socket.end(`${head}\r\n\r\n${body}`);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  if (!options.keepProcessAlive) server.unref();
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  // A wildcard address is reachable on loopback; name that in the endpoint.
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  const urlHost = reachable.includes(":") ? `[${reachable}]` : reachable;

  return {
    endpoint: `http://${urlHost}:${port}`,
    port,
    region,
    credentials: { ...credentials[0]! },
    service,
    setFaults(f: FaultOptions | undefined) {
      faults = new FaultPlan(f);
    },
    requestCount: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
