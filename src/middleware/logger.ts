/**
 * Initialize step, outermost: one `info` line per call (operation, status, attempts, duration,
 * request id) and the redacted input and output at `debug`. Secrets never reach the logger:
 * inputs and outputs go through the model's sensitive-member filter, errors are summarized.
 */
import type { InitializeMiddleware, Logger, MetadataBearer, Pluggable, ResponseMetadata } from "@smithy/types";

function summary(operation: string, started: number, metadata: ResponseMetadata | undefined, outcome: string): Record<string, unknown> {
  return {
    operation,
    outcome,
    status: metadata?.httpStatusCode,
    attempts: metadata?.attempts,
    durationMs: Date.now() - started,
    requestId: metadata?.requestId,
  };
}

export function loggerMiddleware(logger: Logger): InitializeMiddleware<any, MetadataBearer> {
  return (next, context) => async (args) => {
    const operation = String(context.commandName ?? "").replace(/Command$/, "");
    const started = Date.now();
    logger.debug?.({ operation, input: context.inputFilterSensitiveLog?.(args.input) });
    try {
      const result = await next(args);
      logger.info?.(summary(operation, started, result.output.$metadata, "success"));
      logger.debug?.({ operation, output: context.outputFilterSensitiveLog?.(result.output) });
      return result;
    } catch (error) {
      const e = error as { name?: string; $metadata?: ResponseMetadata };
      logger.info?.(summary(operation, started, e.$metadata, `error ${e.name ?? "Error"}`));
      throw error;
    }
  };
}

export function getLoggerPlugin(logger: Logger): Pluggable<any, any> {
  return {
    applyToStack(stack) {
      stack.add(loggerMiddleware(logger), { step: "initialize", name: "loggerMiddleware", priority: "high", override: true });
    },
  };
}
