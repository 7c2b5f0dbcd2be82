/**
 * The differential harness: one raw TCP server sends the same response bytes to this client's
 * KeepAliveHttpHandler and to smithy's NodeHttpHandler (over node:http and llhttp), request after
 * request on the same connection, and records what each caller saw and on which connection.
 *
 * A request's path names its case, its transport and its turn (`/c<case>/<transport>/<k>`); the
 * server answers turn k with the case's k-th response, written in the pieces the case says, with
 * a turn of the event loop between them so that they arrive apart. It ends the connection after
 * a case's last response, and closes one that has been idle for `IDLE_CLOSE_MS` (so that a
 * client waiting for bytes that never come sees the connection close, as it would in life).
 */
import type { Socket } from "node:net";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { HttpRequest } from "@smithy/core/transport";
import { KeepAliveHttpHandler } from "../../../src/http/KeepAliveHttpHandler";
import { HttpParseError, ResponseParser, type ParsedResponse } from "../../../src/http/responseParser";
import { startRawTcpServer } from "../../helpers/rawTcpServer";

/** Long against a loaded machine's event-loop stalls, short against a fuzz run's patience. */
const IDLE_CLOSE_MS = 400;
/** An exchange still undecided after this long counts as a timeout (Node never settles some, e.g. a 101 it cannot hand over). */
const EXCHANGE_DEADLINE_MS = 4_000;

/** One exchange of a case: the response's bytes (Latin-1 text) and where its writes are cut. */
export interface Reply {
  bytes: string;
  /** Offsets at which the bytes are split into separate writes. */
  cuts?: number[];
}

export interface Case {
  replies: Reply[];
  /** The requests are HEAD requests (whose responses have no body). */
  head?: boolean;
}

export type Transport = "ours" | "node";

/** What a caller saw of one exchange. */
export type Outcome =
  | { ok: true; statusCode: number; headers: [string, string][]; body: string; connection: number }
  | { ok: false; error: ErrorKind; message: string; connection: number };

/** `parse`: the parser refused the bytes; `closed`: the connection ended first; `timeout`: nothing decided in time. */
export type ErrorKind = "parse" | "closed" | "timeout" | "other";

export interface RawServer {
  port: number;
  add(id: number, c: Case): void;
  forget(id: number): void;
  /** The number of the connection that carried a request (by its path), or -1 if none did. */
  connectionOf(path: string): number;
  close(): Promise<void>;
}

/** The server; a case must be added before its requests are sent. */
export async function startRawServer(): Promise<RawServer> {
  const cases = new Map<number, Case>();
  const connections = new Map<string, number>();
  const server = await startRawTcpServer((socket, index) => serve(socket, index, cases, connections));
  return {
    port: server.port,
    add: (id, c) => cases.set(id, c),
    forget: (id) => {
      cases.delete(id);
      for (const path of connections.keys()) if (path.startsWith(`/c${id}/`)) connections.delete(path);
    },
    connectionOf: (path) => connections.get(path) ?? -1,
    close: () => server.close(),
  };
}

/** What a connection does with each request: the case's reply for that turn, and the connection's number noted. */
function serve(socket: Socket, index: number, cases: Map<number, Case>, connections: Map<string, number>): (request: string) => void {
  let idle: NodeJS.Timeout | undefined;
  /** The replies' writes, one after the other (a request may come in while a reply is still being written). */
  let writing = Promise.resolve();
  const idleClose = () => {
    clearTimeout(idle);
    idle = setTimeout(() => socket.destroy(), IDLE_CLOSE_MS);
  };
  socket.setNoDelay(true);
  socket.on("close", () => clearTimeout(idle));
  idleClose();
  return (request) => {
    const turn = /^\w+ (\/c(\d+)\/\w+\/(\d+)) /.exec(request);
    if (turn) connections.set(turn[1]!, index);
    const c = turn ? cases.get(Number(turn[2])) : undefined;
    const reply = c?.replies[Number(turn![3])];
    if (reply === undefined) return void socket.destroy();
    clearTimeout(idle);
    const last = Number(turn![3]) === c!.replies.length - 1;
    writing = writing.then(() => write(socket, reply)).then(() => void (last ? socket.end() : idleClose()));
  };
}

/** Writes a reply in its pieces, one turn of the event loop apart. */
async function write(socket: Socket, reply: Reply): Promise<void> {
  const bytes = Buffer.from(reply.bytes, "latin1");
  let from = 0;
  for (const cut of [...(reply.cuts ?? []), bytes.length]) {
    if (cut <= from || cut > bytes.length) continue;
    if (from > 0) await new Promise((resolve) => setImmediate(resolve));
    if (socket.destroyed) return;
    socket.write(bytes.subarray(from, cut));
    from = cut;
  }
}

interface Handler {
  handle(request: HttpRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body?: unknown } }>;
  destroy(): void;
}

function handlerFor(transport: Transport): Handler {
  // No timeout of the handlers' own: a stalled exchange ends when the server closes the idle connection.
  return transport === "ours" ? new KeepAliveHttpHandler({ requestTimeout: 0 }) : new NodeHttpHandler({ logger: { ...console, warn: () => undefined } });
}

/** Runs a case's requests one after the other through a fresh handler of `transport`. */
export async function runCase(server: RawServer, id: number, c: Case, transport: Transport): Promise<Outcome[]> {
  const handler = handlerFor(transport);
  const outcomes: Outcome[] = [];
  try {
    for (let k = 0; k < c.replies.length; k++) {
      const request = new HttpRequest({
        protocol: "http:",
        hostname: "127.0.0.1",
        port: server.port,
        method: c.head ? "HEAD" : "GET",
        path: `/c${id}/${transport}/${k}`,
        headers: { host: `127.0.0.1:${server.port}` },
      });
      outcomes.push({ ...(await exchange(handler, request)), connection: -1 });
    }
  } finally {
    handler.destroy();
  }
  // Asked only now: a request refused at once may reach the server after its caller has its answer.
  return outcomes.map((o, k) => ({ ...o, connection: server.connectionOf(`/c${id}/${transport}/${k}`) }));
}

/** One request: what the caller sees. */
async function exchange(handler: Handler, request: HttpRequest): Promise<DistributiveOmit<Outcome, "connection">> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("no outcome in time"), { name: "TimeoutError", code: "ETIMEDOUT" })), EXCHANGE_DEADLINE_MS);
  });
  try {
    const { response } = await Promise.race([handler.handle(request), deadline]);
    const body = await Promise.race([drain(response.body), deadline]);
    const headers = Object.entries(response.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { ok: true, statusCode: response.statusCode, headers, body: body.toString("latin1") };
  } catch (error) {
    return { ok: false, error: kindOf(error as Error & { code?: string }), message: String((error as Error).message) };
  } finally {
    clearTimeout(timer);
  }
}

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

async function drain(body: unknown): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function kindOf(error: Error & { code?: string }): ErrorKind {
  if (error instanceof HttpParseError || error.code?.startsWith("HPE_")) return "parse";
  if (error.name === "TimeoutError" && error.code === "ETIMEDOUT") return "timeout";
  if (error.code === "ECONNRESET" || /aborted|socket hang up|premature close/i.test(error.message)) return "closed";
  return "other";
}

/**
 * Where this transport's parser completes its first response in `raw`, and that response; the
 * end is `raw.length` if it completes none. Bytes after that point (even CRLFs)
 * are stray bytes: written apart from the response, they could reach a client after its next
 * request went out, where no client can tell them from the next response, so cases keep them
 * together with the response.
 */
export function firstResponse(raw: string, head = false): { end: number; response?: ParsedResponse } {
  const bytes = Buffer.from(raw, "latin1");
  const parse = (n: number): ParsedResponse | "stray" | undefined => {
    try {
      return new ResponseParser(head).push(bytes.subarray(0, n));
    } catch (error) {
      return /after the end/.test((error as Error).message) ? "stray" : undefined;
    }
  };
  if (parse(bytes.length) === undefined) return { end: bytes.length };
  // The shortest prefix that parses into a response (longer ones have stray bytes, shorter ones are incomplete).
  let [low, high] = [0, bytes.length];
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (parse(mid) === undefined) low = mid;
    else high = mid;
  }
  const response = parse(high);
  return typeof response === "object" ? { end: high, response } : { end: bytes.length };
}
