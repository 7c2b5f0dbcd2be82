/** Serialize and deserialize steps: restJson1 to and from the HTTP messages. */
import { HttpRequest, HttpResponse } from "@smithy/protocol-http";
import type {
  DeserializeMiddleware,
  MetadataBearer,
  Pluggable,
  SerializeMiddleware,
} from "@smithy/types";
import type { LambdaMicrovmsContext } from "../client/command";
import { serializeRequest } from "../protocol/serialize";
import { deserializeError, deserializeOutput, responseMetadata } from "../protocol/deserialize";
import type { ResolvedEndpoint } from "../client/config";

/** Reads a response body (stream, bytes or text) as UTF-8 text. */
export async function readBody(body: unknown): Promise<string> {
  if (body == null) return "";
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function serializerMiddleware(endpoint: () => Promise<ResolvedEndpoint>): SerializeMiddleware<any, any> {
  return (next, context) => async (args) => {
    const { url } = await endpoint();
    const operation = (context as LambdaMicrovmsContext).operationSchema;
    const wire = serializeRequest(operation, args.input as Record<string, unknown>);
    const basePath = url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : url.pathname;
    const request = new HttpRequest({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port ? Number(url.port) : undefined,
      method: wire.method,
      path: basePath + wire.path,
      query: wire.query,
      headers: wire.headers,
      body: wire.body,
    });
    return next({ ...args, request });
  };
}

export const deserializerMiddleware: DeserializeMiddleware<any, any> = (next, context) => async (args) => {
  const { response } = await next(args);
  const res = response as HttpResponse;
  const text = await readBody(res.body);
  const headers = res.headers as Record<string, string | undefined>;
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const error = deserializeError(res.statusCode, headers, text);
    (error as { $response?: unknown }).$response = new HttpResponse({ statusCode: res.statusCode, headers: res.headers, body: text });
    throw error;
  }
  const operation = (context as LambdaMicrovmsContext).operationSchema;
  const output = deserializeOutput(operation, res.statusCode, headers, text) as unknown as MetadataBearer;
  output.$metadata = responseMetadata(res.statusCode, headers);
  return { response, output };
};

export function getSerdePlugin(endpoint: () => Promise<ResolvedEndpoint>): Pluggable<any, any> {
  return {
    applyToStack(stack) {
      stack.add(serializerMiddleware(endpoint), { step: "serialize", name: "serializerMiddleware", override: true });
      stack.add(deserializerMiddleware, { step: "deserialize", name: "deserializerMiddleware", override: true });
    },
  };
}
