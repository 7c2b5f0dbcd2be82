/**
 * The client's middleware stack as tools see it: the same names, steps, order and tags as the
 * official client's, so that `addRelativeTo`, `remove` and `removeByTag` written for the official
 * client act on the same entries here.
 */
import { describe, expect, it } from "vitest";
import * as official from "@aws-sdk/client-lambda-microvms";
import { constructStack } from "@smithy/core/client";
import type { MiddlewareStack, Pluggable } from "@smithy/types";
import { GetMicrovmCommand, LambdaMicrovmsClient } from "../../src/index";
import { getAttemptTimeoutPlugin } from "../../src/middleware/attemptTimeout";
import { getHeadersPlugin } from "../../src/middleware/headers";
import { idempotencyTokenPlugin } from "../../src/middleware/idempotency";
import { loggerPlugin } from "../../src/middleware/logger";
import { getRetryPlugin } from "../../src/middleware/retry";
import { getSerdePlugin } from "../../src/middleware/serde";
import { getSigningPlugin } from "../../src/middleware/signing";
import { validationPlugin } from "../../src/middleware/validation";

const config = { region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } };

const STEPS = ["initialize", "serialize", "build", "finalizeRequest", "deserialize"] as const;
const PRIORITIES = ["high", "normal", "low"] as const;

/**
 * The entries of the stack a GetMicrovm call would run, as `identify()` names them; with `user`,
 * after a user's middleware was added at every step and priority (which shows each entry's priority).
 */
function entries(which: "ours" | "official", tag?: string, user = false): string[] {
  type Stacked = { middlewareStack: MiddlewareStack<any, any>; destroy?(): void };
  const client: Stacked = which === "ours" ? new LambdaMicrovmsClient(config) : new official.LambdaMicrovmsClient(config);
  const command: Stacked = which === "ours" ? new GetMicrovmCommand({ microvmIdentifier: "m" }) : new official.GetMicrovmCommand({ microvmIdentifier: "m" });
  if (tag) client.middlewareStack.removeByTag(tag);
  if (user) {
    for (const step of STEPS) {
      for (const priority of PRIORITIES) client.middlewareStack.add((next) => next, { step, priority, name: `user-${step}-${priority}` } as never);
    }
  }
  const stack = client.middlewareStack.concat(command.middlewareStack).identify();
  client.destroy?.();
  return stack;
}

const officialNames = new Set(entries("official").map((entry) => entry.split(" ")[0]));
/** Ours, without the entries the official client has no counterpart for (tracing, validation, ...). */
const shared = (stack: string[]) => stack.filter((entry) => officialNames.has(entry.split(" ")[0]) || entry.startsWith("user-"));

describe("middleware stack identity", () => {
  it("has the official entries, in the official order and steps", () => {
    expect(shared(entries("ours"))).toEqual(entries("official"));
  });

  it("places a user's middleware among them as the official client does, at every step and priority", () => {
    expect(shared(entries("ours", undefined, true))).toEqual(entries("official", undefined, true));
  });

  it("places its own entries at fixed points between a user's", () => {
    const ours = entries("ours", undefined, true).map((entry) => entry.split(" ")[0]!);
    const at = (name: string) => ours.indexOf(name);
    expect(ours).toContain("openTelemetryMiddleware");
    // Initialize: tracing outermost; the token filled (high) before the logger (normal, as the
    // official one) and validation (normal, inside the logger so its refusals are logged).
    expect(ours.slice(0, 2)).toEqual(["openTelemetryMiddleware", "idempotencyTokenMiddleware"]);
    expect(at("idempotencyTokenMiddleware")).toBeLessThan(at("user-initialize-high"));
    expect(at("loggerMiddleware")).toBeGreaterThan(at("user-initialize-high"));
    expect(at("validationMiddleware")).toBeGreaterThan(at("loggerMiddleware"));
    expect(at("validationMiddleware")).toBeLessThan(at("user-initialize-normal"));
  });

  it("its plugins applied again replace their own entries, as the official plugins do", () => {
    const target = async () => ({ url: new URL("https://example.com"), signingRegion: "us-east-1" }) as never;
    const plugins: Pluggable<any, any>[] = [
      loggerPlugin,
      idempotencyTokenPlugin,
      validationPlugin,
      getSerdePlugin(target),
      getHeadersPlugin({ bodyLengthChecker: () => 0, userAgent: async () => "ua" }),
      getRetryPlugin({ retryStrategy: async () => ({ retry: async (next, args) => next(args) }) }),
      getSigningPlugin({ signer: async () => ({ sign: async (r) => r }), systemClockOffset: 0 }, target),
      getAttemptTimeoutPlugin(1000),
    ];
    const stack = constructStack<any, any>();
    for (const plugin of plugins) stack.use(plugin);
    const once = stack.identify();
    expect(once).toHaveLength(12);
    for (const plugin of plugins) stack.use(plugin);
    expect(stack.identify()).toEqual(once);
  });

  it.each([
    "SET_CONTENT_LENGTH",
    "CONTENT_LENGTH",
    "SET_USER_AGENT",
    "USER_AGENT",
    "HOST",
    "RECURSION_DETECTION",
    "TRACE_CONTEXT_PROPAGATION",
    "RETRY",
    "LOGGER",
    "SERIALIZER",
    "DESERIALIZER",
    "HTTP_SIGNING",
    "HTTP_AUTH_SCHEME",
    "SIGNATURE",
    "AWSAUTH",
  ])("removeByTag(%s) removes what it removes from the official client", (tag) => {
    expect(shared(entries("ours", tag))).toEqual(entries("official", tag));
  });
});
