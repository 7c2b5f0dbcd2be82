/** The managed base images the emulator offers, with their versions. */
import type { ManagedMicrovmImageVersionStatus } from "./models";
import { managedImageArn } from "./ids";

export interface ManagedVersion {
  readonly version: string;
  readonly status: ManagedMicrovmImageVersionStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ManagedImage {
  readonly seq: number;
  readonly name: string;
  readonly arn: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly versions: readonly (ManagedVersion & { readonly seq: number })[];
}

const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

const seed: readonly { name: string; versions: readonly [string, ManagedMicrovmImageVersionStatus, string][] }[] = [
  {
    name: "al2023",
    versions: [
      ["2025.10.1", "DEPRECATED", "2025-10-01"],
      ["2025.11.1", "AVAILABLE", "2025-11-01"],
      ["2026.01.1", "AVAILABLE", "2026-01-15"],
    ],
  },
  {
    name: "ubuntu-24-04",
    versions: [
      ["24.04.2", "DEPRECATED", "2025-09-20"],
      ["24.04.3", "AVAILABLE", "2025-12-05"],
    ],
  },
  { name: "debian-12", versions: [["12.11", "AVAILABLE", "2025-11-20"]] },
  { name: "nodejs-22", versions: [["22.12.0", "AVAILABLE", "2025-12-10"]] },
  { name: "python-3-13", versions: [["3.13.1", "AVAILABLE", "2025-12-12"]] },
];

export function managedCatalogue(region: string): ManagedImage[] {
  return seed.map((entry, i) => {
    const versions = entry.versions.map(([version, status, date], j) => ({ seq: j, version, status, createdAt: day(date), updatedAt: day(date) }));
    return {
      seq: i,
      name: entry.name,
      arn: managedImageArn(region, entry.name),
      createdAt: versions[0]!.createdAt,
      updatedAt: versions.at(-1)!.updatedAt,
      versions,
    };
  });
}

/** Finds a managed image by ARN (any region or partition) or by its short name. */
export function findManaged(catalogue: readonly ManagedImage[], identifier: string): ManagedImage | undefined {
  const name = identifier.startsWith("arn:") ? identifier.slice(identifier.lastIndexOf(":") + 1) : identifier;
  if (identifier.startsWith("arn:") && !identifier.includes(":aws:microvm-image:")) return undefined;
  return catalogue.find((image) => image.name === name);
}

/** The newest AVAILABLE version, which an image uses when it names no base version. */
export function latestAvailable(image: ManagedImage): ManagedVersion | undefined {
  return [...image.versions].reverse().find((v) => v.status === "AVAILABLE");
}
