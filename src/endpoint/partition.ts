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

/**
 * The partition of `region` in `table` (the generated partitions unless given): a listed region,
 * else a matching region pattern, else `aws`.
 */
export function partitionOf(region: string, table: readonly Partition[] = partitions): Partition {
  const listed = table.find((p) => p.regions.includes(region));
  if (listed) return listed;
  const matched = table.find((p) => new RegExp(p.regionRegex).test(region));
  return matched ?? table.find((p) => p.id === "aws")!;
}
