/** SigV4 signing with `@smithy/signature-v4` for the service's signing name. */
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "./sha256";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { SERVICE } from "../protocol/schema.generated";

/** A signer for `region`; it caches derived signing keys between calls. */
export function createSigner(region: string, credentials: AwsCredentialIdentityProvider): SignatureV4 {
  return new SignatureV4({ service: SERVICE.signingName, region, credentials, sha256: Sha256 });
}
