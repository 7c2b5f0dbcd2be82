/** The default HTTP handler, against loopback servers the tests start: what a caller of `handle` sees. */
import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { Readable } from "node:stream";
import { HttpRequest, HttpResponse } from "@smithy/core/transport";
import { hostOf, requestHead } from "../../src/http/requestHead";
import { KeepAliveHttpHandler } from "../../src/http/KeepAliveHttpHandler";
import { GetMicrovmCommand, LambdaMicrovmsClient } from "../../src/index";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  socket: Socket;
}
interface TestServer {
  port: number;
  seen: Seen[];
  connections: number;
  closed: number;
  close(): Promise<void>;
}

let servers: Server[] = [];
let handlers: KeepAliveHttpHandler[] = [];
afterEach(async () => {
  for (const h of handlers) h.destroy();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
  handlers = [];
});

/** A server that records each request and answers with `answer` (by default 200 and a small JSON body). */
async function start(answer?: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<TestServer> {
  const state = { seen: [] as Seen[], connections: 0, closed: 0 };
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      state.seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, socket: req.socket });
      if (answer) return answer(req, res, body);
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
  });
  server.on("connection", (socket: Socket) => {
    state.connections++;
    socket.on("close", () => state.closed++);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, { port, close: () => new Promise<void>((r) => server.close(() => r())) });
}

function handler(options?: ConstructorParameters<typeof KeepAliveHttpHandler>[0]): KeepAliveHttpHandler {
  const h = new KeepAliveHttpHandler(options);
  handlers.push(h);
  return h;
}

function get(port: number, extra: Partial<ConstructorParameters<typeof HttpRequest>[0]> = {}): HttpRequest {
  return new HttpRequest({ protocol: "http:", hostname: "127.0.0.1", port, method: "GET", path: "/items", headers: { host: `127.0.0.1:${port}` }, ...extra });
}

describe("KeepAliveHttpHandler", () => {
  it("sends method, path, query and headers as given, and returns status, lower-case headers and the whole body", async () => {
    const server = await start((_req, res) => {
      res.setHeader("X-Amzn-RequestId", "req-1");
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.setHeader("X-Multi", ["1", "2"]);
      res.writeHead(201, { "Content-Type": "application/json" });
      res.write('{"part":');
      setTimeout(() => res.end('"two"}'), 5);
    });
    const { response } = await handler().handle(
      get(server.port, { query: { tagKeys: ["a b", "c/d"], maxResults: "5" }, headers: { host: `127.0.0.1:${server.port}`, "x-custom": "v" } }),
    );
    expect(server.seen[0]).toMatchObject({ method: "GET", url: "/items?maxResults=5&tagKeys=a%20b&tagKeys=c%2Fd" });
    expect(server.seen[0]!.headers["x-custom"]).toBe("v");
    expect(response.statusCode).toBe(201);
    expect(response.headers["x-amzn-requestid"]).toBe("req-1");
    expect(response.headers["set-cookie"]).toBe("a=1,b=2");
    expect(response.headers["x-multi"]).toBe("1, 2");
    expect(Buffer.isBuffer(response.body)).toBe(true);
    expect((response.body as Buffer).toString("utf8")).toBe('{"part":"two"}');
  });

  it("sends string, byte and stream bodies", async () => {
    const server = await start();
    const h = handler();
    const post = (body: unknown) => get(server.port, { method: "POST", body });
    await h.handle(post('{"s":1}'));
    await h.handle(post(new TextEncoder().encode('{"b":2}')));
    await h.handle(post(Readable.from([Buffer.from('{"r":'), Buffer.from("3}")])));
    expect(server.seen.map((s) => s.body)).toEqual(['{"s":1}', '{"b":2}', '{"r":3}']);
  });

  it("keeps the connection alive between requests and closes it on destroy()", async () => {
    const server = await start();
    const h = handler();
    for (let i = 0; i < 5; i++) await h.handle(get(server.port));
    expect(server.connections).toBe(1);
    h.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(server.closed).toBe(1);
  });

  it("cuts an attempt whose answer does not come within requestTimeout with a TimeoutError", async () => {
    const server = await start(() => {}); // never answers
    const started = Date.now();
    const error = (await handler({ requestTimeout: 100 }).handle(get(server.port)).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.name).toBe("TimeoutError");
    expect(error.code).toBe("ETIMEDOUT");
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.closed).toBe(1); // the half-done exchange's socket is not reused
  });

  it("the per-call requestTimeout wins over the handler's", async () => {
    const server = await start(() => {});
    const started = Date.now();
    const error = (await handler({ requestTimeout: 10_000 }).handle(get(server.port), { requestTimeout: 80 }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("TimeoutError");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("cuts a connection that does not open within connectionTimeout", async () => {
    // A listener in a stopped process whose accept queue is full: the kernel drops further
    // connection attempts, so a connect hangs as one to an unreachable host does.
    const child = spawn(process.execPath, ["-e", `require("node:net").createServer().listen({ port: 0, host: "127.0.0.1", backlog: 1 }, function () { console.log(this.address().port); })`]);
    const port = await new Promise<number>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))));
    child.kill("SIGSTOP");
    const fillers = Array.from({ length: 8 }, () => connect(port, "127.0.0.1").on("error", () => undefined));
    try {
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      const error = (await handler({ connectionTimeout: 150 }).handle(get(port)).catch((e: unknown) => e)) as Error & { code?: string };
      expect(error.name).toBe("TimeoutError");
      expect(error.message).toMatch(/connectionTimeout \(150 ms\)/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      for (const f of fillers) f.destroy();
      child.kill("SIGKILL");
    }
  });

  it("an aborted signal rejects at once with AbortError and sends nothing; an abort mid-request closes the socket", async () => {
    const server = await start(() => {});
    const h = handler();
    const before = new AbortController();
    before.abort();
    const first = (await h.handle(get(server.port), { abortSignal: before.signal }).catch((e: unknown) => e)) as Error;
    expect(first.name).toBe("AbortError");
    expect(server.seen).toHaveLength(0);

    const during = new AbortController();
    const pending = h.handle(get(server.port), { abortSignal: during.signal }).catch((e: unknown) => e);
    while (server.seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    const abortedAt = Date.now();
    during.abort(new Error("caller gave up"));
    const second = (await pending) as Error;
    expect(second.name).toBe("AbortError");
    expect((second.cause as Error).message).toBe("caller gave up");
    expect(Date.now() - abortedAt).toBeLessThan(100);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.closed).toBe(1);
  });

  it("a connection closed mid-body rejects with the socket error, named as NodeHttpHandler names it", async () => {
    const server = await start((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("{");
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const error = (await handler().handle(get(server.port)).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).toBe("ECONNRESET");
    expect(error.name).toBe("TimeoutError");
  });

  it("is the client's default, configured from the client's requestTimeout and connectionTimeout", () => {
    const defaults = new LambdaMicrovmsClient({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } });
    const custom = new LambdaMicrovmsClient({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" }, requestTimeout: 1234, connectionTimeout: 99 });
    expect(defaults.config.requestHandler).toBeInstanceOf(KeepAliveHttpHandler);
    expect((defaults.config.requestHandler as KeepAliveHttpHandler).httpHandlerConfigs()).toMatchObject({ requestTimeout: 30_000, connectionTimeout: 5_000 });
    expect((custom.config.requestHandler as KeepAliveHttpHandler).httpHandlerConfigs()).toMatchObject({ requestTimeout: 1234, connectionTimeout: 99 });
    defaults.destroy();
    custom.destroy();
  });

  it("a client on NodeHttpHandler still works (any smithy handler can be passed)", async () => {
    const { NodeHttpHandler } = await import("@smithy/node-http-handler");
    const server = await start((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"microvmId":"mvm-1","state":"RUNNING"}');
    });
    const client = new LambdaMicrovmsClient({
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${server.port}`,
      credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" },
      requestHandler: new NodeHttpHandler(),
    });
    const out = await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }));
    client.destroy();
    expect(out).toMatchObject({ microvmId: "mvm-1", state: "RUNNING" });
  });
});

describe("IPv6 endpoints", () => {
  it("keep the brackets in the Host header and drop them to connect", async () => {
    let seen: HttpRequest | undefined;
    const capture = {
      async handle(request: HttpRequest) {
        seen = request;
        return { response: new HttpResponse({ statusCode: 200, headers: {}, body: Buffer.from('{"microvmId":"mvm-1"}') }) };
      },
    };
    const client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: "http://[::1]:4599", credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" }, requestHandler: capture });
    await client.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }));
    expect(seen!.hostname).toBe("[::1]");
    expect(seen!.headers.host).toBe("[::1]:4599");
    expect(hostOf(seen!)).toBe("::1");
    expect(requestHead(seen!)).toContain("\r\nhost: [::1]:4599\r\n");
  });
});
