/**
 * The grammar of HTTP/1.1 responses (RFC 9112) as the socket transport's parser checks it, in
 * regular expressions over Latin-1 text, and the words for what broke it (error messages name
 * the rule, never quote the response).
 */
import { FIELD_CHAR, FIELD_VCHAR, TCHAR } from "./syntax";

/** Version, status code (100 to 599) and reason phrase. */
export const STATUS_LINE = new RegExp(`HTTP/1\\.([01]) ([1-5]\\d\\d)(?: (${FIELD_CHAR}*))?\\r\\n`, "y");
/** Name, value (without surrounding whitespace) and the whitespace after it. */
export const FIELD_LINE = new RegExp(`(${TCHAR}+):[\\t ]*((?:${FIELD_VCHAR}+(?:[\\t ]+${FIELD_VCHAR}+)*)?)([\\t ]*)\\r\\n`, "y");
/** What an incomplete status line may start with (its first 13 bytes; reason-phrase characters follow). */
export const STATUS_START = /^(?:H(?:T(?:T(?:P(?:\/(?:1(?:\.(?:[01](?: (?:[1-5](?:\d(?:\d(?: )?)?)?)?)?)?)?)?)?)?)?)?)?$/;
export const STATUS_FIXED_BYTES = 13;
export const NAME_CHARS = new RegExp(`^${TCHAR}*$`);
export const VALUE_CHARS = new RegExp(`^${FIELD_CHAR}*$`);
const QUOTED = `"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\${FIELD_CHAR})*"`;
/** Size (leading zeros allowed, as llhttp allows them; at most 2^48 − 1), then `;name[=token|quoted]` extensions. */
export const CHUNK_LINE = new RegExp(`^0*([0-9A-Fa-f]{1,12})(?:;${TCHAR}+(?:=(?:${TCHAR}*|${QUOTED}))?)*$`);
export const CHUNK_LINE_START = /^[0-9A-Fa-f]/;
export const TRANSFER_CODINGS = new RegExp(`^${TCHAR}+(?: *, *${TCHAR}+)*$`);
export const CLOSE = /(?:^|,)[ \t]*close[ \t]*(?:,|$)/i;
export const KEEP_ALIVE_TOKEN = /(?:^|,)[ \t]*keep-alive[ \t]*(?:,|$)/i;
export const KEEP_ALIVE_TIMEOUT = /(?:^|[,;])[ \t]*timeout=(\d+)/i;
export const LINE_ENDS = /^[\r\n]*$/;

/** Node keeps the first of these when repeated, so smithy's handler sees only one. */
export const SINGLE_VALUED = new Set([
  "age",
  "authorization",
  "content-length",
  "content-type",
  "etag",
  "expires",
  "from",
  "host",
  "if-modified-since",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "proxy-authorization",
  "referer",
  "retry-after",
  "server",
  "user-agent",
]);

/** Why a status line (or the start of one) was refused, for the error message; the response is never quoted. */
export function statusLineProblem(line: string): string {
  if (/^[\r\n]/.test(line)) return "bare CR or LF before the status line";
  if (/\r(?!\n|$)|(?<!\r)\n/.test(line)) return "bare CR or LF in the status line";
  if (!/^HTTP\/1\.[01](?: |$)/.test(line)) return /^[A-Z]+\/\d/.test(line) ? "not an HTTP/1.0 or HTTP/1.1 status line" : "bad status line";
  const code = /^HTTP\/1\.[01] (\d{3}(?=[ \r]|$)|\d{1,2}$)/.exec(line);
  if (code === null) return "bad status code";
  if (!/^[1-5]/.test(code[1]!)) return "status code outside 100-599";
  return "control character in the reason phrase";
}

/** Why a field line was refused (for the error message; the response is never quoted). */
export function fieldLineProblem(line: string, inHead: boolean): string {
  const what = inHead ? "header" : "trailer";
  if (line[0] === " " || line[0] === "\t") return `whitespace before a ${what} line (obsolete line folding)`;
  if (/\r(?!\n)|(?<!\r)\n/.test(line)) return `bare CR or LF in a ${what} line`;
  const colon = line.indexOf(":");
  if (colon <= 0 || !NAME_CHARS.test(line.slice(0, colon))) return `bad ${what} name`;
  return `control character in a ${what} value`;
}
