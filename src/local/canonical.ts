/**
 * The SigV4 signature of a received request, computed from its parts as they arrived: the raw
 * path, the decoded query, and the headers named in `SignedHeaders`. Written against the
 * published algorithm rather than through a client-side signer, because a signer decides which
 * headers to sign (and skips some by name), while a verifier must sign exactly the names it is
 * given, whatever they are (`__proto__` and `constructor` included).
 */
import { createHash, createHmac } from "node:crypto";

export interface CanonicalParts {
  readonly method: string;
  /** The path as received, still percent-encoded. */
  readonly rawPath: string;
  /** Decoded query values per decoded key. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** Signed header names (lowercase) with their values; repeated headers joined by `,`. */
  readonly headers: readonly (readonly [string, string])[];
  /** The hex SHA-256 of the body, or the `x-amz-content-sha256` value the client declared. */
  readonly payloadHash: string;
}

export interface SigningScope {
  readonly secretAccessKey: string;
  /** `yyyyMMdd`. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  /** `yyyyMMddTHHmmssZ`. */
  readonly amzDate: string;
}

/** RFC 3986 percent-encoding, as SigV4 wants it: only unreserved characters stay. */
const escape = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Every service but S3 normalizes the path and encodes the (already encoded) path again. */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith("/") ? "/" : "";
  return `/${segments.map(escape).join("/")}${trailing}`;
}

function canonicalQuery(query: CanonicalParts["query"]): string {
  const pairs: [string, string][] = [];
  for (const key of Object.keys(query)) {
    const name = escape(key);
    for (const value of query[key]!) pairs.push([name, escape(value)]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** The canonical request of the SigV4 algorithm. */
export function canonicalRequest(parts: CanonicalParts): string {
  const headerLines = parts.headers.map(([name, value]) => `${name}:${value.trim().replace(/\s+/g, " ")}\n`).join("");
  const signedNames = parts.headers.map(([name]) => name).join(";");
  return [parts.method, canonicalPath(parts.rawPath), canonicalQuery(parts.query), headerLines, signedNames, parts.payloadHash].join("\n");
}

const sha256Hex = (text: string | Buffer): string => createHash("sha256").update(text).digest("hex");
const hmac = (key: string | Buffer, text: string): Buffer => createHmac("sha256", key).update(text).digest();

/** Signing keys are derived once per key, day, region and service. */
const signingKeys = new Map<string, Buffer>();

function signingKey(scope: SigningScope): Buffer {
  const cacheKey = `${scope.secretAccessKey}\u0000${scope.date}\u0000${scope.region}\u0000${scope.service}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = hmac(hmac(hmac(hmac(`AWS4${scope.secretAccessKey}`, scope.date), scope.region), scope.service), "aws4_request");
    if (signingKeys.size >= 64) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** The hex signature of `parts` under `scope`. */
export function signature(parts: CanonicalParts, scope: SigningScope): string {
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", scope.amzDate, credentialScope, sha256Hex(canonicalRequest(parts))].join("\n");
  return createHmac("sha256", signingKey(scope)).update(stringToSign).digest("hex");
}

/** The hex SHA-256 of a body. */
export const payloadHash = (body: Buffer): string => sha256Hex(body);
