/** The base of the generated command classes. */
import { Command } from "@smithy/core/client";
import {
  SMITHY_CONTEXT_KEY,
  type Handler,
  type HandlerExecutionContext,
  type HttpHandlerOptions,
  type MetadataBearer,
  type MiddlewareStack,
} from "@smithy/types";
import type { HttpRequest } from "@smithy/protocol-http";
import type { OperationSchema } from "../protocol/schema";
import { redact } from "../protocol/redact";
import type { LambdaMicrovmsResolvedConfig } from "./LambdaMicrovmsClient";

/** The handler context of a call, with the operation's schema for the serde middleware. */
export interface LambdaMicrovmsContext extends HandlerExecutionContext {
  operationSchema: OperationSchema;
}

/**
 * A command: the input of one operation plus what the client needs to send it. Subclasses are
 * generated, one per operation, and only pass their operation's schema.
 */
export abstract class LambdaMicrovmsCommand<Input extends object, Output extends MetadataBearer> extends Command<
  Input,
  Output,
  LambdaMicrovmsResolvedConfig
> {
  /** @internal */
  readonly operation: OperationSchema;

  protected constructor(
    readonly input: Input,
    operation: OperationSchema,
  ) {
    super();
    this.operation = operation;
  }

  /** @internal Builds the handler that runs this command through the client's middleware. */
  resolveMiddleware(
    clientStack: MiddlewareStack<any, any>,
    config: LambdaMicrovmsResolvedConfig,
    options: HttpHandlerOptions | undefined,
  ): Handler<Input, Output> {
    const operation = this.operation;
    const stack = clientStack.concat(this.middlewareStack);
    const context: LambdaMicrovmsContext = {
      logger: config.logger,
      clientName: "LambdaMicrovmsClient",
      commandName: `${operation.name}Command`,
      inputFilterSensitiveLog: (input: unknown) => redact(operation.input, input),
      outputFilterSensitiveLog: (output: unknown) => redact(operation.output, output),
      operationSchema: operation,
      [SMITHY_CONTEXT_KEY]: {
        service: "LambdaMicrovms",
        operation: operation.name,
        commandInstance: this,
        ...(options?.abortSignal ? { abortSignal: options.abortSignal } : {}),
      },
    };
    const requestHandler = config.requestHandler;
    const handlerOptions = options ?? {};
    return stack.resolve(
      (args) => requestHandler.handle(args.request as HttpRequest, handlerOptions),
      context,
    ) as Handler<Input, Output>;
  }
}
