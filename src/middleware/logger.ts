/**
 * Initialize step, outermost, so it sees the final attempts count: one `info` line per call and
 * the redacted input and output at `debug`. Secrets never reach the logger: inputs and outputs
 * go through the model's sensitive-member filter (`inputFilterSensitiveLog` /
 * `outputFilterSensitiveLog` of the context), and errors are summarized by name and status only.
 *
 * The line, in `key=value` form so that it greps and parses:
 * `LambdaMicrovms.RunMicrovm status=200 attempts=1 durationMs=42 requestId=7c1…`, and for a
 * failed call `… status=404 … error=ResourceNotFoundException`.
 */
import type { InitializeMiddleware, Logger, MetadataBearer, Pluggable, ResponseMetadata } from "@smithy/types";

function line(operation: string, started: number, metadata: ResponseMetadata | undefined, errorName?: string): string {
  let text =
    `LambdaMicrovms.${operation} status=${metadata?.httpStatusCode ?? "none"} attempts=${metadata?.attempts ?? 1}` +
    ` durationMs=${Date.now() - started} requestId=${metadata?.requestId ?? "none"}`;
  if (errorName !== undefined) text += ` error=${errorName}`;
  return text;
}

export function loggerMiddleware(logger: Logger): InitializeMiddleware<any, MetadataBearer> {
  return (next, context) => async (args) => {
    const operation = String(context.commandName ?? "").replace(/Command$/, "");
    const started = Date.now();
    logger.debug?.({ operation, input: context.inputFilterSensitiveLog?.(args.input) });
    try {
      const result = await next(args);
      logger.info?.(line(operation, started, result.output.$metadata));
      logger.debug?.({ operation, output: context.outputFilterSensitiveLog?.(result.output) });
      return result;
    } catch (error) {
      const e = error as { name?: unknown; $metadata?: ResponseMetadata };
      logger.info?.(line(operation, started, e.$metadata, typeof e.name === "string" ? e.name : "Error"));
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
