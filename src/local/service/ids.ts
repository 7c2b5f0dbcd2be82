/** Identifiers, ARNs and tokens in the shapes the service uses. */
import { randomBytes } from "node:crypto";

const hex = (bytes: number): string => randomBytes(bytes).toString("hex");

export const newImageId = (): string => `mvi-${hex(8)}`;
export const newMicrovmId = (): string => `mvm-${hex(8)}`;
export const newBuildId = (): string => `bld-${hex(8)}`;
export const newSecret = (): string => randomBytes(32).toString("base64url");

export interface AccountScope {
  readonly region: string;
  readonly accountId: string;
}

export const imageArn = (scope: AccountScope, id: string): string =>
  `arn:aws:lambda:${scope.region}:${scope.accountId}:microvm-image:${id}`;

export const managedImageArn = (region: string, name: string): string => `arn:aws:lambda:${region}:aws:microvm-image:${name}`;

/** A MicroVM's HTTPS endpoint; the emulator does not serve it. */
export const microvmEndpoint = (region: string, id: string): string => `https://${id}.microvm.lambda.${region}.on.aws`;

/** The part after `microvm-image:` when `identifier` is an image ARN, else the identifier itself. */
export function imageIdFromIdentifier(identifier: string): string {
  const marker = ":microvm-image:";
  const at = identifier.indexOf(marker);
  return identifier.startsWith("arn:") && at >= 0 ? identifier.slice(at + marker.length) : identifier;
}
