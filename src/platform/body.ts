/**
 * Reading a response body as text, in Node.js: bytes, text, or a Node stream (smithy's
 * `NodeHttpHandler` gives one). The build for other runtimes replaces this module with
 * `body.web.ts`.
 */
import { finished } from "node:stream";
import { collectStream } from "../client/codecs";
import { utf8Text } from "./runtime";

/** Reads a response body (stream, bytes or text) as UTF-8 text. */
export async function readBody(body: unknown): Promise<string> {
  if (body == null) return "";
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return utf8Text(body);
  if (isNodeReadable(body)) return readNodeStream(body);
  return utf8Text(await collectStream(body));
}

function isNodeReadable(body: unknown): body is NodeJS.ReadableStream {
  return typeof (body as NodeJS.ReadableStream).on === "function" && typeof (body as NodeJS.ReadableStream).read === "function";
}

/**
 * A Node stream read with `data` events and `finished`: the same result and errors as
 * `for await` (which also ends with `finished`), without an async iterator and a promise per chunk.
 */
function readNodeStream(body: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on("data", (chunk: Buffer | string) => chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
    finished(body, (error) => (error ? reject(error) : resolve(Buffer.concat(chunks).toString("utf8"))));
  });
}
