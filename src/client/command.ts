/** The base of the generated command classes: smithy's `Command`, as the official client's are. */
import { Command as $Command } from "@smithy/core/client";
import {
  SMITHY_CONTEXT_KEY,
  type EndpointParameterInstructions,
  type Handler,
  type HandlerExecutionContext,
  type HttpHandlerOptions,
  type MetadataBearer,
  type MiddlewareStack,
} from "@smithy/types";
import { registerShapes, type OperationSchema } from "../protocol/schema";
import { redact } from "../protocol/redact";
import type { LambdaMicrovmsClientResolvedConfig } from "./configTypes";
import type { ServiceInputTypes, ServiceOutputTypes } from "./serviceTypes.generated";
import { fastChain } from "./middlewareOrder";

export { $Command };

/** The handler context of a call, with the operation's schema for the serde middleware. */
export interface LambdaMicrovmsContext extends HandlerExecutionContext {
  operationSchema: OperationSchema;
}

/**
 * The operation each command sends, kept outside the instance so that a command's type is the
 * official command's type, member for member.
 */
const operationOf = new WeakMap<object, OperationSchema>();

/** The endpoint rule parameters every command takes from the client configuration. */
const ENDPOINT_PARAMETERS: EndpointParameterInstructions = {
  UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
  Endpoint: { type: "builtInParams", name: "endpoint" },
  Region: { type: "builtInParams", name: "region" },
  UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
};

/**
 * A command: the input of one operation plus what the client needs to send it. Subclasses are
 * generated, one per operation, and only pass their operation's schema. It is a smithy
 * `Command`, so `instanceof $Command`, `resolveMiddlewareWithContext` and the tools that patch
 * smithy's classes see it as they see the official client's commands.
 */
export abstract class LambdaMicrovmsCommand<Input extends ServiceInputTypes, Output extends ServiceOutputTypes> extends $Command<
  Input,
  Output,
  LambdaMicrovmsClientResolvedConfig,
  ServiceInputTypes,
  ServiceOutputTypes
> {
  readonly input: Input;

  /** The endpoint rule parameters, as the official commands report them. */
  static getEndpointParameterInstructions(): EndpointParameterInstructions {
    return ENDPOINT_PARAMETERS;
  }

  protected constructor(input: Input | undefined, operation: OperationSchema) {
    super();
    this.input = input ?? ({} as Input);
    operationOf.set(this, operation);
    registerShapes(operation.shapes);
  }

  /**
   * Builds the handler that runs this command through the client's middleware. The official
   * path (`clientStack.concat(commandStack).resolve(…)` through `resolveMiddlewareWithContext`)
   * is taken whenever anyone could observe the difference: the command has middleware of its
   * own, the stack logs itself, or `resolve`/`concat` were wrapped (tracing tools do this).
   * Otherwise the same chain is built from the order kept since the stack last changed, which
   * saves ordering the stack on every call.
   */
  resolveMiddleware(
    clientStack: MiddlewareStack<ServiceInputTypes, ServiceOutputTypes>,
    config: LambdaMicrovmsClientResolvedConfig,
    options: HttpHandlerOptions | undefined,
  ): Handler<Input, Output> {
    const operation = operationOf.get(this)!;
    const filters = logFilters(operation);
    const context = {
      clientName: "LambdaMicrovmsClient",
      commandName: filters.commandName,
      inputFilterSensitiveLog: filters.input,
      outputFilterSensitiveLog: filters.output,
      smithyContext: { service: "LambdaMicrovms", operation: operation.name },
      additionalContext: { operationSchema: operation } as HandlerExecutionContext,
    };
    const fast = fastChain(clientStack, this.middlewareStack, options);
    if (fast === undefined) {
      return this.resolveMiddlewareWithContext(clientStack, config, options, {
        ...context,
        middlewareFn: noMiddleware,
        CommandCtor: this.constructor,
      }) as Handler<Input, Output>;
    }
    // The context resolveMiddlewareWithContext makes, key for key.
    const handlerContext: LambdaMicrovmsContext = {
      logger: config.logger,
      clientName: context.clientName,
      commandName: context.commandName,
      inputFilterSensitiveLog: context.inputFilterSensitiveLog,
      outputFilterSensitiveLog: context.outputFilterSensitiveLog,
      operationSchema: operation,
      [SMITHY_CONTEXT_KEY]: smithyContextOf(this, context.smithyContext, options),
    };
    const requestHandler = config.requestHandler;
    const requestOptions = requestOptionsOf(options);
    const terminal = ((args: { request: unknown }) => requestHandler.handle(args.request, requestOptions)) as unknown as Handler<Input, Output>;
    return fast(terminal, handlerContext) as Handler<Input, Output>;
  }
}

const noMiddleware = (): [] => [];

function smithyContextOf(command: object, base: Record<string, unknown>, options: HttpHandlerOptions | undefined): Record<string, unknown> {
  const smithyContext: Record<string, unknown> = { commandInstance: command, ...base };
  const extra = options as { metricsRecorder?: unknown } | undefined;
  if (extra?.metricsRecorder !== undefined) smithyContext.metricsRecorder = extra.metricsRecorder;
  if (options?.abortSignal !== undefined) smithyContext.abortSignal = options.abortSignal;
  return smithyContext;
}

/** The options the handler gets: the call's, without the metrics recorder (as smithy does). */
function requestOptionsOf(options: HttpHandlerOptions | undefined): HttpHandlerOptions {
  const given = (options ?? {}) as HttpHandlerOptions & { metricsRecorder?: unknown };
  if (given.metricsRecorder === undefined) return given;
  const { metricsRecorder: _recorder, ...rest } = given;
  return rest;
}

/** The log filters and command name of an operation, made once per operation rather than per call. */
interface LogFilters {
  commandName: string;
  input: (input: unknown) => unknown;
  output: (output: unknown) => unknown;
}
const logFiltersByOperation = new WeakMap<OperationSchema, LogFilters>();
function logFilters(operation: OperationSchema): LogFilters {
  let filters = logFiltersByOperation.get(operation);
  if (filters === undefined) {
    filters = {
      commandName: `${operation.name}Command`,
      input: (input: unknown) => redact(operation.input, input),
      output: (output: unknown) => redact(operation.output, output),
    };
    logFiltersByOperation.set(operation, filters);
  }
  return filters;
}

export type { MetadataBearer };
