/**
 * Initialize step, outermost: logs each call as the official client does, with the same objects:
 * `info({ clientName, commandName, input, output, metadata })` after a success and
 * `error({ clientName, commandName, input, error, metadata })` after a failure. Inputs and outputs
 * go through the model's sensitive-member filter first, so secrets never reach the logger.
 */
import { NoOpLogger } from "@smithy/core/client";
import type { InitializeMiddleware, MetadataBearer, Pluggable } from "@smithy/types";

export const loggerMiddleware: InitializeMiddleware<any, MetadataBearer> = (next, context) => async (args) => {
  const { clientName, commandName, logger } = context;
  // The default logger does nothing: skip the filtering work for it. (The client always sets a
  // logger, so treating the no-op one as active only costs the filtering.)
  // Stryker disable next-line ConditionalExpression,LogicalOperator: see above
  const active = logger !== undefined && !(logger instanceof NoOpLogger);
  try {
    const response = await next(args);
    if (active && typeof logger.info === "function") {
      const { $metadata, ...output } = response.output;
      logger.info({ clientName, commandName, input: context.inputFilterSensitiveLog(args.input), output: context.outputFilterSensitiveLog(output), metadata: $metadata });
    }
    return response;
  } catch (error) {
    if (active && typeof logger.error === "function") {
      const metadata = (error as Partial<MetadataBearer> | undefined)?.$metadata;
      logger.error({ clientName, commandName, input: context.inputFilterSensitiveLog(args.input), error, metadata });
    }
    throw error;
  }
};

export const loggerPlugin: Pluggable<any, any> = {
  applyToStack(stack) {
    stack.add(loggerMiddleware, { name: "loggerMiddleware", tags: ["LOGGER"], step: "initialize", override: true });
  },
};
