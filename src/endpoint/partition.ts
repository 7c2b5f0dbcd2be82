/** AWS partitions, as the endpoint rules' `aws.partition` function sees them. */
import { partitions } from "./partitions.generated";

export interface Partition {
  readonly id: string;
  readonly regionRegex: string;
  readonly regions: readonly string[];
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  readonly supportsFIPS: boolean;
  readonly supportsDualStack: boolean;
}

/** The partition of `region`: a listed region, else a matching region pattern, else `aws`. */
export function partitionOf(region: string): Partition {
  const listed = partitions.find((p) => p.regions.includes(region));
  if (listed) return listed;
  const matched = partitions.find((p) => new RegExp(p.regionRegex).test(region));
  return matched ?? partitions.find((p) => p.id === "aws")!;
}
