/**
 * Idempotency tokens as a function. The first test is the first use of the module in this file's
 * fresh module graph, so what it asserts covers the listing of token members too.
 */
import { describe, expect, it } from "vitest";
import { idempotencyTokenMiddleware } from "../../src/middleware/idempotency";
import { GetMicrovmOperation, RunMicrovmOperation } from "../../src/protocol/schema.generated";
import { registerShapes } from "../../src/protocol/schema";

registerShapes(RunMicrovmOperation.shapes);
registerShapes(GetMicrovmOperation.shapes);

async function through(operation: typeof RunMicrovmOperation, args: { input: Record<string, unknown> }) {
  let seen: { input: Record<string, unknown> } | undefined;
  await idempotencyTokenMiddleware(async (a) => ((seen = a as never), { output: {}, response: {} }), { operationSchema: operation } as never)(args as never);
  return seen!;
}

describe("idempotency tokens", () => {
  it("fills a missing clientToken with a fresh UUID on a copy of the input", async () => {
    const input = { imageIdentifier: "img" };
    const seen = await through(RunMicrovmOperation, { input });
    expect(seen.input.clientToken).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seen.input.imageIdentifier).toBe("img");
    expect(input).toEqual({ imageIdentifier: "img" });
    const again = await through(RunMicrovmOperation, { input });
    expect(again.input.clientToken).not.toBe(seen.input.clientToken);
  });

  it("keeps a given token, and passes the same arguments on when there is nothing to fill", async () => {
    const args = { input: { imageIdentifier: "img", clientToken: "mine" } };
    expect(await through(RunMicrovmOperation, args)).toBe(args);
    const get = { input: { microvmIdentifier: "m" } };
    expect(await through(GetMicrovmOperation, get)).toBe(get);
  });

  it("fills a token that is null", async () => {
    const seen = await through(RunMicrovmOperation, { input: { imageIdentifier: "img", clientToken: null } });
    expect(typeof seen.input.clientToken).toBe("string");
  });
});
