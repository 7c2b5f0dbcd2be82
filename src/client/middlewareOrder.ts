/**
 * A call's middleware chain without ordering the stack on every call. Ordering a smithy stack
 * (sorting by step and priority, placing relative entries, on a fresh copy made by `concat`)
 * costs more than the rest of a call's own work, and it changes only when the stack does. So the
 * client stack's order is kept and recomputed after `add`, `addRelativeTo`, `remove`,
 * `removeByTag` or `use`.
 *
 * The shortcut is taken only when nobody could tell it from `clientStack.concat(commandStack)
 * .resolve(…)`: the command stack is empty, neither stack logs itself on resolve, and the client
 * stack's `resolve` and `concat` are still smithy's own functions. Tools that observe calls
 * (OpenTelemetry's aws-sdk instrumentation, a hand-applied patch) wrap those two, and then every
 * call goes the official way through them.
 */
import { constructStack } from "@smithy/core/client";
import type { Handler, HandlerExecutionContext, HttpHandlerOptions, MiddlewareStack, MiddlewareType } from "@smithy/types";

type AnyStack = MiddlewareStack<any, any>;
type Factory = (next: Handler<any, any>, context: HandlerExecutionContext) => Handler<any, any>;
/** Chains the kept order around a terminal handler. */
export type FastChain = (terminal: Handler<any, any>, context: HandlerExecutionContext) => Handler<any, any>;

/** The source text of smithy's own stack methods, from a stack made by the same `constructStack`. */
const reference = constructStack<any, any>();
const ORIGINAL_SOURCE = { resolve: String(reference.resolve), concat: String(reference.concat) };
/** Functions already found to be smithy's own (a wrapper never enters this set). */
const pristine = new WeakSet<object>();

function isOriginal(fn: unknown, name: keyof typeof ORIGINAL_SOURCE): boolean {
  if (typeof fn !== "function") return false;
  if (pristine.has(fn)) return true;
  if (String(fn) !== ORIGINAL_SOURCE[name]) return false;
  pristine.add(fn);
  return true;
}

/** The kept chain for this call, or undefined when the call must go through `resolve`. */
export function fastChain(clientStack: AnyStack, commandStack: AnyStack, _options: HttpHandlerOptions | undefined): FastChain | undefined {
  if (commandStack.identify().length !== 0 || commandStack.identifyOnResolve?.() === true) return undefined;
  if (!isOriginal(clientStack.resolve, "resolve") || !isOriginal(clientStack.concat, "concat")) return undefined;
  const ordered = orderedMiddleware(clientStack);
  if (ordered === undefined) return undefined;
  return (terminal, context) => {
    let handler = terminal;
    for (let i = 0; i < ordered.length; i++) handler = ordered[i]!(handler, context);
    return handler;
  };
}

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

/** The middleware of `stack` in the order `stack.resolve` chains them, innermost first. */
function orderedMiddleware(stack: AnyStack): Factory[] | undefined {
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

/** Counts the changes of `stack`, or null when its methods cannot be watched. */
function watch(stack: AnyStack): StackOrder | null {
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
function computeOrder(stack: AnyStack): Factory[] {
  const entries: MiddlewareType<any, any>[] = [];
  const probe = constructStack<any, any>();
  const recorder = {
    add(middleware: MiddlewareType<any, any>, options: object = {}) {
      const standIn = positionRecorder(entries.push(middleware) - 1);
      probe.add(standIn as never, { ...options, middleware: standIn } as never);
    },
    addRelativeTo(middleware: MiddlewareType<any, any>, options: object) {
      const standIn = positionRecorder(entries.push(middleware) - 1);
      probe.addRelativeTo(standIn as never, { ...options, middleware: standIn } as never);
    },
    identifyOnResolve: () => false,
  };
  stack.applyToStack(recorder as unknown as AnyStack);
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
