/**
 * Seeded generation of response sequences for the differential fuzz: plausible responses (every
 * framing, interim answers, header repeats and case, whitespace, obs-text, trailers, keep-alive
 * hints), about half of them then mutated the ways that break parsers (bytes that must not be
 * there, bare CR or LF, conflicting framing, odd status lines, stray bytes, truncation, limits).
 */
import { seededRandom } from "../../../src/local/faults";
import { firstResponse, type Case, type Reply } from "./harness";

export type Random = () => number;

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const int = (r: Random, max: number): number => Math.floor(r() * (max + 1));

const NAMES = [
  "Content-Type", "x-amzn-RequestId", "X-Amzn-ErrorType", "Date", "Set-Cookie", "Cookie", "ETag", "Retry-After", "Server", "Age",
  "X-Custom", "constructor", "__proto__", "toString", "hasOwnProperty", "Location", "Link", "Vary", "Cache-Control", "Upgrade", "Trailer", "X-A",
];
const VALUES = ["v", "a b", "application/json", "\xe9t\xe9", "x\xa0y", "k=1; p=2", '"quoted, value"', "", "1", "0", "close", "timeout=5", "chunked", "a,b", "x\ty"];
const STATUSES = [200, 200, 200, 201, 202, 204, 206, 304, 400, 404, 418, 429, 500, 503];
const REASONS = ["OK", "", "Some Reason", "\xe9t\xe9", "a\tb", "Not  Found"];
const OWS = ["", "", " ", "  ", "\t", " \t"];
/** Bytes parsers trip on, for insertion and replacement. */
const ODD_BYTES = ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\xa0", "\xff", "\r", "\n", " ", "\t", ":", ";", "=", '"', "0", "a", ",", "\r\n"];
/** Header lines that conflict, hide or bend the framing. */
const ODD_LINES = [
  "Content-Length: 0", "Content-Length: 3", "Content-Length: 5\xa0", "Content-Length: +5", "Content-Length: 5 ", "Content-Length: 05", "Content-Length:",
  "Transfer-Encoding: chunked", "Transfer-Encoding: chunked\t", "Transfer-Encoding: gzip, chunked", "Transfer-Encoding: chunked, gzip", "Transfer-Encoding: chunked,",
  "Transfer-Encoding: gzip", "Transfer-Encoding: CHUNKED", "Connection: close", "Connection: keep-alive", "Keep-Alive: timeout=1", "Keep-Alive: timeout=99999999999",
  "X-A : 1", " folded", "\tfolded", ": empty-name", "No-Colon", "X-\xe9: 1", "Set-Cookie: ", "__proto__: p", "constructor: c",
];
const ODD_STATUS = ["HTTP/1.1 000 Zero", "HTTP/1.1 101 Switching", "HTTP/1.1 099 Low", "HTTP/1.1 600 High", "HTTP/2.0 200 OK", "HTTP/1.2 200 OK", "HTTP/0.9 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1  200 OK", "http/1.1 200 OK", "HTTP/1.1 200 O\x01K", "HTTP/1.1 199 Odd"];
const STRAY = ["X", "\r\n", "\n", "\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil", "HTTP/1.1 100 Continue\r\n\r\n", "0\r\n\r\n"];

function body(r: Random): string {
  const size = int(r, 3) === 0 ? 0 : int(r, 160);
  let text = "";
  while (text.length < size) {
    text += pick(r, ['{"a":1}', "\xc3\xa9", "\r\n", "HTTP/1.1 200 OK\r\n", "0\r\n\r\n", "abc", " ", "\x00\xff"]);
  }
  return text.slice(0, size);
}

function chunked(r: Random, payload: string): string {
  let out = "";
  for (let at = 0; at < payload.length; ) {
    const size = Math.min(payload.length - at, 1 + int(r, 40));
    let hex = size.toString(16);
    if (r() < 0.2) hex = hex.toUpperCase();
    if (r() < 0.15) hex = `00${hex}`;
    const extension = r() < 0.2 ? pick(r, [";a", ";a=b", ';q="x y\\"z"', ";a=", ";a=b;c"]) : "";
    out += `${hex}${extension}\r\n${payload.slice(at, at + size)}\r\n`;
    at += size;
  }
  const trailers = r() < 0.15 ? pick(r, ["X-Trailer: t\r\n", "A: 1\r\nB: 2\r\n", "Checksum:  abc \r\n"]) : "";
  return `${out}${r() < 0.1 ? "000" : "0"}\r\n${trailers}\r\n`;
}

/** A plausible response; `last` allows one whose body runs to the end of the connection. */
function plausible(r: Random, last: boolean): string {
  let out = r() < 0.05 ? "\r\n" : "";
  if (r() < 0.1) out += pick(r, ["HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n", "HTTP/1.1 102 Processing\r\n\r\n"]);
  const status = pick(r, STATUSES);
  const reason = pick(r, REASONS);
  out += `HTTP/1.${r() < 0.92 ? 1 : 0} ${status}${reason || r() < 0.5 ? ` ${reason}` : ""}\r\n`;
  for (let i = int(r, 6); i > 0; i--) {
    const name = pick(r, NAMES);
    const cased = r() < 0.3 ? name.toLowerCase() : r() < 0.1 ? name.toUpperCase() : name;
    out += `${cased}:${pick(r, OWS)}${pick(r, VALUES)}${pick(r, OWS)}\r\n`;
  }
  if (r() < 0.2) out += pick(r, ["Connection: close\r\n", "Connection: keep-alive\r\n", "Connection: Keep-Alive, Close\r\n", "Keep-Alive: timeout=5, max=100\r\n", "Keep-Alive: timeout=1\r\n"]);
  const payload = status === 204 || status === 304 ? "" : body(r);
  const framing = pick(r, last ? ["length", "length", "chunked", "close"] : ["length", "length", "chunked"]);
  if (framing === "length") out += `Content-Length: ${Buffer.byteLength(payload, "latin1")}\r\n\r\n${payload}`;
  else if (framing === "chunked") out += `Transfer-Encoding: chunked\r\n\r\n${chunked(r, payload)}`;
  else out += `Connection: close\r\n\r\n${payload}`;
  return r() < 0.04 ? `${out}\r\n` : out;
}

/** Where the head ends (the mutations aim mostly there, where parsing decides the most). */
const headEnd = (text: string): number => Math.max(1, text.lastIndexOf("\r\n\r\n", text.indexOf("\r\n\r\n") + 4) + 4);

function mutate(r: Random, text: string): string {
  const at = r() < 0.7 ? int(r, headEnd(text)) : int(r, text.length);
  switch (int(r, 11)) {
    case 0:
      return text.slice(0, at) + pick(r, ODD_BYTES) + text.slice(at);
    case 1:
      return text.slice(0, at) + pick(r, ODD_BYTES) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + text.slice(at + 1);
    case 3:
      return replaceNth(r, text, "\r\n", pick(r, ["\n", "\r", "\r\r\n", "\n\r"]));
    case 4:
    case 5: {
      const line = text.indexOf("\r\n") + 2;
      return `${text.slice(0, line)}${pick(r, ODD_LINES)}\r\n${text.slice(line)}`;
    }
    case 6:
      return pick(r, ODD_STATUS) + text.slice(text.indexOf("\r\n"));
    case 7:
      return text + pick(r, STRAY);
    case 8:
      return text.slice(0, Math.max(1, text.length - 1 - int(r, 6)));
    case 9:
      return bigHeader(r, text);
    case 10:
      return replaceNth(r, text, "\r\n\r\n", "\r\n \r\n");
    default:
      return replaceNth(r, text, "\r\n", `\r\n${pick(r, ODD_LINES)}\r\n`);
  }
}

/** A header of a size around the 16 KiB limit, well on one side of it (llhttp counts differently). */
function bigHeader(r: Random, text: string): string {
  const line = text.indexOf("\r\n") + 2;
  const size = pick(r, [4_000, 12_000, 20_000, 40_000]);
  const where = pick(r, ["header", "extension", "trailer"]);
  if (where === "header" || !text.includes("chunked\r\n")) return `${text.slice(0, line)}X-Big: ${"b".repeat(size)}\r\n${text.slice(line)}`;
  if (where === "extension") return text.replace(/\r\n\r\n([0-9a-fA-F]+)/, (_m, hex: string) => `\r\n\r\n${hex};e=${"e".repeat(size)}`);
  return text.replace(/\r\n0\r\n/, `\r\n0\r\nX-Big: ${"t".repeat(size)}\r\n`);
}

function replaceNth(r: Random, text: string, what: string, by: string): string {
  const places: number[] = [];
  for (let i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) places.push(i);
  if (places.length === 0) return text;
  const i = pick(r, places);
  return text.slice(0, i) + by + text.slice(i + what.length);
}

/** Up to three cut points, none after the end of the first complete response (see `firstResponse`). */
function cuts(r: Random, text: string): number[] {
  const end = firstResponse(text).end;
  return Array.from({ length: int(r, 3) }, () => 1 + int(r, Math.max(0, end - 2))).sort((a, b) => a - b);
}

/** Case `id` of the run seeded `seed`: two or three responses for requests on one connection. */
export function generateCase(seed: number, id: number): Case {
  // The emulator's seeded generator: the same seed gives the same cases on every machine.
  const r = seededRandom(seed * 1_000_003 + id);
  const count = 2 + int(r, 1);
  const replies: Reply[] = [];
  for (let k = 0; k < count; k++) {
    let text = plausible(r, k === count - 1);
    if (r() < 0.5) text = mutate(r, text);
    if (r() < 0.1) text = mutate(r, text);
    replies.push({ bytes: text, cuts: cuts(r, text) });
  }
  return { replies };
}
