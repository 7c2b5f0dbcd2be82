/**
 * SigV4 verification: the request is signed again with the known secret for its own date,
 * scope and signed headers, and the signatures are compared. Answers the errors the real
 * service gives for a missing, unknown, wrong, stale or wrongly scoped signature.
 */
import { timingSafeEqual } from "node:crypto";
import { SERVICE } from "../protocol/schema.generated";
import { payloadHash, signature } from "./canonical";
import { LocalServiceError } from "./errors";
import type { LocalCredentials } from "./types";

/** How far a request's clock may be from ours. */
export const MAX_SKEW_MS = 5 * 60_000;

export interface SignedRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** Lowercase names (a record without a prototype), repeated headers joined by `,`. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

interface AuthorizationParts {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: string[];
  readonly signature: string;
}

const denied = (code: string, message: string): LocalServiceError => new LocalServiceError(code, message, {}, 403);

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.";

function parseAuthorization(header: string): AuthorizationParts {
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/.exec(header);
  const scope = match?.[1]?.split("/");
  if (!match || !scope || scope.length !== 5 || scope[4] !== "aws4_request") {
    throw denied("IncompleteSignatureException", "The Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.");
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: match[2]!.split(";"), signature: match[3]! };
}

/** Parses `20261122T225500Z`. */
function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const amzDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

export class SigV4Verifier {
  private readonly secrets: Map<string, string>;

  constructor(
    credentials: readonly LocalCredentials[],
    /** The region requests must be scoped to. */
    private readonly region: string,
    private readonly now: () => number = Date.now,
  ) {
    this.secrets = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  }

  /** Resolves when the request is signed by a known key; throws the service's error otherwise. */
  verify(request: SignedRequest): void {
    const header = request.headers.authorization;
    if (!header) throw denied("MissingAuthenticationTokenException", "Missing Authentication Token");
    const auth = parseAuthorization(header);
    const secret = this.secrets.get(auth.accessKeyId);
    if (secret === undefined) throw denied("UnrecognizedClientException", "The security token included in the request is invalid.");
    const raw = this.checkDate(request, auth);
    if (auth.service !== SERVICE.signingName) {
      throw denied("InvalidSignatureException", `Credential should be scoped to correct service: '${SERVICE.signingName}'.`);
    }
    if (auth.region !== this.region) throw denied("InvalidSignatureException", `Credential should be scoped to a valid region, not '${auth.region}'.`);
    const headers = this.signedHeaders(request, auth);
    const declared = request.headers["x-amz-content-sha256"];
    const bodyHash = payloadHash(request.body);
    // A declared payload hash must be the body's, since the signature only covers the header.
    if (declared !== undefined && declared !== "UNSIGNED-PAYLOAD" && declared !== bodyHash) {
      throw new LocalServiceError("XAmzContentSHA256Mismatch", "The provided x-amz-content-sha256 header does not match the body.", {}, 400);
    }
    const parts = { method: request.method, rawPath: request.rawPath, query: request.query, headers, payloadHash: declared ?? bodyHash };
    const expected = signature(parts, { secretAccessKey: secret, date: auth.date, region: auth.region, service: auth.service, amzDate: raw });
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) throw denied("InvalidSignatureException", MISMATCH);
  }

  /** The signed headers with their values; `host` must be among them and each must be present. */
  private signedHeaders(request: SignedRequest, auth: AuthorizationParts): [string, string][] {
    if (!auth.signedHeaders.includes("host")) {
      throw denied("IncompleteSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    return auth.signedHeaders.map((name) => {
      const value = request.headers[name];
      if (value === undefined) throw denied("InvalidSignatureException", `${MISMATCH} The header '${name}' is signed but not present in the request.`);
      return [name, value];
    });
  }

  /** Checks X-Amz-Date against the scope and the clock; returns it. */
  private checkDate(request: SignedRequest, auth: AuthorizationParts): string {
    const raw = request.headers["x-amz-date"];
    const date = parseAmzDate(raw);
    if (!date || !auth.signedHeaders.includes("x-amz-date")) {
      throw denied("IncompleteSignatureException", "The request must carry a signed X-Amz-Date header (yyyyMMddTHHmmssZ).");
    }
    if (!raw!.startsWith(auth.date) || auth.date.length !== 8) throw denied("InvalidSignatureException", "The credential scope date does not match X-Amz-Date.");
    const now = this.now();
    const skew = date.getTime() - now;
    if (Math.abs(skew) > MAX_SKEW_MS) {
      const bound = skew < 0 ? `${amzDate(now - MAX_SKEW_MS)} (${amzDate(now)} - 5 min.)` : `${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 5 min.)`;
      throw denied("InvalidSignatureException", `Signature expired: ${raw} is now ${skew < 0 ? "earlier" : "later"} than ${bound}`);
    }
    return raw!;
  }
}
