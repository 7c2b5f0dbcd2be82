/** Initialize step: fills idempotency tokens once per call, before any retry. */
import { randomUUID } from "node:crypto";
import type { InitializeMiddleware, Pluggable } from "@smithy/types";
import type { LambdaMicrovmsContext } from "../client/command";
import { structureOf } from "../protocol/serialize";

export const idempotencyTokenMiddleware: InitializeMiddleware<any, any> = (next, context) => (args) => {
  const shape = structureOf((context as LambdaMicrovmsContext).operationSchema.input);
  let input = args.input as Record<string, unknown>;
  for (const name in shape.members) {
    if (!shape.members[name]!.idempotencyToken || input[name] != null) continue;
    // Copy rather than mutate: the caller's object stays as it was given.
    input = { ...input, [name]: randomUUID() };
  }
  return next(input === args.input ? args : { ...args, input });
};

export const idempotencyTokenPlugin: Pluggable<any, any> = {
  applyToStack(stack) {
    stack.add(idempotencyTokenMiddleware, { step: "initialize", name: "idempotencyTokenMiddleware", priority: "high" });
  },
};
