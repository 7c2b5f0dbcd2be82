/**
 * The default encoders of `client.config` (base64, UTF-8, body length, stream collector), as
 * small Node.js functions: this service's shapes have no blobs, so these are there for the
 * configuration's shape and for middleware that uses them, and smithy's versions would bring
 * their stream and blob helpers into every bundle.
 */
import type { BodyLengthCalculator, Decoder, Encoder, StreamCollector } from "@smithy/types";

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const fromBase64: Decoder = (text) => new Uint8Array(Buffer.from(text, "base64"));
export const toBase64: Encoder = (bytes) => (typeof bytes === "string" ? Buffer.from(bytes).toString("base64") : asBuffer(bytes).toString("base64"));
export const fromUtf8: Decoder = (text) => new Uint8Array(Buffer.from(text, "utf8"));
export const toUtf8: Encoder = (bytes) => (typeof bytes === "string" ? bytes : asBuffer(bytes).toString("utf8"));

/** Bytes of a string or binary body; undefined for a stream (its length is not known). */
export const bodyLength: BodyLengthCalculator = (body: unknown) => {
  if (body == null) return 0;
  if (typeof body === "string") return Buffer.byteLength(body);
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) return body.byteLength;
  return undefined;
};

/** Reads a body (bytes, text, a Node stream or any async iterable of chunks) into one byte array. */
export const collectStream: StreamCollector = async (stream: unknown) => {
  if (stream == null) return new Uint8Array(0);
  if (stream instanceof Uint8Array) return stream;
  if (typeof stream === "string") return fromUtf8(stream);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : asBuffer(chunk));
  return new Uint8Array(Buffer.concat(chunks));
};
