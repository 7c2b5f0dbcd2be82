/**
 * The default encoders of `client.config` (base64, UTF-8, body length, stream collector), small
 * and on `Uint8Array` and Web APIs only, so that every runtime has them: this service's shapes
 * have no blobs, so these are there for the configuration's shape and for middleware that uses
 * them, and smithy's versions would bring their stream and blob helpers into every bundle.
 */
import type { BodyLengthCalculator, Decoder, Encoder, StreamCollector } from "@smithy/types";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const fromUtf8: Decoder = (text) => encoder.encode(text);
export const toUtf8: Encoder = (bytes) => (typeof bytes === "string" ? bytes : decoder.decode(bytes));

export const fromBase64: Decoder = (text) => {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
};

export const toBase64: Encoder = (input) => {
  const bytes = typeof input === "string" ? fromUtf8(input) : input;
  let binary = "";
  // In slices: String.fromCharCode takes its bytes as arguments, and arguments are bounded.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

/** Bytes of `text` in UTF-8, counted without encoding it (this runs for every request body). */
export function utf8Length(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) length += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: two UTF-16 units, four bytes.
      length += 2;
      i++;
    } else length += 2;
  }
  return length;
}

/** Bytes of a string or binary body; undefined for a stream (its length is not known). */
export const bodyLength: BodyLengthCalculator = (body: unknown) => {
  if (body == null) return 0;
  if (typeof body === "string") return utf8Length(body);
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) return body.byteLength;
  return undefined;
};

/** Joins byte arrays into one. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let total = 0;
  for (const chunk of chunks) total += chunk.byteLength;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** A web `ReadableStream` (what fetch gives as a body). */
export const isWebStream = (value: unknown): value is ReadableStream<Uint8Array> =>
  typeof value === "object" && value !== null && typeof (value as ReadableStream).getReader === "function";

async function readWebStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (let step = await reader.read(); !step.done; step = await reader.read()) if (step.value) chunks.push(step.value);
  } finally {
    reader.releaseLock();
  }
  return chunks;
}

/**
 * Reads a body (bytes, text, a Blob, a web ReadableStream, a Node stream or any async iterable of
 * chunks) into one byte array.
 */
export const collectStream: StreamCollector = async (stream: unknown) => {
  if (stream == null) return new Uint8Array(0);
  if (stream instanceof Uint8Array) return stream;
  if (typeof stream === "string") return fromUtf8(stream);
  if (typeof (stream as Blob).arrayBuffer === "function" && !isWebStream(stream)) return new Uint8Array(await (stream as Blob).arrayBuffer());
  if (isWebStream(stream)) return concatBytes(await readWebStream(stream));
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === "string" ? fromUtf8(chunk) : chunk);
  return concatBytes(chunks);
};
