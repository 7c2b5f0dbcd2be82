/**
 * The client keeps its middleware stack's resolution order between calls (a performance change);
 * these tests pin that it still honours every change made to the stack after the first call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { constructStack } from "@smithy/core/client";
import { SMITHY_CONTEXT_KEY, type HandlerExecutionContext, type MiddlewareStack, type Pluggable } from "@smithy/types";
import { GetMicrovmCommand, LambdaMicrovmsClient } from "../../src/index";
import { startCaptureServer, type CaptureServer } from "../helpers/captureServer";

let server: CaptureServer;
let client: LambdaMicrovmsClient;
const body = JSON.stringify({
  microvmId: "mvm-1",
  state: "RUNNING",
  endpoint: "https://x",
  imageArn: "arn:aws:lambda:us-east-1:123456789012:microvm-image:img",
  imageVersion: "1",
  maximumDurationInSeconds: 60,
  startedAt: 1700000000,
});

beforeAll(async () => {
  server = await startCaptureServer();
  server.respond({ status: 200, body });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  client?.destroy();
  client = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } });
});

const get = (c: LambdaMicrovmsClient = client) => c.send(new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }));

/** A middleware that appends `name` to `log` when it runs. */
function tracer(log: string[], name: string) {
  return (next: (args: unknown) => Promise<unknown>) => (args: unknown) => {
    log.push(name);
    return next(args);
  };
}

describe("middleware stack kept between calls", () => {
  it("runs middleware added to the client after the first call, and stops running removed ones", async () => {
    const log: string[] = [];
    await get();
    client.middlewareStack.add(tracer(log, "late") as never, { step: "build", name: "late" });
    await get();
    expect(log).toEqual(["late"]);
    client.middlewareStack.remove("late");
    await get();
    expect(log).toEqual(["late"]);
    client.middlewareStack.use({ applyToStack: (s) => s.add(tracer(log, "plugin") as never, { step: "initialize", name: "plugin" }) });
    await get();
    expect(log).toEqual(["late", "plugin"]);
    client.middlewareStack.add(tracer(log, "tagged") as never, { step: "serialize", name: "tagged", tags: ["T"] });
    await get();
    expect(log).toEqual(["late", "plugin", "plugin", "tagged"]);
    client.middlewareStack.removeByTag("T");
    await get();
    expect(log).toEqual(["late", "plugin", "plugin", "tagged", "plugin"]);
    expect(server.requests.length).toBeGreaterThanOrEqual(6);
  });

  it("orders middleware exactly as the stack itself does (steps, priorities, relative entries)", async () => {
    const log: string[] = [];
    const add = (stack: MiddlewareStack<any, any>) => {
      stack.add(tracer(log, "build-low") as never, { step: "build", priority: "low", name: "build-low" });
      stack.add(tracer(log, "init") as never, { step: "initialize", name: "init" });
      stack.add(tracer(log, "build-high") as never, { step: "build", priority: "high", name: "build-high" });
      stack.add(tracer(log, "finalize") as never, { step: "finalizeRequest", name: "finalize" });
      stack.addRelativeTo(tracer(log, "after-init") as never, { relation: "after", toMiddleware: "init", name: "after-init" });
      stack.addRelativeTo(tracer(log, "before-signing") as never, { relation: "before", toMiddleware: "httpSigningMiddleware", name: "before-signing" });
      stack.add(tracer(log, "deserialize") as never, { step: "deserialize", name: "deserialize" });
    };
    await get();
    add(client.middlewareStack);
    await get();
    const cached = [...log];
    log.length = 0;
    // The general path: the same middleware on the command's own stack.
    const other = new LambdaMicrovmsClient({ region: "us-east-1", endpoint: server.endpoint, credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } });
    const command = new GetMicrovmCommand({ microvmIdentifier: "mvm-1" });
    add(command.middlewareStack);
    await other.send(command);
    other.destroy();
    expect(cached).toEqual(log);
    // Signing is placed right after the retry middleware (as in the official client), so a
    // middleware placed before signing runs ahead of other finalize-step middleware.
    expect(cached).toEqual(["init", "after-init", "build-high", "build-low", "before-signing", "finalize", "deserialize"]);
  });

  it("runs middleware added to one command only for that command", async () => {
    const log: string[] = [];
    await get();
    const command = new GetMicrovmCommand({ microvmIdentifier: "mvm-1" });
    command.middlewareStack.add(tracer(log, "own") as never, { step: "initialize", name: "own" });
    await client.send(command);
    await get();
    expect(log).toEqual(["own"]);
  });

  it("gives each call its own context, also when calls overlap", async () => {
    const seen: unknown[] = [];
    client.middlewareStack.add(
      ((next: (a: unknown) => Promise<unknown>, context: HandlerExecutionContext) => (args: unknown) => {
        seen.push((context as Record<string, { commandInstance?: unknown } | undefined>)[SMITHY_CONTEXT_KEY]?.commandInstance);
        return next(args);
      }) as never,
      { step: "initialize", name: "contexts" },
    );
    const commands = Array.from({ length: 8 }, () => new GetMicrovmCommand({ microvmIdentifier: "mvm-1" }));
    await Promise.all(commands.map((c) => client.send(c)));
    expect(new Set(seen).size).toBe(8);
    expect(seen).toEqual(expect.arrayContaining(commands));
  });

  it("sees a replaced middleware stack", async () => {
    const log: string[] = [];
    await get();
    const replacement = constructStack<any, any>();
    replacement.use(client.middlewareStack as unknown as Pluggable<any, any>);
    replacement.add(tracer(log, "replacement") as never, { step: "build", name: "replacement" });
    (client as { middlewareStack: MiddlewareStack<any, any> }).middlewareStack = replacement;
    const out = await get();
    expect(log).toEqual(["replacement"]);
    expect(out.startedAt).toEqual(new Date(1700000000000));
  });

  it("reports a relative middleware whose anchor is missing, at the call, as before", async () => {
    await get();
    client.middlewareStack.addRelativeTo(tracer([], "orphan") as never, { relation: "after", toMiddleware: "nope", name: "orphan" });
    // `send` resolves the stack synchronously, so the stack's own error is thrown, not returned.
    expect(() => get()).toThrow(/nope is not found when adding orphan middleware after nope/);
    client.middlewareStack.remove("orphan");
    await expect(get()).resolves.toMatchObject({ microvmId: "mvm-1" });
  });
});
