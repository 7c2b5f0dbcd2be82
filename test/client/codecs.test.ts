/** The default encoders of client.config, on Uint8Array and Web APIs: the same results as Node's Buffer. */
import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { bodyLength, collectStream, concatBytes, fromBase64, fromUtf8, toBase64, toUtf8, utf8Length } from "../../src/client/codecs";

const SAMPLES = ["", "plain ascii", "é ü ß", "日本語のテキスト", "emoji 😀 and 𝄞", "\ud800 lone high", "lone low \udc00", "\udbff\udfff"];

describe("codecs", () => {
  it("count UTF-8 bytes as Buffer.byteLength does, surrogates included", () => {
    for (const text of SAMPLES) expect(utf8Length(text), JSON.stringify(text)).toBe(Buffer.byteLength(text));
    let random = "";
    for (let i = 0; i < 5000; i++) random += String.fromCharCode(Math.floor(Math.random() * 0x10000));
    expect(utf8Length(random)).toBe(Buffer.byteLength(random));
  });

  it("give body lengths for text and bytes, none for streams", () => {
    expect(bodyLength("日本")).toBe(6);
    expect(bodyLength(new Uint8Array(7))).toBe(7);
    expect(bodyLength(new ArrayBuffer(3))).toBe(3);
    expect(bodyLength(undefined)).toBe(0);
    expect(bodyLength(Readable.from(["x"]))).toBeUndefined();
  });

  it("encode and decode UTF-8 and base64 as Buffer does, returning Uint8Array", () => {
    for (const text of SAMPLES.filter((t) => !/[\ud800-\udfff]/.test(t) || /[\ud800-\udbff][\udc00-\udfff]/.test(t))) {
      const bytes = fromUtf8(text);
      expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
      expect(Buffer.from(bytes).equals(Buffer.from(text, "utf8"))).toBe(true);
      expect(toUtf8(bytes)).toBe(text);
      expect(toBase64(bytes)).toBe(Buffer.from(text).toString("base64"));
      expect(toBase64(text)).toBe(Buffer.from(text).toString("base64"));
      expect(Buffer.from(fromBase64(toBase64(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
    const big = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    expect(toBase64(big)).toBe(Buffer.from(big).toString("base64"));
  });

  it("collect bytes from web streams, Blobs, Node streams, async iterables and text", async () => {
    const parts = [new TextEncoder().encode("ab"), new TextEncoder().encode("cd")];
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
    for (const source of [web, new Blob(parts), Readable.from(parts.map((p) => Buffer.from(p))), (async function* () { yield* parts; })(), "abcd", concatBytes(parts)]) {
      expect(toUtf8(await collectStream(source))).toBe("abcd");
    }
  });
});
