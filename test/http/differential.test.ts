/**
 * Differential fuzz: the same response bytes, sent to this client's transport and to smithy's
 * NodeHttpHandler (node:http over llhttp), must give callers the same results, except where this
 * transport is stricter on purpose (the list below). Thousands of seeded generated cases run in
 * `npm test`; `FUZZ_CASES=100000 npm run test:fuzz` runs a large one (`FUZZ_SEED` picks another
 * sequence, `FUZZ_CASE=n` replays one case).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADVERSARIAL } from "./differential/adversarial";
import { generateCase } from "./differential/generate";
import { firstResponse, runCase, startRawServer, type Case, type Outcome, type RawServer } from "./differential/harness";

const CASES = Number(process.env.FUZZ_CASES ?? 800);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const ONLY = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
/** Differences reported before a run stops (`FUZZ_LIMIT=1` stops at the first, as mutation runs do). */
const LIMIT = process.env.FUZZ_LIMIT === undefined ? undefined : Number(process.env.FUZZ_LIMIT);
/** Cases in flight at once: their stalls (a client waiting for bytes that never come) overlap. */
const PARALLEL = 48;

/**
 * Where this transport refuses a response llhttp accepts, on purpose. Each holds only when our
 * error says so and the bytes show the reason; anything else that differs fails the test.
 */
const DELIBERATE: { why: string; ours: RegExp; when: (raw: string, node: Outcome, c: Case) => boolean }[] = [
  {
    // RFC 9110, section 15: status codes are 100 to 599. llhttp takes any three digits.
    why: "status code outside 100-599",
    ours: /status code outside 100-599/,
    when: (raw) => /HTTP\/1\.[01] (?![1-5]\d\d)\d{3}/.test(raw),
  },
  {
    // This client speaks HTTP/1.1; llhttp also takes HTTP/0.9, HTTP/2.0, RTSP/1.0 and ICE/1.0 status lines.
    why: "not an HTTP/1.x status line",
    ours: /not an HTTP\/1\.0 or HTTP\/1\.1 status line|bad status line/,
    when: (raw) => /(?:^|\r\n\r\n)(?:\r\n)*(?!HTTP\/1\.[01] )[A-Z]+\/\d\.\d \d{3}/.test(raw),
  },
  {
    // RFC 9112, section 4: a reason phrase is HTAB, SP, VCHAR and obs-text; llhttp lets control characters through.
    why: "control character in the reason phrase",
    ours: /reason phrase/,
    when: (raw) => /HTTP\/1\.[01] \d{3} [^\r\n]*[\x00-\x08\x0b-\x1f\x7f]/.test(raw),
  },
  {
    // RFC 9112, section 2.2 has a recipient skip CRLFs before a message; llhttp skips any CR or LF.
    why: "bare CR or LF before the status line",
    ours: /bare CR or LF before the status line/,
    when: (raw) => /(?:^|\r\n\r\n)(?:\r\n)*(?:\r(?!\n)|\n)/.test(raw),
  },
  {
    // llhttp ends a status line at CR CR as well as at CRLF; a bare CR is refused here anywhere.
    why: "status line ended by CR CR",
    ours: /bare CR or LF in the status line/,
    when: (raw) => /HTTP\/1\.[01] \d{3}[^\r\n]*\r\r/.test(raw),
  },
  {
    // RFC 9110, section 15.2.2: a server switches protocols only when asked to; this client never asks.
    why: "101 Switching Protocols",
    ours: /101 Switching Protocols/,
    when: (raw) => /HTTP\/1\.[01] 101/.test(raw),
  },
  {
    // After a complete response, bytes other than CR and LF mean the framing is in doubt; llhttp
    // parses them as the next response, and Node keeps the first response when they are one.
    why: "bytes after a complete response",
    ours: /bytes after the end of the response/,
    when: (raw, node, c) => agreesOnFirstResponse(raw, node, c.head === true),
  },
  {
    // Limits count every byte of a head or trailer section; llhttp counts names and values only.
    why: "section over 16 KiB counting line ends",
    ours: /(?:head|trailers) larger than 16 KiB/,
    when: (raw) => raw.length > 16 * 1024,
  },
  {
    // llhttp reads `chunked<HTAB>`, `chunked<NBSP>` and `chunked,` as not chunked but
    // `gzip<HTAB>,<HTAB>chunked`, `gzip,,chunked` and `gzip;q=1, chunked` as chunked: lists with
    // anything but tokens, commas and spaces, or with empty members, are refused rather than
    // framed one way or the other.
    why: "Transfer-Encoding other than a plain list of codings",
    ours: /Transfer-Encoding is not a plain list/,
    when: (raw) => [...raw.matchAll(/\r\ntransfer-encoding:([^\r\n]*)/gi)].some(([, value]) => !PLAIN_CODINGS.test(value!)),
  },
];

/** A Transfer-Encoding value that is a plain list of codings (what this transport takes). */
const PLAIN_CODINGS = /^[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?: *, *[!#$%&'*+\-.^_`|~0-9A-Za-z]+)* *$/;

/** Our parser completes a response before the bytes end, equal to the one Node gave the caller. */
function agreesOnFirstResponse(raw: string, node: Outcome, head: boolean): boolean {
  const { end, response } = firstResponse(raw, head);
  return node.ok && response !== undefined && end < raw.length && response.statusCode === node.statusCode && response.body.toString("latin1") === node.body;
}

/** Node's header object has a prototype, so it drops a `__proto__` header; ours keeps it. */
const comparable = (o: Outcome) => (o.ok ? { ...o, headers: o.headers.filter(([name]) => name !== "__proto__"), connection: 0 } : o);

/** Why the outcomes of a case differ beyond the deliberate differences, or undefined if they do not. */
function unexplained(c: Case, ours: Outcome[], node: Outcome[]): string | undefined {
  for (let k = 0; k < c.replies.length; k++) {
    const [o, n] = [ours[k]!, node[k]!];
    const raw = c.replies[k]!.bytes;
    if (o.ok && n.ok) {
      if (JSON.stringify(comparable(o)) !== JSON.stringify(comparable(n))) return `turn ${k}: both accepted, with different results`;
    } else if (o.ok) {
      return `turn ${k}: ours accepted what Node refused (${n.ok ? "" : n.message})`;
    } else if (!n.ok) {
      // Both refused: where llhttp fails at once, so must this parser (never by waiting for the connection to close).
      if (n.error === "parse" && o.error !== "parse") return `turn ${k}: Node refused the bytes, ours waited (${o.message})`;
    } else {
      if (!DELIBERATE.some((d) => d.ours.test(o.message) && d.when(raw, n, c))) return `turn ${k}: ours refused what Node accepted (${o.message})`;
      return undefined; // the connections' histories part here: later turns are not comparable
    }
    if (k > 0) {
      const oursReused = o.connection === ours[k - 1]!.connection;
      const nodeReused = n.connection === node[k - 1]!.connection;
      if (oursReused && !nodeReused) return `turn ${k}: ours reused a connection Node did not`;
      if (nodeReused && !oursReused) return undefined; // closing instead of reusing is always allowed; later turns are not comparable
    }
  }
  return undefined;
}

/** JSON with long runs of one character shortened, so that a report stays readable. */
const show = (value: unknown): string => JSON.stringify(value).replace(/(.)\1{19,}/g, (run, c: string) => `${c}{×${run.length}}`);

let server: RawServer;
beforeAll(async () => {
  server = await startRawServer();
});
afterAll(() => server.close());

/** Runs cases `PARALLEL` at a time (made as they are needed); returns the unexplained differences (at most `limit` of them). */
async function differences(count: number, caseAt: (i: number) => Case, firstId: number, limit = 10): Promise<string[]> {
  const found: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count && found.length < limit) {
      const i = next++;
      const id = firstId + i;
      const c = caseAt(i);
      server.add(id, c);
      const [ours, node] = await Promise.all([runCase(server, id, c, "ours"), runCase(server, id, c, "node")]);
      server.forget(id);
      const why = unexplained(c, ours, node);
      if (why !== undefined) found.push(`case ${id}: ${why}\n  bytes: ${show(c.replies.map((r) => r.bytes))}\n  ours: ${show(ours)}\n  node: ${show(node)}`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return found;
}

describe("differential fuzz against NodeHttpHandler", () => {
  it(`agrees on the hand-picked adversarial set (${ADVERSARIAL.length} cases)`, async () => {
    expect(await differences(ADVERSARIAL.length, (i) => ADVERSARIAL[i]!, 1_000_000_000, LIMIT ?? 50)).toEqual([]);
  }, 60_000);

  it(`agrees on ${ONLY === undefined ? CASES : 1} seeded generated cases (seed ${SEED})`, async () => {
    const first = ONLY ?? 0;
    expect(await differences(ONLY === undefined ? CASES : 1, (i) => generateCase(SEED, first + i), first, LIMIT ?? 10)).toEqual([]);
  }, 60_000 + CASES * 20);
});
