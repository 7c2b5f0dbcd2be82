/**
 * Response reading as functions: outputs over a synthetic operation (header members of every
 * kind, unions, dense collections, a recursive shape), and errors over the real model.
 */
import { describe, expect, it } from "vitest";
import { registerShapes, type OperationSchema, type ShapeSchema } from "../../src/protocol/schema";
import { DeserializationError, deserializeError, deserializeOutput, errorCode, fromJsonValue, parseJsonObject, responseMetadata } from "../../src/protocol/deserialize";
import { LambdaMicrovmsServiceException, ResourceNotFoundException, ThrottlingException } from "../../src/index";

const table: Record<string, ShapeSchema> = {
  DT_Text: { type: "string" },
  DT_Secret: { type: "string", sensitive: true },
  DT_Int: { type: "integer" },
  DT_Flag: { type: "boolean" },
  DT_Time: { type: "timestamp" },
  DT_Times: { type: "list", member: "DT_Time" },
  DT_Texts: { type: "list", member: "DT_Text" },
  DT_TimeMap: { type: "map", key: "DT_Text", value: "DT_Time" },
  DT_Choice: { type: "structure", members: { a: { shape: "DT_Text" }, at: { shape: "DT_Time" } }, union: true },
  DT_Node: { type: "structure", members: { name: { shape: "DT_Text" }, next: { shape: "DT_Node" } } },
  DT_Item: { type: "structure", members: { when: { shape: "DT_Time" } } },
  DT_Items: { type: "list", member: "DT_Item" },
  DT_Out: {
    type: "structure",
    members: {
      id: { shape: "DT_Text" },
      count: { shape: "DT_Int", location: "header", locationName: "X-Count" },
      ok: { shape: "DT_Flag", location: "header", locationName: "X-Ok" },
      stamp: { shape: "DT_Time", location: "header", locationName: "X-At" },
      label: { shape: "DT_Text", location: "header", locationName: "X-Label" },
      when: { shape: "DT_Time" },
      times: { shape: "DT_Times" },
      texts: { shape: "DT_Texts" },
      byName: { shape: "DT_TimeMap" },
      choice: { shape: "DT_Choice" },
      node: { shape: "DT_Node" },
      items: { shape: "DT_Items" },
    },
  },
  DT_SecretOut: { type: "structure", members: { token: { shape: "DT_Secret" }, at: { shape: "DT_Time" } } },
};
registerShapes(table);

const op: OperationSchema = { name: "Dt", method: "GET", uri: "/dt", successCode: 200, input: "DT_Out", output: "DT_Out" };
const secretOp: OperationSchema = { ...op, name: "DtSecret", output: "DT_SecretOut" };
const read = (body: unknown, headers: Record<string, string> = {}) => deserializeOutput(op, 200, headers, typeof body === "string" ? body : JSON.stringify(body));
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as DeserializationError;
  }
  throw new Error("did not throw");
};

describe("deserializeOutput", () => {
  it("reads header members by type, trimmed; a number that does not parse is dropped", () => {
    expect(read({}, { "x-count": " 42 ", "X-Ok": " true ", "x-at": " Tue, 02 Jan 2024 03:04:05 GMT", "x-label": " as is " })).toEqual({
      count: 42,
      ok: true,
      stamp: new Date("2024-01-02T03:04:05Z"),
      label: " as is ",
    });
    expect(read({}, { "x-count": "4x", "x-ok": "yes" })).toEqual({ ok: false });
    expect(read({}, { "x-ok": "false" })).toEqual({ ok: false });
    expect(read({})).toEqual({});
  });

  it("keeps nulls in lists and maps, drops null members, reads nested and recursive shapes", () => {
    expect(
      read({ id: null, times: [1, null], texts: ["a", null], byName: { a: 2, b: null }, node: { name: "a", next: { name: "b", next: { name: "c" } } }, items: [{ when: 3 }] }),
    ).toEqual({
      times: [new Date(1000), null],
      texts: ["a", null],
      byName: { a: new Date(2000), b: null },
      node: { name: "a", next: { name: "b", next: { name: "c" } } },
      items: [{ when: new Date(3000) }],
    });
  });

  it("drops values of the wrong JSON type instead of misreading them", () => {
    expect(read({ node: [1, 2], items: { 0: { when: 1 } }, byName: ["x"], choice: "a", times: "x" })).toEqual({});
    expect(read({ node: "x", byName: null, choice: null })).toEqual({});
    expect(fromJsonValue("DT_Node", null)).toBeUndefined();
    expect(fromJsonValue("DT_Node", undefined)).toBeUndefined();
  });

  it("keeps a union's known member and turns an unknown one into $unknown", () => {
    expect(read({ choice: { at: 5 } })).toEqual({ choice: { at: new Date(5000) } });
    expect(read({ choice: { later: { x: 1 } } })).toEqual({ choice: { $unknown: ["later", { x: 1 }] } });
    expect(read({ choice: { later: null, a: "x" } })).toEqual({ choice: { a: "x" } });
  });

  it("an empty body is an empty output", () => {
    expect(read("   ")).toEqual({});
  });

  it("a value that cannot stand for its shape fails naming where it sits and the request id", () => {
    const error = failure(() => read({ items: [{ when: 1 }, { when: "soon" }] }, { "x-amzn-requestid": "r-1" }));
    expect(error).toBeInstanceOf(DeserializationError);
    expect(error.name).toBe("DeserializationError");
    expect(error.message).toBe("Could not read the Dt response (HTTP 200, request id r-1): items[1].when is not a timestamp (epoch seconds, RFC 3339 or HTTP date)");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 200, requestId: "r-1" });
    expect(failure(() => read({ byName: { k: "x" } })).message).toBe("Could not read the Dt response (HTTP 200, request id none): byName.k is not a timestamp (epoch seconds, RFC 3339 or HTTP date)");
    expect(failure(() => read({}, { "x-at": "soon" })).message).toMatch(/: X-At is not a timestamp/);
    expect(failure(() => read({ choice: { at: "x" } })).message).toMatch(/: choice\.at is not a timestamp/);
  });

  it("a body that is not a JSON object fails without quoting it, keeping its start (not for sensitive outputs)", () => {
    const long = `{"id": ${"x".repeat(1500)}`;
    const bad = failure(() => read(long));
    expect(bad.message).toBe("Could not parse the Dt response (HTTP 200, request id none): the body is not valid JSON");
    expect(bad.body).toBe(long.slice(0, 1000));
    expect(failure(() => read("[1]")).message).toBe("Could not parse the Dt response (HTTP 200, request id none): the body is not a JSON object");
    expect(failure(() => read("null")).message).toMatch(/the body is not a JSON object$/);
    expect(failure(() => read('"text"')).message).toMatch(/the body is not a JSON object$/);
    const secret = failure(() => deserializeOutput(secretOp, 200, {}, '{"token": oops'));
    expect(secret.body).toBe("***SensitiveInformation*** (14 characters)");
    const secretBad = failure(() => deserializeOutput(secretOp, 200, {}, '{"token":"t","at":"x"}'));
    expect(secretBad.message).toMatch(/: at is not a timestamp/);
    expect(secretBad.body).toBe("***SensitiveInformation*** (22 characters)");
    expect(failure(() => read('{"when":"x"}')).body).toBe('{"when":"x"}');
  });
});

describe("the pieces of an answer", () => {
  it("parseJsonObject takes objects only", () => {
    expect(parseJsonObject(' {"a":1} ')).toEqual({ a: 1 });
    expect(parseJsonObject("\n")).toEqual({});
    expect(() => parseJsonObject("[]")).toThrow("the body is not a JSON object");
    expect(() => parseJsonObject("{")).toThrow(SyntaxError);
  });

  it("responseMetadata finds the request id under each of its header names, and keeps absent keys", () => {
    expect(responseMetadata(200, { "x-amzn-requestid": "a", "x-amzn-request-id": "b", "x-amz-request-id": "c" }).requestId).toBe("a");
    expect(responseMetadata(200, { "x-amzn-request-id": "b", "x-amz-request-id": "c" }).requestId).toBe("b");
    expect(responseMetadata(200, { "X-Amz-Request-Id": "c" }).requestId).toBe("c");
    expect(responseMetadata(201, { "x-amz-id-2": "ext", "x-amz-cf-id": "cf" })).toEqual({ httpStatusCode: 201, requestId: undefined, extendedRequestId: "ext", cfId: "cf" });
    expect(Object.keys(responseMetadata(200, {}))).toEqual(["httpStatusCode", "requestId", "extendedRequestId", "cfId"]);
  });

  it("errorCode strips a namespace and a URL suffix, and ignores what is not a name", () => {
    expect(errorCode({ "x-amzn-errortype": "ValidationException:http://internal.amazon.com/" }, {})).toBe("ValidationException");
    expect(errorCode({}, { __type: "com.amazonaws.lambda#ThrottlingException" })).toBe("ThrottlingException");
    expect(errorCode({}, { __type: "aws#Foo:bar" })).toBe("Foo");
    expect(errorCode({}, { Code: "Plain" })).toBe("Plain");
    expect(errorCode({}, { code: "" })).toBeUndefined();
    expect(errorCode({}, { code: 5 })).toBeUndefined();
    expect(errorCode({}, {})).toBeUndefined();
  });
});

describe("deserializeError", () => {
  it("a modeled error: its class, members (header ones too), message, and the body's other fields", () => {
    const error = deserializeError(429, { "x-amzn-requestid": "r", "retry-after": "7" }, JSON.stringify({ __type: "ThrottlingException", serviceCode: "lambda", extra: 1, Message: "ignored twice", message: "slow" }));
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error).toMatchObject({ name: "ThrottlingException", $fault: "client", message: "slow", serviceCode: "lambda", retryAfterSeconds: 7, extra: 1, $metadata: { httpStatusCode: 429, requestId: "r" } });
    expect(Object.keys(error)).not.toContain("Message");
    expect(Object.keys(error)).toContain("quotaCode");
  });

  it("takes Message when there is no message, and falls back when neither is a non-empty string", () => {
    expect(deserializeError(404, { "x-amzn-errortype": "ResourceNotFoundException" }, '{"Message":"gone"}').message).toBe("gone");
    expect(deserializeError(404, { "x-amzn-errortype": "ResourceNotFoundException" }, '{"message":""}').message).toBe("UnknownError");
    expect(deserializeError(404, { "x-amzn-errortype": "ResourceNotFoundException" }, '{"message":5}').message).toBe("UnknownError");
    expect(deserializeError(404, { "x-amzn-errortype": "ResourceNotFoundException" }, '{"message":"","Message":"m"}').message).toBe("UnknownError");
  });

  it("the body's other fields do not overwrite what the error has, unless it is empty", () => {
    const error = deserializeError(404, { "x-amzn-errortype": "ResourceNotFoundException" }, JSON.stringify({ message: "m", resourceId: "r-1", name: "Impostor", $fault: "server" }));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ name: "ResourceNotFoundException", $fault: "client", resourceId: "r-1" });
  });

  it("an error the model does not have keeps its code as its name, and its fault follows the status", () => {
    const server = deserializeError(503, { "x-amzn-errortype": "ServiceUnavailable" }, '{"message":"busy","hint":"later"}');
    expect(server).toBeInstanceOf(LambdaMicrovmsServiceException);
    expect(server).toMatchObject({ name: "ServiceUnavailable", $fault: "server", message: "busy", hint: "later" });
    expect(Object.keys(server).at(-1)).toBe("message");
    expect(deserializeError(500, {}, "{}")).toMatchObject({ name: "Unknown", $fault: "server", message: "UnknownError" });
    expect(deserializeError(499, {}, "{}").$fault).toBe("client");
  });

  it("a body that is not JSON gives a message with the status, never the body", () => {
    const error = deserializeError(502, { "x-amzn-errortype": "BadGateway" }, "<html>secret page</html>");
    expect(error).toMatchObject({ name: "BadGateway", $fault: "server", message: "HTTP 502: the body is not JSON" });
    expect(JSON.stringify(error)).not.toContain("secret page");
  });
});
