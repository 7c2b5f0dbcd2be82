/** The emulator's HTTP server: `startLocalServer`. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { FaultPlan } from "./faults";
import { handleRequest } from "./handler";
import { BodyBudget } from "./http";
import { ConnectionGuard } from "./connections";
import { CorsPolicy } from "./cors";
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
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

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
  const transitionMs = options.transitionMs ?? 1000;
  const service = new LocalService({
    region,
    accountId: options.accountId ?? "123456789012",
    transitionMs,
    ...(options.retentionMs !== undefined ? { retentionMs: options.retentionMs } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  const verifier = new SigV4Verifier(credentials, region);
  let faults = new FaultPlan(options.faults);
  let count = 0;
  const sockets = new Set<Socket>();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const budget = new BodyBudget(options.maxBufferedBodyBytes ?? Math.max(32 * 1024 * 1024, 4 * maxBodyBytes));
  const cors = new CorsPolicy(options.corsOrigins);
  const deps = { service, verifier, faults: () => faults, body: { maxBytes: maxBodyBytes, budget, timeoutMs }, cors };
  const connections = new ConnectionGuard(cors.anyOrigin);

  const server = createServer(
    {
      keepAliveTimeout: 5000,
      // Node's own bounds are the backstop for slow heads; bodies are bounded by readBody.
      headersTimeout: timeoutMs,
      requestTimeout: 2 * timeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, timeoutMs / 4)),
    },
    (req, res) => {
      count++;
      connections.opened(req.socket, res);
      if (options.onRequest) logWhenDone(options.onRequest, req, res);
      handleRequest(deps, req, res).catch(() => req.socket.destroy());
    },
  );
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    if (!options.keepProcessAlive) socket.unref();
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => connections.failed(socket, error));

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
