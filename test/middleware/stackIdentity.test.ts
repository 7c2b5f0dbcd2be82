/**
 * The client's middleware stack as tools see it: the same names, steps, order and tags as the
 * official client's, so that `addRelativeTo`, `remove` and `removeByTag` written for the official
 * client act on the same entries here.
 */
import { describe, expect, it } from "vitest";
import * as official from "@aws-sdk/client-lambda-microvms";
import type { MiddlewareStack } from "@smithy/types";
import { GetMicrovmCommand, LambdaMicrovmsClient } from "../../src/index";

const config = { region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } };

/** The entries of the stack a GetMicrovm call would run, as `identify()` names them. */
function entries(which: "ours" | "official", tag?: string): string[] {
  type Stacked = { middlewareStack: MiddlewareStack<any, any>; destroy?(): void };
  const client: Stacked = which === "ours" ? new LambdaMicrovmsClient(config) : new official.LambdaMicrovmsClient(config);
  const command: Stacked = which === "ours" ? new GetMicrovmCommand({ microvmIdentifier: "m" }) : new official.GetMicrovmCommand({ microvmIdentifier: "m" });
  if (tag) client.middlewareStack.removeByTag(tag);
  const stack = client.middlewareStack.concat(command.middlewareStack).identify();
  client.destroy?.();
  return stack;
}

const officialNames = new Set(entries("official").map((entry) => entry.split(" ")[0]));
/** Ours, without the entries the official client has no counterpart for (tracing, validation, ...). */
const shared = (stack: string[]) => stack.filter((entry) => officialNames.has(entry.split(" ")[0]));

describe("middleware stack identity", () => {
  it("has the official entries, in the official order and steps", () => {
    expect(shared(entries("ours"))).toEqual(entries("official"));
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
