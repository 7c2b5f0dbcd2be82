/**
 * Reading a response body as text outside Node.js (it replaces `body.ts` in that build): bytes,
 * text, a web `ReadableStream` (the fetch handler's), a Blob or any async iterable of chunks.
 */
import { collectStream } from "../client/codecs";
import { utf8Text } from "./runtime";

/** Reads a response body (stream, bytes or text) as UTF-8 text. */
export async function readBody(body: unknown): Promise<string> {
  if (body == null) return "";
  if (typeof body === "string") return body;
  return utf8Text(await collectStream(body));
}
