/**
 * SigV4 signing with `@smithy/signature-v4` for the service's signing name. Hashing is the
 * runtime's (`Sha256` of `platform/runtime`): Node's built-in crypto in Node.js, JavaScript
 * elsewhere.
 */
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, DateInput } from "@smithy/types";
import { Sha256 } from "../platform/runtime";

export { Sha256 };

type DeriveKey = (credentials: AwsCredentialIdentity, region: string, shortDate: string, service?: string) => Promise<Uint8Array>;

/** The signing key last derived for one credentials object, and what it was derived from. */
interface KeyEntry {
  scope: string;
  secretAccessKey: string;
  key: Promise<Uint8Array>;
}

/**
 * `SignatureV4` with two per-request costs taken out; the signatures are unchanged:
 * - smithy caches derived signing keys, but finds them by an HMAC of the access key id, so each
 *   request paid two HMACs instead of one. Here the key is found by the credentials object
 *   (checked against its secret, in case it is changed in place; the key depends on nothing else
 *   of the credentials) and day, region and service.
 * - the request date is formatted once per second rather than on every request.
 */
export class LambdaMicrovmsSigner extends SignatureV4 {
  private readonly keys = new WeakMap<AwsCredentialIdentity, KeyEntry>();
  private lastSecond = Number.NaN;
  // Stryker disable next-line ObjectLiteral,StringLiteral: never returned: no second equals the NaN it starts with
  private lastDate = { longDate: "", shortDate: "" };

  constructor(options: ConstructorParameters<typeof SignatureV4>[0]) {
    super(options);
    // getSigningKey is private in smithy's types, so it cannot be overridden as a method.
    const self = this as unknown as { getSigningKey: DeriveKey };
    const derive = self.getSigningKey.bind(this);
    self.getSigningKey = (credentials, region, shortDate, service) => this.cachedKey(derive, credentials, region, shortDate, service);
  }

  private cachedKey(derive: DeriveKey, credentials: AwsCredentialIdentity, region: string, shortDate: string, service?: string): Promise<Uint8Array> {
    const scope = `${shortDate}/${region}/${service}`;
    const hit = this.keys.get(credentials);
    if (hit !== undefined && hit.scope === scope && hit.secretAccessKey === credentials.secretAccessKey) return hit.key;
    const key = derive(credentials, region, shortDate, service);
    this.keys.set(credentials, { scope, secretAccessKey: credentials.secretAccessKey, key });
    key.catch(() => this.keys.delete(credentials));
    return key;
  }

  protected override formatDate(now: DateInput): { longDate: string; shortDate: string } {
    const ms = now instanceof Date ? now.getTime() : Number.NaN;
    // Stryker disable next-line ArithmeticOperator: a finer key only formats the same date again
    const second = Math.floor(ms / 1000);
    // Stryker disable next-line ConditionalExpression: without the cache (false) the same date is formatted again
    if (second === this.lastSecond) return this.lastDate;
    const date = super.formatDate(now);
    // Stryker disable next-line BooleanLiteral,ConditionalExpression,BlockStatement: a NaN second kept or a second not kept only formats a date again (NaN equals nothing)
    if (!Number.isNaN(second)) {
      this.lastSecond = second;
      this.lastDate = date;
    }
    return date;
  }
}
