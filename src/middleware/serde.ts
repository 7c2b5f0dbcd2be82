/** Serialize and deserialize steps: restJson1 to and from the HTTP messages. */
import { HttpRequest, HttpResponse } from "@smithy/core/transport";
import type {
  DeserializeMiddleware,
  MetadataBearer,
  Pluggable,
  SerializeMiddleware,
  StreamCollector,
} from "@smithy/types";
import type { LambdaMicrovmsContext } from "../client/command";
import { serializeRequest } from "../protocol/serialize";
import { deserializeError, deserializeOutput, responseMetadata } from "../protocol/deserialize";
import type { Target } from "../client/config";
import { readBody } from "../platform/body";
import { utf8Text } from "../platform/runtime";

/** The parts of an endpoint URL a request needs, worked out once per resolved endpoint. */
interface EndpointParts {
  protocol: string;
  hostname: string;
  port: number | undefined;
  basePath: string;
}
const endpointParts = new WeakMap<Target, EndpointParts>();
function partsOf(endpoint: Target): EndpointParts {
  let parts = endpointParts.get(endpoint);
  // Stryker disable next-line ConditionalExpression: working the parts out again gives the same parts
  if (parts === undefined) {
    const url = endpoint.url;
    parts = {
      protocol: url.protocol,
      // IPv6 literals keep their brackets, as in the official client: the Host header needs them,
      // and the transports take them off to connect.
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      basePath: url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : url.pathname,
    };
    endpointParts.set(endpoint, parts);
  }
  return parts;
}

export function serializerMiddleware(endpoint: () => Promise<Target>): SerializeMiddleware<any, any> {
  return (next, context) => async (args) => {
    const { protocol, hostname, port, basePath } = partsOf(await endpoint());
    const operation = (context as LambdaMicrovmsContext).operationSchema;
    const wire = serializeRequest(operation, args.input as Record<string, unknown>);
    const request = new HttpRequest({
      protocol,
      hostname,
      port,
      method: wire.method,
      path: basePath + wire.path,
      query: wire.query,
      headers: wire.headers,
      body: wire.body,
    });
    return next({ ...args, request });
  };
}

/**
 * The deserialize step. A `streamCollector` given in the client options reads streamed bodies
 * (from a handler passed in); otherwise they are read here.
 */
export const deserializerMiddleware = (collect?: StreamCollector): DeserializeMiddleware<any, any> => (next, context) => async (args) => {
  const { response } = await next(args);
  const res = response as HttpResponse;
  const body: unknown = res.body;
  const text = collect && body != null && typeof body !== "string" && !(body instanceof Uint8Array) ? utf8Text(await collect(body)) : await readBody(body);
  const headers = res.headers as Record<string, string | undefined>;
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const error = deserializeError(res.statusCode, headers, text);
    // As the official client defines it: not enumerable (logging the error must not dump every
    // header and the body), and fixed.
    Object.defineProperty(error, "$response", {
      value: new HttpResponse({ statusCode: res.statusCode, headers: res.headers, body: text }),
      enumerable: false,
      writable: false,
      configurable: false,
    });
    throw error;
  }
  const operation = (context as LambdaMicrovmsContext).operationSchema;
  const output = deserializeOutput(operation, res.statusCode, headers, text) as unknown as MetadataBearer;
  output.$metadata = responseMetadata(res.statusCode, headers);
  return { response, output };
};

export function getSerdePlugin(endpoint: () => Promise<Target>, collect?: StreamCollector): Pluggable<any, any> {
  return {
    applyToStack(stack) {
      stack.add(serializerMiddleware(endpoint), { step: "serialize", tags: ["SERIALIZER"], name: "serializerMiddleware", override: true });
      stack.add(deserializerMiddleware(collect), { step: "deserialize", tags: ["DESERIALIZER"], name: "deserializerMiddleware", override: true });
    },
  };
}
