/**
 * CPU micro-benchmark of the socket transport (`src/http`): its byte work without sockets (the
 * request written, a typical response parsed in one piece, in two pieces and chunked), then
 * whole GetMicrovm exchanges through KeepAliveHttpHandler with the benchmark server over loopback
 * (this process's CPU only: the server runs in its own).
 *
 *   npx tsx scripts/bench/transport.ts [rounds] [directory of the transport's sources]...
 *
 * Prints the median and the lowest CPU time per operation over the rounds. Directories (by
 * default `src/http`) let a copy of an older `src/http` be measured beside the current one:
 * their rounds alternate, so that a busy machine's load falls on both alike.
 */
import { fork } from "node:child_process";
import { join, resolve } from "node:path";
import { HttpRequest } from "@smithy/core/transport";
import { GET_MICROVM_BODY, PATH_GET, type FromServer } from "./fixtures";

interface Parser {
  push(data: Buffer): unknown;
}
interface Handler {
  handle(request: HttpRequest): Promise<{ response: { statusCode: number } }>;
  destroy(): void;
}
interface RequestWriter {
  requestPayload?(request: HttpRequest): string | Buffer;
  /** The older sources' pair, before `requestPayload`. */
  requestHead(request: HttpRequest): string;
  requestBytes?(head: string, body: undefined): string | Buffer;
}

const rounds = Number(process.argv[2] ?? 15);
const dirs = process.argv.length > 3 ? process.argv.slice(3).map((d) => resolve(d)) : [join(import.meta.dirname, "../../src/http")];

const server = fork(join(import.meta.dirname, "server.ts"), [], { execArgv: ["--import", "tsx"] });
const port = await new Promise<number>((ready) => server.on("message", (m: FromServer) => m.type === "listening" && ready(m.port)));
const handlers: Handler[] = [];

/** The operations measured, for the transport sources in `dir`. */
async function casesOf(dir: string): Promise<Record<string, () => unknown>> {
  const { ResponseParser } = (await import(join(dir, "responseParser.ts"))) as { ResponseParser: new (noBody?: boolean) => Parser };
  const writer = (await import(join(dir, "requestHead.ts"))) as RequestWriter;
  const payload = writer.requestPayload ?? ((r: HttpRequest) => writer.requestBytes!(writer.requestHead(r), undefined));
  return {
    "response, one piece": () => new ResponseParser().push(whole),
    "response, head then body": () => {
      const parser = new ResponseParser();
      parser.push(headPart);
      return parser.push(body);
    },
    "response, chunked": () => new ResponseParser().push(chunked),
    "request head and bytes": () => payload(request),
    "GetMicrovm over loopback": await exchanges(dir),
  };
}

/** One exchange with the benchmark server through the sources' handler, checked. */
async function exchanges(dir: string): Promise<() => Promise<void>> {
  const { KeepAliveHttpHandler } = (await import(join(dir, "KeepAliveHttpHandler.ts"))) as { KeepAliveHttpHandler: new () => Handler };
  const handler = new KeepAliveHttpHandler();
  handlers.push(handler);
  const get = { ...request, protocol: "http:", hostname: "127.0.0.1", port, path: PATH_GET, headers: { ...request.headers, host: `127.0.0.1:${port}` } };
  return async () => {
    const { response } = await handler.handle(new HttpRequest(get));
    if (response.statusCode !== 200) throw new Error(`${dir}: status ${response.statusCode}`);
  };
}

const body = Buffer.from(GET_MICROVM_BODY);
/** What the service's front end sends: a handful of headers and a JSON body with a length. */
const head =
  "HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Type: application/json\r\n" +
  `Content-Length: ${body.length}\r\nConnection: keep-alive\r\nx-amzn-RequestId: 0f4c1a5e-8d1b-4c3a-9a52-1b2c3d4e5f60\r\n` +
  "X-Amzn-Trace-Id: Root=1-65a1b2c3-0123456789abcdef01234567\r\n\r\n";
const whole = Buffer.concat([Buffer.from(head, "latin1"), body]);
const headPart = Buffer.from(head, "latin1");
const chunked = Buffer.from(
  `${head.replace(/Content-Length: \d+\r\n/, "Transfer-Encoding: chunked\r\n")}100\r\n${body.subarray(0, 256).toString("latin1")}\r\n` +
    `${(body.length - 256).toString(16)}\r\n${body.subarray(256).toString("latin1")}\r\n0\r\n\r\n`,
  "latin1",
);
const request = new HttpRequest({
  protocol: "https:",
  hostname: "lambda.us-east-1.amazonaws.com",
  method: "GET",
  path: "/2025-09-01/microvms/mvm-0123456789abcdef0",
  headers: {
    host: "lambda.us-east-1.amazonaws.com",
    "user-agent": "aws-sdk-js/3.0.0 ua/2.1 os/linux lang/js md/nodejs#20.0.0 api/lambda-microvms#0.1.0",
    "amz-sdk-invocation-id": "5c7b0c52-7f0c-4c55-8a52-5b0c1a2b3c4d",
    "amz-sdk-request": "attempt=1; max=3",
    "x-amz-date": "20260101T000000Z",
    "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    authorization:
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  },
});

/** CPU nanoseconds per call of `fn` (awaited when it is asynchronous), over a batch long enough to time. */
async function measure(fn: () => unknown, calls: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const result = fn();
    if (result instanceof Promise) await result;
  }
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / calls;
}

const implementations = await Promise.all(dirs.map(casesOf));
const show = (ns: number) => (ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(0)} ns`);
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[samples.length >> 1]!;
for (const name of Object.keys(implementations[0]!)) {
  const samples = implementations.map(() => [] as number[]);
  const calls = name.includes("loopback") ? 500 : 10_000;
  for (const [i, cases] of implementations.entries()) {
    if (cases[name]!() === undefined && name.startsWith("response")) throw new Error(`${dirs[i]}: ${name}: the parser did not complete`);
    await measure(cases[name]!, 2 * calls); // warm-up
  }
  for (let round = 0; round < rounds; round++) {
    for (const [i, cases] of implementations.entries()) samples[i]!.push(await measure(cases[name]!, calls));
  }
  const figures = samples.map((s, i) => `${dirs.length > 1 ? `${dirs[i]!.split("/").slice(-2).join("/")}: ` : ""}${show(median(s))} (min ${show(Math.min(...s))})`);
  console.log(`${name.padEnd(26)} ${figures.join("   ")}`);
}
for (const handler of handlers) handler.destroy();
server.kill();
