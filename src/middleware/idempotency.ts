/** Initialize step: fills idempotency tokens once per call, before any retry. */
import { randomUUID } from "../platform/runtime";
import type { InitializeMiddleware, Pluggable } from "@smithy/types";
import type { LambdaMicrovmsContext } from "../client/command";
import { structureOf } from "../protocol/serialize";

/** The idempotency-token members of each input shape, listed once. */
const tokenMembers = new Map<string, string[]>();
function tokensOf(shapeName: string): string[] {
  let names = tokenMembers.get(shapeName);
  // Stryker disable next-line ConditionalExpression: listing the members again gives the same list
  if (names === undefined) {
    const members = structureOf(shapeName).members;
    tokenMembers.set(shapeName, (names = Object.keys(members).filter((name) => members[name]!.idempotencyToken)));
  }
  return names;
}

export const idempotencyTokenMiddleware: InitializeMiddleware<any, any> = (next, context) => (args) => {
  const names = tokensOf((context as LambdaMicrovmsContext).operationSchema.input);
  let input = args.input as Record<string, unknown>;
  for (const name of names) {
    if (input[name] != null) continue;
    // Copy rather than mutate: the caller's object stays as it was given.
    // Stryker disable next-line ConditionalExpression: copying the copy again changes nothing visible
    if (input === args.input) input = { ...input };
    input[name] = randomUUID();
  }
  return next(input === args.input ? args : { ...args, input });
};

export const idempotencyTokenPlugin: Pluggable<any, any> = {
  applyToStack(stack) {
    stack.add(idempotencyTokenMiddleware, { step: "initialize", name: "idempotencyTokenMiddleware", priority: "high", override: true });
  },
};
