/** The base of the generated command classes. */
import { constructStack } from "@smithy/core/client";
import {
  SMITHY_CONTEXT_KEY,
  type Command as SmithyCommand,
  type Handler,
  type HandlerExecutionContext,
  type HttpHandlerOptions,
  type MetadataBearer,
  type MiddlewareStack,
  type MiddlewareType,
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
 *
 * It implements smithy's `Command` interface (what `client.send`, `aws-sdk-client-mock` and
 * middleware rely on) rather than extending smithy's `Command` class, whose schema-based
 * machinery this client does not use and which would otherwise be in every bundle.
 */
export abstract class LambdaMicrovmsCommand<Input extends object, Output extends MetadataBearer>
  implements SmithyCommand<any, Input, any, Output, LambdaMicrovmsResolvedConfig>
{
  /** Middleware for this command only, run with the client's. */
  middlewareStack: MiddlewareStack<Input, Output> = constructStack<Input, Output>();
  /** @internal */
  readonly operation: OperationSchema;

  protected constructor(
    readonly input: Input,
    operation: OperationSchema,
  ) {
    this.operation = operation;
  }

  /** @internal Builds the handler that runs this command through the client's middleware. */
  resolveMiddleware(
    clientStack: MiddlewareStack<any, any>,
    config: LambdaMicrovmsResolvedConfig,
    options: HttpHandlerOptions | undefined,
  ): Handler<Input, Output> {
    const operation = this.operation;
    const filters = logFilters(operation);
    const smithyContext: Record<string, unknown> = {
      service: "LambdaMicrovms",
      operation: operation.name,
      commandInstance: this,
    };
    if (options?.abortSignal) smithyContext.abortSignal = options.abortSignal;
    const context: LambdaMicrovmsContext = {
      logger: config.logger,
      clientName: "LambdaMicrovmsClient",
      commandName: filters.commandName,
      inputFilterSensitiveLog: filters.input,
      outputFilterSensitiveLog: filters.output,
      operationSchema: operation,
      [SMITHY_CONTEXT_KEY]: smithyContext,
    };
    const requestHandler = config.requestHandler;
    const handlerOptions = options ?? {};
    const terminal = (args: { request: unknown }) => requestHandler.handle(args.request as HttpRequest, handlerOptions);
    const ordered = this.untouchedStack() ? orderedMiddleware(clientStack) : undefined;
    if (ordered === undefined) {
      // The general path: the client's stack plus this command's own middleware, ordered now.
      return clientStack.concat(this.middlewareStack).resolve(terminal as never, context) as Handler<Input, Output>;
    }
    // The same chain as `stack.resolve` builds, from the client stack's ordering kept since its last change.
    let handler = terminal as unknown as Handler<Input, Output>;
    for (let i = 0; i < ordered.length; i++) handler = ordered[i]!(handler, context) as Handler<Input, Output>;
    return handler;
  }

  /** True when nobody added middleware to this command itself (the usual case). */
  private untouchedStack(): boolean {
    const own = this.middlewareStack;
    return own.identify().length === 0 && own.identifyOnResolve?.() !== true;
  }
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

type AnyMiddleware = MiddlewareType<any, any>;
type Factory = (next: Handler<any, any>, context: HandlerExecutionContext) => Handler<any, any>;

/**
 * What is kept per client middleware stack: a version that every change of the stack bumps, and
 * the stack's middleware in resolution order (innermost first) as of `orderedVersion`.
 */
interface StackOrder {
  version: number;
  orderedVersion: number;
  ordered: Factory[];
}
const stackOrders = new WeakMap<object, StackOrder | null>();
const STACK_CHANGES = ["add", "addRelativeTo", "remove", "removeByTag", "use"] as const;

/**
 * The middleware of `stack` in the order `stack.resolve` would chain them, innermost first, or
 * undefined when it cannot be kept (a stack that logs itself on resolve, or that cannot be
 * watched for changes). Ordering a stack (sorting by step and priority, placing relative
 * entries) is the costliest part of a call's setup, so it is done again only after the stack
 * changed: `add`, `addRelativeTo`, `remove`, `removeByTag` and `use` bump the version.
 */
function orderedMiddleware(stack: MiddlewareStack<any, any>): Factory[] | undefined {
  if (stack.identifyOnResolve?.() === true) return undefined;
  let order = stackOrders.get(stack);
  if (order === undefined) {
    order = watch(stack);
    stackOrders.set(stack, order);
  }
  if (order === null) return undefined;
  if (order.orderedVersion !== order.version) {
    order.ordered = computeOrder(stack);
    order.orderedVersion = order.version;
  }
  return order.ordered;
}

function watch(stack: MiddlewareStack<any, any>): StackOrder | null {
  const methods = stack as unknown as Record<string, unknown>;
  if (!Object.isExtensible(stack)) return null;
  for (const name of STACK_CHANGES) {
    const descriptor = Object.getOwnPropertyDescriptor(stack, name);
    if (typeof methods[name] !== "function" || (descriptor && !descriptor.writable && !descriptor.set)) return null;
  }
  const order: StackOrder = { version: 0, orderedVersion: -1, ordered: [] };
  for (const name of STACK_CHANGES) {
    const original = methods[name] as (...args: unknown[]) => unknown;
    methods[name] = function (this: unknown, ...args: unknown[]) {
      order.version++;
      return original.apply(this, args);
    };
  }
  return order;
}

/**
 * Lets smithy's own stack do the ordering: the entries are copied into a fresh stack with
 * stand-ins that record their position when that stack resolves, so the order (steps,
 * priorities, relative placement, overrides, errors for a missing anchor) is exactly the one
 * `resolve` gives.
 */
function computeOrder(stack: MiddlewareStack<any, any>): Factory[] {
  const entries: AnyMiddleware[] = [];
  const probe = constructStack<any, any>();
  const recorder = {
    add(middleware: AnyMiddleware, options: object = {}) {
      const standIn = positionRecorder(entries.push(middleware) - 1);
      probe.add(standIn as never, { ...options, middleware: standIn } as never);
    },
    addRelativeTo(middleware: AnyMiddleware, options: object) {
      const standIn = positionRecorder(entries.push(middleware) - 1);
      probe.addRelativeTo(standIn as never, { ...options, middleware: standIn } as never);
    },
    identifyOnResolve: () => false,
  };
  stack.applyToStack(recorder as unknown as MiddlewareStack<any, any>);
  const positions: number[] = [];
  probe.resolve((() => undefined) as never, positions as never);
  return positions.map((i) => entries[i] as unknown as Factory);
}

function positionRecorder(index: number): Factory {
  return (next, positions) => {
    (positions as unknown as number[]).push(index);
    return next;
  };
}
