/**
 * The runtime module of the build for browsers, Deno, Cloudflare Workers and React Native (it
 * replaces `runtime.ts` there): Web APIs only, no Node.js built-in, and nothing that a runtime
 * may refuse to give. In Deno, an environment variable is read only when the permission to read
 * it was granted: asking would stop a program run without a terminal, and prompt in one.
 */
import { Sha256 as JsSha256 } from "@aws-crypto/sha256-js";
import type { ChecksumConstructor, UserAgent } from "@smithy/types";

interface DenoGlobal {
  env: { get(name: string): string | undefined };
  permissions?: { querySync?(descriptor: { name: "env"; variable: string }): { state: string } };
  build?: { os?: string };
  version?: { deno?: string };
}

interface RuntimeGlobals {
  Deno?: DenoGlobal;
  process?: { env?: Record<string, string | undefined> };
  navigator?: { userAgent?: string; product?: string };
}

const globals = globalThis as unknown as RuntimeGlobals;

/** `client.config.runtime`'s default: "browser", as the official client's browser build says. */
export const RUNTIME = "browser";

/**
 * A random UUID (version 4) from `crypto.getRandomValues`, which every one of these runtimes
 * has (`crypto.randomUUID` is missing from pages that are not served over HTTPS).
 */
export function randomUUID(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let hex = "";
  for (const byte of bytes) hex += (byte < 16 ? "0" : "") + byte.toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * SHA-256 in JavaScript (`@aws-crypto/sha256-js`): WebCrypto is missing from pages that are not
 * served over HTTPS, and is asynchronous where smithy's signer hashes small strings.
 */
export const Sha256: ChecksumConstructor = JsSha256 as unknown as ChecksumConstructor;

/** An environment variable, where the runtime has them and lets it be read; else undefined. */
export function envVar(name: string): string | undefined {
  const deno = globals.Deno;
  if (deno !== undefined) {
    if (deno.permissions?.querySync?.({ name: "env", variable: name }).state !== "granted") return undefined;
    return deno.env.get(name);
  }
  return globals.process?.env?.[name];
}

/** The user agent's pairs that name the runtime, from what it tells without a permission. */
export function runtimeUserAgent(): UserAgent {
  const deno = globals.Deno;
  if (deno !== undefined) return [[`os/${deno.build?.os ?? "other"}`], ["lang/js"], ["md/deno", deno.version?.deno ?? "unknown"]];
  const navigator = globals.navigator;
  if (navigator?.userAgent === "Cloudflare-Workers") return [["os/other"], ["lang/js"], ["md/workerd"]];
  if (navigator?.product === "ReactNative") return [["os/other"], ["lang/js"], ["md/rn"]];
  return [["os/other"], ["lang/js"], ["md/browser"]];
}

const decoder = new TextDecoder();

/** Bytes as UTF-8 text. */
export function utf8Text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
