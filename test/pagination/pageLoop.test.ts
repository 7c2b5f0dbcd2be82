/**
 * The paging loop against a scripted client (no server): what each page asks for, where the loop
 * stops, what a failing page reports, what reaches `send`, and the parent span with a tracer
 * provider registered.
 */
import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { inMemoryTracing } from "../helpers/inMemoryTracing";
import { ListMicrovmsCommand, paginateListMicrovms, type LambdaMicrovmsClient, type PaginationErrorFields } from "../../src/index";

interface Sent {
  input: Record<string, unknown>;
  options: unknown;
  command: unknown;
}

/** A client that answers page `n` (0-based) with `answer(n, input)`; records what it was sent. */
function scripted(answer: (n: number, input: Record<string, unknown>) => object | Error | string | null) {
  const sent: Sent[] = [];
  const client = {
    send: async (command: { input: Record<string, unknown> }, options?: unknown) => {
      sent.push({ input: command.input, options, command });
      const out = answer(sent.length - 1, command.input);
      if (out === null || typeof out === "string" || out instanceof Error) throw out;
      return { $metadata: {}, ...out };
    },
  } as unknown as LambdaMicrovmsClient;
  return { client, sent };
}

/** `count` items numbered from `from`. */
const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ microvmId: `mvm-${from + i}` }));

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe("page sizes", () => {
  it("each page asks for min(pageSize, items still wanted)", async () => {
    const s = scripted((n, input) => ({ items: items(n * 10, input.maxResults as number), nextToken: `t${n}` }));
    const got = await collect(paginateListMicrovms({ client: s.client, pageSize: 4, maxItems: 10 }, {}).items());
    expect(got).toHaveLength(10);
    expect(s.sent.map((x) => x.input.maxResults)).toEqual([4, 4, 2]);
    expect(s.sent.map((x) => x.input.nextToken)).toEqual([undefined, "t0", "t1"]);
  });

  it("the input's own maxResults wins over pageSize", async () => {
    const s = scripted(() => ({ items: items(0, 3) }));
    await collect(paginateListMicrovms({ client: s.client, pageSize: 7 }, { maxResults: 3 }));
    expect(s.sent[0]!.input.maxResults).toBe(3);
  });

  it("without a page size or maxItems, no maxResults is sent: the service's default applies", async () => {
    const s = scripted(() => ({ items: items(0, 3) }));
    await collect(paginateListMicrovms({ client: s.client }, {}));
    expect(s.sent[0]!.input.maxResults).toBeUndefined();
  });
});

describe("maxItems", () => {
  it("trims the page that goes past it when the server returns more than asked, and fetches no more", async () => {
    const s = scripted((n) => ({ items: items(n * 5, 5), nextToken: `t${n}` }));
    const pages = await collect(paginateListMicrovms({ client: s.client, maxItems: 7 }, {}));
    expect(pages.map((p) => p.items!.map((vm) => vm.microvmId))).toEqual([items(0, 5).map((vm) => vm.microvmId), ["mvm-5", "mvm-6"]]);
    expect(s.sent).toHaveLength(2);
  });

  it("a page without items counts nothing; the loop goes on to the next token", async () => {
    const s = scripted((n) => (n === 0 ? { nextToken: "t0" } : { items: items(0, 2) }));
    const got = await collect(paginateListMicrovms({ client: s.client, maxItems: 5 }, {}).items());
    expect(got.map((vm) => vm.microvmId)).toEqual(["mvm-0", "mvm-1"]);
    expect(s.sent).toHaveLength(2);
  });
});

describe("tokens", () => {
  const repeating = (n: number) => ({ items: items(n, 1), ...(n < 3 ? { nextToken: ["a", "b", "a"][n] } : {}) });

  it("stopOnSameToken: false follows a token the server already returned", async () => {
    const s = scripted(repeating);
    expect(await collect(paginateListMicrovms({ client: s.client }, {}))).toHaveLength(3);
    const t = scripted(repeating);
    expect(await collect(paginateListMicrovms({ client: t.client, stopOnSameToken: false }, {}))).toHaveLength(4);
    expect(t.sent.map((x) => x.input.nextToken)).toEqual([undefined, "a", "b", "a"]);
  });

  it("a page that hands back the startingToken it was asked with ends the loop", async () => {
    const s = scripted(() => ({ items: items(0, 1), nextToken: "resume" }));
    const pages = await collect(paginateListMicrovms({ client: s.client, startingToken: "resume" }, {}));
    expect(pages).toHaveLength(1);
    expect(s.sent[0]!.input.nextToken).toBe("resume");
  });
});

describe("failures", () => {
  it("an error that is not an object is thrown as it is", async () => {
    for (const thrown of ["a string", null]) {
      const s = scripted(() => thrown);
      await expect(collect(paginateListMicrovms({ client: s.client }, {}))).rejects.toBe(thrown);
    }
  });

  it("the resume token is the one of the page that failed", async () => {
    const s = scripted((n) => (n === 1 ? new Error("boom") : { items: items(0, 1), nextToken: "t0" }));
    const error = (await collect(paginateListMicrovms({ client: s.client }, {})).catch((e: unknown) => e)) as Error & PaginationErrorFields;
    expect(error.resumeToken).toBe("t0");
  });
});

describe("what reaches send", () => {
  it("abortSignal joins the caller's send options; without it the options pass as they are", async () => {
    const controller = new AbortController();
    const s = scripted(() => ({ items: [] }));
    await collect(paginateListMicrovms({ client: s.client, abortSignal: controller.signal }, {}, { requestTimeout: 5 }));
    expect(s.sent[0]!.options).toEqual({ requestTimeout: 5, abortSignal: controller.signal });
    const t = scripted(() => ({ items: [] }));
    const options = { requestTimeout: 5 };
    await collect(paginateListMicrovms({ client: t.client }, {}, options));
    expect(t.sent[0]!.options).toBe(options);
  });

  it("withCommand can replace the command of each page", async () => {
    const s = scripted(() => ({ items: [] }));
    const replaced = new ListMicrovmsCommand({ maxResults: 1 });
    await collect(paginateListMicrovms({ client: s.client, withCommand: () => replaced }, {}));
    expect(s.sent[0]!.command).toBe(replaced);
  });
});

describe("with a tracer provider registered", () => {
  const exporter = inMemoryTracing();

  it("one parent span, active during each page's call, counting the pages and the items kept", async () => {
    exporter.reset();
    const active: (string | undefined)[] = [];
    const s = scripted((n) => {
      active.push(trace.getActiveSpan()?.spanContext().spanId);
      return { items: items(n * 4, 4), nextToken: `t${n}` };
    });
    await collect(paginateListMicrovms({ client: s.client, maxItems: 10 }, {}));
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(["LambdaMicrovms.paginateListMicrovms"]);
    expect(spans[0]!.attributes).toMatchObject({ "lambda_microvms.paginator.pages": 3, "lambda_microvms.paginator.items": 10 });
    expect(spans[0]!.status.code).not.toBe(2);
    expect(active).toEqual([spans[0]!.spanContext().spanId, spans[0]!.spanContext().spanId, spans[0]!.spanContext().spanId]);
  });

  it("a page without items counts as a page of none", async () => {
    exporter.reset();
    const s = scripted((n) => (n === 0 ? { nextToken: "t0" } : { items: items(0, 2) }));
    await collect(paginateListMicrovms({ client: s.client }, {}));
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes).toMatchObject({ "lambda_microvms.paginator.pages": 2, "lambda_microvms.paginator.items": 2 });
  });

  it("a failing page ends the span with the error; the error still reaches the caller", async () => {
    exporter.reset();
    const s = scripted((n) => (n === 1 ? new Error("page two failed") : { items: items(0, 2), nextToken: "t0" }));
    await expect(collect(paginateListMicrovms({ client: s.client }, {}))).rejects.toThrow("page two failed");
    const [span] = exporter.getFinishedSpans();
    expect(span!.status).toEqual({ code: 2, message: "page two failed" });
    expect(span!.attributes).toMatchObject({ "lambda_microvms.paginator.pages": 1, "lambda_microvms.paginator.items": 2 });
  });
});
