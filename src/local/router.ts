/**
 * From a received request to an operation and its validated, typed input. The wire rules come
 * from the shared protocol tables; this file only maps their failures to service errors.
 */
import type { OperationSchema } from "../protocol/schema";
import type { OperationName } from "../protocol/schema.generated";
import { enumProblems, MalformedRequestError, matchRoute, readInput } from "../protocol/server";
import { describeProblems, validateShape } from "../protocol/validate";
import { LocalServiceError } from "./errors";
import { illFormedStrings } from "./wellFormed";

export interface RoutedRequest {
  readonly operation: OperationSchema;
  readonly name: OperationName;
  readonly input: Record<string, unknown>;
}

export interface ReceivedParts {
  readonly method: string;
  readonly rawPath: string;
  readonly query: Record<string, string[]>;
  readonly headers: Record<string, string | undefined>;
  readonly body: string;
}

/** Throws LocalServiceError for unknown routes, unreadable encodings and invalid input. */
export function route(request: ReceivedParts): RoutedRequest {
  const match = wrap(() => matchRoute(request.method, request.rawPath));
  if (match.kind === "not-found") {
    throw new LocalServiceError("UnknownOperationException", `No operation matches ${request.method} ${request.rawPath}.`, {}, 404);
  }
  if (match.kind === "method-not-allowed") {
    throw new LocalServiceError(
      "MethodNotAllowedException",
      `${request.method} is not allowed on ${request.rawPath}; use ${[...new Set(match.allowed)].join(" or ")}.`,
      {},
      405,
    );
  }
  const { operation } = match;
  const input = wrap(() => readInput(operation, { labels: match.labels, query: request.query, headers: request.headers, body: request.body }));
  const problems = [...validateShape(operation.input, input), ...enumProblems(operation.input, input), ...illFormedStrings(input)];
  if (problems.length > 0) {
    throw new LocalServiceError("ValidationException", `${problems.length} validation error(s) detected: ${describeProblems(problems)}`);
  }
  return { operation, name: operation.name as OperationName, input };
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof MalformedRequestError) {
      throw new LocalServiceError("SerializationException", `The request could not be read: ${error.message}.`, {}, 400);
    }
    throw error;
  }
}
