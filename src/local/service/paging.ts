/**
 * Opaque page tokens. A token names the operation, the filters it was made for and the last
 * item returned, and is signed with a per-server secret so a forged or edited token is refused.
 * Paging by "after this item" (not by offset) keeps pages stable while items come and go.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { invalid } from "../errors";

interface TokenBody {
  readonly op: string;
  readonly filters: string;
  readonly after: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export const DEFAULT_PAGE_SIZE = 50;

export class PageTokens {
  constructor(private readonly secret: string) {}

  private mac(payload: string): string {
    // Stryker disable next-line MethodExpression: how much of the MAC a token carries is the service's own choice; a whole one is checked the same way
    return createHmac("sha256", this.secret).update(payload).digest("base64url").slice(0, 22);
  }

  encode(body: TokenBody): string {
    const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
    return `${payload}.${this.mac(payload)}`;
  }

  /** The item sequence number to continue after; throws ValidationException for a bad token. */
  decode(token: string, op: string, filters: string): number {
    const [payload, mac, extra] = token.split(".");
    // Stryker disable next-line StringLiteral: without a payload the token is refused before the MAC is compared
    const expected = payload ? this.mac(payload) : "";
    if (!payload || !mac || extra !== undefined || mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
      throw invalid("The nextToken is invalid.");
    }
    const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenBody;
    if (body.op !== op || body.filters !== filters) {
      throw invalid("The nextToken was issued for a different request; repeat the same parameters with it.");
    }
    return body.after;
  }

  /**
   * One page of `items` (in `seq` order), continuing after the token's position. `items` may be
   * a function that yields the items after a position, so that a page costs its own size rather
   * than the length of everything before it. `op` names the list operation in the token; no two
   * list operations have the same filter members, so a token made for one never matches another's
   * filters whatever name it holds (which is why the names at the call sites are marked equivalent
   * under mutation).
   */
  page<T extends { readonly seq: number }>(
    items: readonly T[] | ((after: number) => Iterable<T>),
    request: { readonly maxResults?: number | undefined; readonly nextToken?: string | undefined },
    op: string,
    filters: Record<string, unknown>,
  ): Page<T> {
    const filterKey = JSON.stringify(filters);
    const after = request.nextToken === undefined ? -1 : this.decode(request.nextToken, op, filterKey);
    const size = request.maxResults ?? DEFAULT_PAGE_SIZE;
    const rest = typeof items === "function" ? items(after) : items.filter((item) => item.seq > after);
    const pageItems: T[] = [];
    for (const item of rest) {
      if (pageItems.length === size) {
        return { items: pageItems, nextToken: this.encode({ op, filters: filterKey, after: pageItems.at(-1)!.seq }) };
      }
      pageItems.push(item);
    }
    return { items: pageItems };
  }
}

/** The items of `source` that pass `test`, lazily. */
export function* where<T>(source: Iterable<T>, test: (item: T) => boolean): IterableIterator<T> {
  for (const item of source) if (test(item)) yield item;
}
