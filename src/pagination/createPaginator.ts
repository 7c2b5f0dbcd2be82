/** One generic paginator; the per-operation exports are generated one-liners. */
import type { Command, MetadataBearer, PaginationConfiguration as SmithyPaginationConfiguration, Paginator as SmithyPaginator } from "@smithy/types";
import type { PaginatorSchema } from "../protocol/schema";
import { paginators, type OperationName } from "../protocol/schema.generated";
import type { LambdaMicrovmsClient } from "../client/LambdaMicrovmsClient";
import type { LambdaMicrovmsCommand } from "../client/command";
import { ParentSpan } from "../tracing/parentSpan";

/**
 * Options of a `paginateXxx` function: smithy's (`client`, `pageSize`, `startingToken`,
 * `stopOnSameToken`, `withCommand`), as in the official client, plus `maxItems` and `abortSignal`.
 */
export interface LambdaMicrovmsPaginationConfiguration extends SmithyPaginationConfiguration {
  /** The client to send the list calls with. */
  client: LambdaMicrovmsClient;
  /** Items per page (`maxResults`, 1–50), unless the input sets `maxResults`. @default the service's default */
  pageSize?: number;
  /** A `nextToken` from an earlier page, to resume from there. */
  startingToken?: string;
  /** End the loop when the service returns a token it returned before. @default true */
  stopOnSameToken?: boolean;
  /** Stop after this many items in all; the last page is trimmed to fit. @default no limit */
  maxItems?: number;
  /** Cancels the loop: the call in flight is aborted and no further page is fetched. */
  abortSignal?: AbortSignal;
}

/** The earlier name of {@link LambdaMicrovmsPaginationConfiguration}. */
export type PaginationConfiguration = LambdaMicrovmsPaginationConfiguration;

/** The item type of a list operation's page. */
export type PageItem<Page> = Page extends { items?: (infer Item)[] | undefined } ? Item : never;

/**
 * The pages of a list operation, as an async iterable (`for await (const page of …)`), plus
 * `items()` to iterate the items of all pages one by one.
 */
export interface Paginator<Page, Item = PageItem<Page>> extends SmithyPaginator<Page> {
  /** Iterates the items of every page in order (honouring `maxItems`). */
  items(): AsyncGenerator<Item, undefined, unknown>;
}

/** What a `paginateXxx` function returns: smithy's `Paginator` (as the official client's) plus `items()`. */
export type LambdaMicrovmsPaginator<Page> = Paginator<Page, PageItem<Page>>;

/**
 * Added to an error thrown in the middle of a loop: pass it as `startingToken` to resume with
 * the page that failed.
 */
export interface PaginationErrorFields {
  resumeToken?: string | undefined;
}

interface PageCounts {
  pages: number;
  items: number;
}
interface Traced {
  span: ParentSpan;
  counts: PageCounts;
}

type ListOutput<Item> = MetadataBearer & { items?: Item[] | undefined; nextToken?: string | undefined };

/** Makes a `paginateXxx(config, input)` function for a list command. */
export function createPaginator<I extends object, O extends ListOutput<unknown>>(
  CommandCtor: new (input: I) => LambdaMicrovmsCommand<I, O>,
  operation: OperationName,
): (config: LambdaMicrovmsPaginationConfiguration, input: I, ...rest: unknown[]) => LambdaMicrovmsPaginator<O> {
  type Item = PageItem<O>;
  // Looked up here rather than by the caller: a call whose arguments read a table is one that
  // bundlers cannot drop when the paginator goes unused.
  const schema: PaginatorSchema = paginators[operation]!;

  /** The pages; with a tracer provider registered, their calls sit under one span. */
  async function* pages(config: LambdaMicrovmsPaginationConfiguration, input: I, rest: unknown[]): AsyncGenerator<O, undefined, unknown> {
    const starting = ParentSpan.start(`paginate${operation}`, {});
    const span = starting && (await starting);
    if (span === undefined) return yield* pageLoop(config, input, rest, undefined);
    const counts: PageCounts = { pages: 0, items: 0 };
    let failure: { error: unknown } | undefined;
    try {
      return yield* pageLoop(config, input, rest, { span, counts });
    } catch (error) {
      failure = { error };
      throw error;
    } finally {
      span.end({ "lambda_microvms.paginator.pages": counts.pages, "lambda_microvms.paginator.items": counts.items }, failure);
    }
  }

  async function* pageLoop(config: LambdaMicrovmsPaginationConfiguration, input: I, rest: unknown[], traced: Traced | undefined): AsyncGenerator<O, undefined, unknown> {
    const seen = new Set<string>();
    const stopOnSameToken = config.stopOnSameToken !== false;
    let token = config.startingToken;
    let remaining = config.maxItems ?? Infinity;
    while (remaining > 0) {
      // A fresh object per page: the caller's input is never changed.
      const pageInput: Record<string, unknown> = { ...input, [schema.inputToken]: token };
      // The input's own page size wins over the configuration's, as in the official client.
      const pageSize = (input as Record<string, unknown>)[schema.limitKey] ?? config.pageSize;
      if (typeof pageSize === "number") pageInput[schema.limitKey] = Math.min(pageSize, remaining);
      let page: O;
      try {
        const command = new CommandCtor(pageInput as I);
        const sent = (config.withCommand?.(command as unknown as Command<any, any, any, any, any>) ?? command) as typeof command;
        const options = config.abortSignal ? { ...(rest[0] as object | undefined), abortSignal: config.abortSignal } : rest[0];
        const send = () => config.client.send(sent, options as Parameters<LambdaMicrovmsClient["send"]>[1]);
        // A generator resumes in its consumer's context: the span is made active for each call.
        page = await (traced ? traced.span.run(send) : send());
      } catch (error) {
        if (typeof error === "object" && error !== null) (error as PaginationErrorFields).resumeToken = token;
        throw error;
      }
      const items = (page as Record<string, unknown>)[schema.resultKey] as Item[] | undefined;
      if (
        items &&
        // Stryker disable next-line ConditionalExpression,EqualityOperator: slicing a page that fits in what is left keeps the same items
        items.length > remaining
      ) {
        (page as Record<string, unknown>)[schema.resultKey] = items.slice(0, remaining);
      }
      remaining -= Math.min(items?.length ?? 0, remaining);
      if (traced) {
        traced.counts.pages++;
        traced.counts.items += ((page as Record<string, unknown>)[schema.resultKey] as Item[] | undefined)?.length ?? 0;
      }
      yield page;
      const next = (page as Record<string, unknown>)[schema.outputToken] as string | undefined;
      if (!next || (stopOnSameToken && (next === token || seen.has(next)))) return undefined;
      seen.add(next);
      token = next;
    }
    return undefined;
  }

  return (config, input, ...rest) => {
    const generator = pages(config, input ?? ({} as I), rest) as LambdaMicrovmsPaginator<O>;
    generator.items = async function* items() {
      for await (const page of generator) {
        for (const item of ((page as Record<string, unknown>)[schema.resultKey] as Item[] | undefined) ?? []) yield item;
      }
      return undefined;
    };
    return generator;
  };
}
