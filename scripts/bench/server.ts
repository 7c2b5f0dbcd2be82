/**
 * The benchmark's loopback server, run in its own process so that its CPU time is not counted
 * against the clients. Answers GetMicrovm, RunMicrovm and ListMicrovms with canned JSON, counts
 * requests (so the orchestrator can prove there were no hidden retries), and stops by itself when
 * the orchestrator goes away or after 15 minutes. Bodies go out with a Content-Length, as the
 * service sends them (Node would otherwise switch to chunked encoding after `writeHead`).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  GET_MICROVM_BODY,
  PATH_GET,
  PATH_MICROVMS,
  RUN_MICROVM_BODY,
  listPage,
  offsetOfToken,
  type FromServer,
  type ToServer,
} from "./fixtures";

const HEADERS = { "content-type": "application/json", "x-amzn-requestid": "bench-request-id" };
const pages = new Map<string, string>();
let count = 0;
/** Requests that were not what a client should have sent (unknown path, unsigned). */
let bad = 0;

function page(offset: number, size: number): string {
  const key = `${offset}/${size}`;
  let body = pages.get(key);
  if (body === undefined) pages.set(key, (body = listPage(offset, size)));
  return body;
}

const server = createServer((req, res) => {
  count++;
  const url = req.url ?? "";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (!String(req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 ")) bad++;
  let body: string | undefined;
  if (req.method === "GET" && path === PATH_GET) body = GET_MICROVM_BODY;
  else if (req.method === "POST" && path === PATH_MICROVMS) body = RUN_MICROVM_BODY;
  else if (req.method === "GET" && path === PATH_MICROVMS) {
    const query = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
    body = page(offsetOfToken(query.get("nextToken")), Number(query.get("maxResults") ?? 50));
  }
  // Drain the request body before answering, as a real server would.
  req.resume();
  req.on("end", () => {
    if (body === undefined) {
      bad++;
      res.writeHead(404, { ...HEADERS, "x-amzn-errortype": "ResourceNotFoundException" });
      res.end(JSON.stringify({ message: `no route for ${req.method} ${path}` }));
      return;
    }
    res.writeHead(200, { ...HEADERS, "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
// Clients sit idle while other contenders run; keep their sockets open so that no request hits
// a socket the server is closing (which some clients would silently retry).
server.keepAliveTimeout = 10 * 60_000;
server.headersTimeout = 10 * 60_000 + 1000;

const send = (message: FromServer) => process.send?.(message);
server.listen(0, "127.0.0.1", () => send({ type: "listening", port: (server.address() as AddressInfo).port }));

function stop(): void {
  server.closeAllConnections();
  server.close();
  process.exit(0);
}
process.on("message", (message: ToServer) => {
  if (message.type === "count") send({ type: "count", id: message.id, count, bad });
  else stop();
});
process.on("disconnect", stop);
setTimeout(stop, 15 * 60_000).unref();
