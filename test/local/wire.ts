/**
 * Hostile requests at the byte level: a SigV4 signer that signs exactly the headers it is given
 * (any name, `__proto__` included; it is checked against the AWS test suite in auth tests), raw
 * sockets that send bytes as written, and a small parser for the answers that come back.
 */
import { connect, type Socket } from "node:net";
import { payloadHash, signature } from "../../src/local/canonical";
import type { LocalServer } from "../../src/local/index";

export interface WireRequest {
  method: string;
  /** Path and query exactly as they go on the wire (already percent-encoded). */
  target: string;
  /** Header lines in order; names as written. */
  headers?: [string, string][];
  body?: string | Buffer;
}

export interface SignOptions {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Header names (lowercase) to sign; default: every header given plus host and x-amz-date. */
  signedHeaders?: string[];
  /** Names put in SignedHeaders that are not given values (absent from the request). */
  extraSignedNames?: string[];
  date?: Date;
  /** The day (YYYYMMDD) the credential scope names and the key is derived for; default: the date's. */
  scopeDay?: string;
}

const amzDate = (date: Date): string => date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** Decodes a percent-escape; one that is not valid UTF-8 stays as written (the server refuses it anyway). */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function decodeQuery(rawQuery: string): Record<string, string[]> {
  const out = Object.create(null) as Record<string, string[]>;
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    (out[key] ??= []).push(eq < 0 ? "" : decode(pair.slice(eq + 1)));
  }
  return out;
}

/** Adds `host`, `x-amz-date` and a SigV4 `authorization` to a request, signing what it is told to. */
export function signWire(server: LocalServer, request: WireRequest, options: SignOptions = {}): WireRequest {
  const date = options.date ?? new Date();
  const credentials = options.credentials ?? server.credentials;
  const region = options.region ?? server.region;
  const host = new URL(server.endpoint).host;
  const headers: [string, string][] = [["host", host], ["x-amz-date", amzDate(date)], ...(request.headers ?? [])];
  const names = options.signedHeaders ?? [...new Set(headers.map(([n]) => n.toLowerCase()))].sort();
  const values = names.map((name): [string, string] => {
    const found = headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v.trim());
    return [name, found.join(",")];
  });
  const signed = [...names, ...(options.extraSignedNames ?? [])].sort();
  const withExtra = signed.map((name): [string, string] => values.find(([n]) => n === name) ?? [name, ""]);
  const q = request.target.indexOf("?");
  const rawPath = q < 0 ? request.target : request.target.slice(0, q);
  const parts = {
    method: request.method,
    rawPath,
    query: decodeQuery(q < 0 ? "" : request.target.slice(q + 1)),
    headers: withExtra,
    payloadHash: payloadHash(Buffer.from(request.body ?? "")),
  };
  const day = options.scopeDay ?? amzDate(date).slice(0, 8);
  const sig = signature(parts, { secretAccessKey: credentials.secretAccessKey, date: day, region, service: "lambda", amzDate: amzDate(date) });
  const authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${day}/${region}/lambda/aws4_request, SignedHeaders=${signed.join(";")}, Signature=${sig}`;
  return { ...request, headers: [...headers, ["authorization", authorization]] };
}

/** The bytes of a request; Content-Length is added when there is a body and none is given. */
export function wireBytes(request: WireRequest): Buffer {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const headers = [...(request.headers ?? [])];
  if (request.body !== undefined && !headers.some(([n]) => n.toLowerCase() === "content-length")) headers.push(["content-length", String(body.length)]);
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses every complete answer in `data` (Content-Length framing, as the emulator answers). */
export function parseAnswers(data: Buffer): WireAnswer[] {
  const answers: WireAnswer[] = [];
  let offset = 0;
  for (;;) {
    const end = data.indexOf("\r\n\r\n", offset);
    if (end < 0) return answers;
    const lines = data.subarray(offset, end).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0]!)?.[1]);
    const headers: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? 0);
    if (data.length < end + 4 + length) return answers;
    answers.push({ status, headers, body: data.subarray(end + 4, end + 4 + length).toString("utf8") });
    offset = end + 4 + length;
  }
}

export interface Exchange {
  answers: WireAnswer[];
  /** How the connection ended: closed by the server, reset, or still open when we stopped waiting. */
  ended: "closed" | "reset" | "open";
}

/**
 * Writes `bytes` on a fresh connection (in the pieces given) and collects answers until the
 * server closes the connection or `expect` answers have arrived.
 */
export function exchange(server: LocalServer, pieces: (Buffer | string)[], expect = Infinity): Promise<Exchange> {
  const url = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket: Socket = connect(Number(url.port), url.hostname, () => {
      for (const piece of pieces) socket.write(piece);
    });
    const done = (ended: Exchange["ended"]): void => {
      socket.destroy();
      resolve({ answers: parseAnswers(Buffer.concat(chunks)), ended });
    };
    socket.on("data", (d: Buffer) => {
      chunks.push(d);
      if (parseAnswers(Buffer.concat(chunks)).length >= expect) done("open");
    });
    socket.on("end", () => done("closed"));
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? done("reset") : reject(error)));
  });
}

/** Sends one signed request over a fresh connection and returns its answer. */
export async function sendSigned(server: LocalServer, request: WireRequest, options?: SignOptions): Promise<WireAnswer> {
  const { answers } = await exchange(server, [wireBytes(signWire(server, request, options))], 1);
  if (answers.length !== 1) throw new Error(`no answer to ${request.method} ${request.target}`);
  return answers[0]!;
}

/** A JSON body request with its content-type. */
export const jsonRequest = (method: string, target: string, body: unknown): WireRequest => ({
  method,
  target,
  headers: [["content-type", "application/json"]],
  body: typeof body === "string" ? body : JSON.stringify(body),
});

