/**
 * Endpoint resolution, following `model/lambda-microvms.endpoint-rules.json` rule for rule
 * (a test checks it against the official rules engine over a table of inputs).
 */
import { partitionOf, type Partition } from "./partition";
import { partitions } from "./partitions.generated";

export interface EndpointParameters {
  Region?: string | undefined;
  UseFIPS?: boolean | undefined;
  UseDualStack?: boolean | undefined;
  /** A custom endpoint URL. */
  Endpoint?: string | undefined;
}

/** A configuration that no endpoint can satisfy; thrown at the first call. */
export class EndpointError extends Error {
  override readonly name = "EndpointError";
}

/**
 * Resolves the endpoint URL for the given parameters, or throws {@link EndpointError}. `table` is
 * the partition data (the generated partitions unless given).
 */
export function resolveEndpoint(params: EndpointParameters, table: readonly Partition[] = partitions): URL {
  const fips = params.UseFIPS === true;
  const dualStack = params.UseDualStack === true;
  if (params.Endpoint !== undefined) {
    if (fips) throw new EndpointError("Invalid Configuration: FIPS and custom endpoint are not supported");
    if (dualStack) throw new EndpointError("Invalid Configuration: Dualstack and custom endpoint are not supported");
    return parseUrl(params.Endpoint);
  }
  const region = params.Region;
  if (region === undefined) throw new EndpointError("Invalid Configuration: Missing Region");
  const partition = partitionOf(region, table);
  if (fips && dualStack) {
    if (!partition.supportsFIPS || !partition.supportsDualStack) {
      throw new EndpointError("FIPS and DualStack are enabled, but this partition does not support one or both");
    }
    return parseUrl(`https://lambda-fips.${region}.${partition.dualStackDnsSuffix}`);
  }
  if (fips) {
    if (!partition.supportsFIPS) throw new EndpointError("FIPS is enabled but this partition does not support FIPS");
    return parseUrl(`https://lambda-fips.${region}.${partition.dnsSuffix}`);
  }
  if (dualStack) {
    if (!partition.supportsDualStack) throw new EndpointError("DualStack is enabled but this partition does not support DualStack");
    return parseUrl(`https://lambda.${region}.${partition.dualStackDnsSuffix}`);
  }
  return parseUrl(`https://lambda.${region}.${partition.dnsSuffix}`);
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new EndpointError(`Invalid endpoint URL: ${JSON.stringify(text)}`);
  }
}
