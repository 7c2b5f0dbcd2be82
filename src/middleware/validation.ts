/** Initialize step: checks the input against the model before anything is sent. */
import type { InitializeMiddleware, Pluggable } from "@smithy/types";
import type { LambdaMicrovmsContext } from "../client/command";
import { describeProblems, validateShape, type ValidationProblem } from "../protocol/validate";

/**
 * The input breaks the model's rules; nothing was sent. `problems` lists each one with its
 * path and rule. Values are never quoted, so sensitive members cannot leak through it.
 */
export class InputValidationError extends Error {
  override readonly name = "InputValidationError";
  readonly problems: readonly ValidationProblem[];

  constructor(operation: string, problems: readonly ValidationProblem[]) {
    super(`Invalid ${operation} input: ${describeProblems(problems)}`);
    this.problems = problems;
  }
}

export const validationMiddleware: InitializeMiddleware<any, any> = (next, context) => async (args) => {
  const operation = (context as LambdaMicrovmsContext).operationSchema;
  // Stryker disable next-line StringLiteral: any rules name but "service" means the client's rules
  const problems = validateShape(operation.input, args.input, "client");
  if (problems.length) throw new InputValidationError(operation.name, problems);
  return next(args);
};

export const validationPlugin: Pluggable<any, any> = {
  applyToStack(stack) {
    // After the idempotency token is filled (priority high), so a filled token is checked too.
    stack.add(validationMiddleware, { step: "initialize", name: "validationMiddleware", priority: "normal", override: true });
  },
};
