/**
 * SigV4 verification: the request is signed again with the known secret for its own date,
 * scope and signed headers, and the signatures are compared. Answers the errors the real
 * service gives for a missing, unknown, wrong or stale signature.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { HttpRequest } from "@smithy/core/transport";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SERVICE } from "../protocol/schema.generated";
import { LocalServiceError } from "./errors";
import type { LocalCredentials } from "./types";

/** How far a request's clock may be from ours. */
export const MAX_SKEW_MS = 5 * 60_000;

export interface SignedRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly query: Record<string, string[]>;
  readonly headers: Record<string, string | string[] | undefined>;
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

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

export class SigV4Verifier {
  private readonly secrets: Map<string, string>;
  private readonly signers = new Map<string, SignatureV4>();

  constructor(
    credentials: readonly LocalCredentials[],
    private readonly now: () => number = Date.now,
  ) {
    this.secrets = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  }

  /** Resolves when the request is signed by a known key; throws the service's error otherwise. */
  async verify(request: SignedRequest): Promise<void> {
    const header = headerText(request.headers.authorization);
    if (!header) throw denied("MissingAuthenticationTokenException", "Missing Authentication Token");
    const auth = parseAuthorization(header);
    const secret = this.secrets.get(auth.accessKeyId);
    if (secret === undefined) throw denied("UnrecognizedClientException", "The security token included in the request is invalid.");
    const signingDate = this.checkDate(request, auth);
    if (auth.service !== SERVICE.signingName) {
      throw denied("InvalidSignatureException", `Credential should be scoped to correct service: '${SERVICE.signingName}'.`);
    }
    this.checkPayloadHash(request);
    const expected = await this.sign(request, auth, secret, signingDate);
    if (expected.length !== auth.signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
      throw denied(
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
      );
    }
  }

  private checkDate(request: SignedRequest, auth: AuthorizationParts): Date {
    const raw = headerText(request.headers["x-amz-date"]);
    const date = parseAmzDate(raw);
    if (!date || !auth.signedHeaders.includes("x-amz-date")) {
      throw denied("IncompleteSignatureException", "The request must carry a signed X-Amz-Date header (yyyyMMddTHHmmssZ).");
    }
    if (!raw!.startsWith(auth.date)) throw denied("InvalidSignatureException", "The credential scope date does not match X-Amz-Date.");
    const now = this.now();
    const skew = date.getTime() - now;
    if (Math.abs(skew) > MAX_SKEW_MS) {
      const bound = skew < 0 ? `${amzDate(now - MAX_SKEW_MS)} (${amzDate(now)} - 5 min.)` : `${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 5 min.)`;
      throw denied("InvalidSignatureException", `Signature expired: ${raw} is now ${skew < 0 ? "earlier" : "later"} than ${bound}`);
    }
    return date;
  }

  /** A declared payload hash must be the body's, since the signature only covers the header. */
  private checkPayloadHash(request: SignedRequest): void {
    const declared = headerText(request.headers["x-amz-content-sha256"]);
    if (declared === undefined || declared === "UNSIGNED-PAYLOAD") return;
    if (createHash("sha256").update(request.body).digest("hex") !== declared) {
      throw new LocalServiceError("XAmzContentSHA256Mismatch", "The provided x-amz-content-sha256 header does not match the body.", {}, 400);
    }
  }

  private async sign(request: SignedRequest, auth: AuthorizationParts, secret: string, signingDate: Date): Promise<string> {
    const headers: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      const value = headerText(request.headers[name]);
      if (value !== undefined) headers[name] = value;
    }
    const query: Record<string, string | string[]> = {};
    for (const [key, values] of Object.entries(request.query)) query[key] = values.length === 1 ? values[0]! : values;
    const unsigned = new HttpRequest({ method: request.method, protocol: "http:", hostname: headers.host ?? "localhost", path: request.rawPath, query, headers, body: request.body });
    const signed = await this.signer(auth, secret).sign(unsigned, { signingDate });
    const value = headerText(signed.headers.authorization ?? signed.headers.Authorization) ?? "";
    return /Signature=([0-9a-f]+)/.exec(value)?.[1] ?? "";
  }

  private signer(auth: AuthorizationParts, secret: string): SignatureV4 {
    const key = `${auth.accessKeyId}\u0000${auth.region}`;
    let signer = this.signers.get(key);
    if (!signer) {
      signer = new SignatureV4({
        service: SERVICE.signingName,
        region: auth.region,
        credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: secret },
        sha256: Sha256,
        // Only the headers the client signed are given, so nothing is added on our side.
        applyChecksum: false,
      });
      this.signers.set(key, signer);
    }
    return signer;
  }
}
