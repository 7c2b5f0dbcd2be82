/** One generic paginator; the per-operation exports are generated one-liners. */
import type { MetadataBearer } from "@smithy/types";
import type { PaginatorSchema } from "../protocol/schema";
import type { LambdaMicrovmsClient } from "../client/LambdaMicrovmsClient";
import type { LambdaMicrovmsCommand } from "../client/command";

/** Options of a `paginateXxx` function, as in the official client. */
export interface PaginationConfiguration {
  /** The client to send the list calls with. */
  client: LambdaMicrovmsClient;
  /** Items per page (`maxResults`). @default the service's default */
  pageSize?: number;
  /** A `nextToken` from an earlier page, to resume from there. */
  startingToken?: string;
  /** Stop when the service returns the token it was sent (a misbehaving server). @default true */
  stopOnSameToken?: boolean;
}

/** Makes a `paginateXxx(config, input)` function for a list command. */
export function createPaginator<I extends object, O extends MetadataBearer>(
  CommandCtor: new (input: I) => LambdaMicrovmsCommand<I, O>,
  schema: PaginatorSchema,
): (config: PaginationConfiguration, input: I) => AsyncGenerator<O, undefined, unknown> {
  return async function* paginate(config, input) {
    let token: string | undefined = config.startingToken;
    const stopOnSameToken = config.stopOnSameToken !== false;
    while (true) {
      const pageInput = { ...input, [schema.inputToken]: token } as I;
      if (config.pageSize !== undefined) (pageInput as Record<string, unknown>)[schema.limitKey] = config.pageSize;
      const page: O = await config.client.send(new CommandCtor(pageInput));
      yield page;
      const next = (page as Record<string, unknown>)[schema.outputToken] as string | undefined;
      if (!next || (stopOnSameToken && next === token)) return undefined;
      token = next;
    }
  };
}
