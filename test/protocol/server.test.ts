/**
 * The server half of restJson1 as functions, over a synthetic operation that uses every kind of
 * bound member (the service's own model leaves some unused: booleans and timestamps in the query,
 * input headers), and over the real model for routing and errors.
 */
import { describe, expect, it } from "vitest";
import { registerShapes, type OperationSchema, type ShapeSchema } from "../../src/protocol/schema";
import { enumProblems, inputFromJson, MalformedRequestError, matchRoute, parseQuery, readInput, writeError, writeOutput } from "../../src/protocol/server";

const table: Record<string, ShapeSchema> = {
  ST_Text: { type: "string" },
  ST_Int: { type: "integer" },
  ST_Long: { type: "long" },
  ST_Flag: { type: "boolean" },
  ST_Time: { type: "timestamp" },
  ST_Color: { type: "string", enum: ["RED", "BLUE"] },
  ST_Colors: { type: "list", member: "ST_Color" },
  ST_Ints: { type: "list", member: "ST_Int" },
  ST_Times: { type: "list", member: "ST_Time" },
  ST_ColorMap: { type: "map", key: "ST_Text", value: "ST_Time" },
  ST_Choice: { type: "structure", members: { color: { shape: "ST_Color" }, count: { shape: "ST_Int" } }, union: true },
  ST_Nested: { type: "structure", members: { color: { shape: "ST_Color" }, colors: { shape: "ST_Colors" }, choice: { shape: "ST_Choice" } } },
  ST_Input: {
    type: "structure",
    members: {
      id: { shape: "ST_Text", location: "uri", locationName: "Id" },
      n: { shape: "ST_Int", location: "querystring", locationName: "n" },
      big: { shape: "ST_Long", location: "querystring", locationName: "big" },
      flag: { shape: "ST_Flag", location: "querystring", locationName: "flag" },
      since: { shape: "ST_Time", location: "querystring", locationName: "since" },
      ints: { shape: "ST_Ints", location: "querystring", locationName: "int" },
      trace: { shape: "ST_Text", location: "header", locationName: "X-Trace-Id" },
      count: { shape: "ST_Int", location: "header", locationName: "X-Count" },
      at: { shape: "ST_Time" },
      times: { shape: "ST_Times" },
      byName: { shape: "ST_ColorMap" },
      nested: { shape: "ST_Nested" },
      choice: { shape: "ST_Choice" },
    },
  },
  ST_Output: { type: "structure", members: { id: { shape: "ST_Text" }, at: { shape: "ST_Time" }, etag: { shape: "ST_Text", location: "header", locationName: "ETag" } } },
};
registerShapes(table);

const operation: OperationSchema = { name: "St", method: "POST", uri: "/st/{Id}", successCode: 200, input: "ST_Input", output: "ST_Output" };
const parts = (over: Partial<Parameters<typeof readInput>[1]> = {}) => ({ labels: {}, query: Object.create(null) as Record<string, string[]>, headers: {}, body: "", ...over });

describe("parseQuery", () => {
  it("decodes keys and values, keeps repeated keys, a key without = as empty, and + as a plus", () => {
    const q = parseQuery("a=1&a=2&b&c=x%20y+z&&d=&=e&f=g=h");
    expect({ ...q }).toEqual({ a: ["1", "2"], b: [""], c: ["x y+z"], d: [""], "": ["e"], f: ["g=h"] });
    expect(Object.keys(parseQuery(""))).toEqual([]);
    expect(Object.getPrototypeOf(parseQuery("__proto__=1"))).toBeNull();
    expect(parseQuery("__proto__=1&constructor=2")).toMatchObject({ __proto__: ["1"], constructor: ["2"] });
  });

  it("refuses a bad percent-escape as a malformed request", () => {
    expect(() => parseQuery("a=%E0%A4%A")).toThrow(new MalformedRequestError("the request path has an invalid percent-encoding"));
    expect(() => parseQuery("%zz=1")).toThrow(MalformedRequestError);
    try {
      parseQuery("%");
    } catch (e) {
      expect((e as Error).name).toBe("MalformedRequestError");
    }
  });
});

describe("readInput", () => {
  it("reads labels, typed query values, headers and the JSON body", () => {
    const input = readInput(
      operation,
      parts({
        labels: { Id: "my id" },
        query: Object.assign(Object.create(null), { n: ["-12"], big: ["9007199254740991"], flag: ["true"], since: ["1700000000.5"], int: ["1", "x"] }),
        headers: { "x-trace-id": "t-1", "x-count": "3" },
        body: JSON.stringify({ at: 1_700_000_000, times: [1, "2024-01-01T00:00:00Z"], byName: { a: 2 }, nested: { color: "RED" }, id: "ignored: bound to the path", __proto__: 1 }),
      }),
    );
    expect(input).toEqual({
      id: "my id",
      n: -12,
      big: 9007199254740991,
      flag: true,
      since: new Date(1_700_000_000_500),
      ints: [1, "x"],
      trace: "t-1",
      count: 3,
      at: new Date(1_700_000_000_000),
      times: [new Date(1000), "2024-01-01T00:00:00Z"],
      byName: { a: new Date(2000) },
      nested: { color: "RED" },
    });
  });

  it("keeps query text that does not parse as the member's type, for validation to name", () => {
    const q = (query: Record<string, string[]>) => readInput(operation, parts({ query: Object.assign(Object.create(null), query) }));
    expect(q({ n: ["1.5"] }).n).toBe("1.5");
    expect(q({ n: ["12abc"] }).n).toBe("12abc");
    expect(q({ n: ["abc12"] }).n).toBe("abc12");
    expect(q({ big: [" 1"] }).big).toBe(" 1");
    expect(q({ flag: ["false"] }).flag).toBe(false);
    expect(q({ flag: ["TRUE"] }).flag).toBe("TRUE");
    expect(q({ since: ["soon"] }).since).toBe("soon");
    expect(q({ n: ["1", "2"] }).n).toBe(1);
    expect(q({}).n).toBeUndefined();
    expect("n" in q({})).toBe(false);
    expect("trace" in readInput(operation, parts())).toBe(false);
    expect("id" in readInput(operation, parts())).toBe(false);
  });

  it("refuses a body that is not JSON, or not a JSON object; an empty body is no members", () => {
    expect(() => readInput(operation, parts({ body: "{" }))).toThrow(new MalformedRequestError("the request body is not valid JSON"));
    for (const body of ["[]", "null", "1", '"x"']) {
      expect(() => readInput(operation, parts({ body }))).toThrow(new MalformedRequestError("the request body must be a JSON object"));
    }
    expect(readInput(operation, parts({ body: "  \n" }))).toEqual({});
  });
});

describe("inputFromJson", () => {
  it("keeps values of the wrong JSON type as they are, so that validation names them", () => {
    expect(inputFromJson("ST_Time", "x")).toBe("x");
    expect(inputFromJson("ST_Times", "x")).toBe("x");
    expect(inputFromJson("ST_ColorMap", [1])).toEqual([1]);
    expect(inputFromJson("ST_ColorMap", "x")).toBe("x");
    expect(inputFromJson("ST_Nested", [1])).toEqual([1]);
    expect(inputFromJson("ST_Nested", 5)).toBe(5);
    expect(inputFromJson("ST_Unknown", { a: 1 })).toEqual({ a: 1 });
    expect(inputFromJson("ST_Text", null)).toBeUndefined();
    expect(inputFromJson("ST_Text", undefined)).toBeUndefined();
  });

  it("drops null members, and reports an unknown union member as $unknown", () => {
    expect(inputFromJson("ST_Nested", { color: null, colors: ["RED"] })).toEqual({ colors: ["RED"] });
    expect(inputFromJson("ST_Choice", { count: 1, shade: "dark" })).toEqual({ count: 1, $unknown: ["shade", "dark"] });
    expect(inputFromJson("ST_Choice", { shade: null })).toEqual({});
    expect(inputFromJson("ST_Nested", { shade: "dark" })).toEqual({});
  });
});

describe("enumProblems", () => {
  it("names enum values outside the model and unknown union members, with their paths", () => {
    const input = inputFromJson("ST_Input", {
      nested: { color: "GREEN", colors: ["RED", "PINK"], choice: { shade: 1 } },
      choice: { color: "BLACK" },
    });
    expect(enumProblems("ST_Input", input)).toEqual([
      { path: "nested.color", message: "must be one of RED, BLUE" },
      { path: "nested.colors[1]", message: "must be one of RED, BLUE" },
      { path: "nested.choice", message: 'has no member "shade"' },
      { path: "choice.color", message: "must be one of RED, BLUE" },
    ]);
  });

  it("at the top level the path is `input`; valid, missing and unknown-shape values have none", () => {
    expect(enumProblems("ST_Color", "GREEN")).toEqual([{ path: "input", message: "must be one of RED, BLUE" }]);
    expect(enumProblems("ST_Choice", { $unknown: ["x", 1] })).toEqual([{ path: "input", message: 'has no member "x"' }]);
    expect(enumProblems("ST_Color", "RED")).toEqual([]);
    expect(enumProblems("ST_Color", null)).toEqual([]);
    expect(enumProblems("ST_Color", undefined)).toEqual([]);
    expect(enumProblems("ST_Unknown", "GREEN")).toEqual([]);
    expect(enumProblems("ST_Text", "anything")).toEqual([]);
    expect(enumProblems("ST_Colors", "GREEN")).toEqual([]);
    expect(enumProblems("ST_Color", 5)).toEqual([]);
    expect(enumProblems("ST_Nested", ["GREEN"])).toEqual([]);
    expect(enumProblems("ST_Nested", { other: "GREEN", $unknown: ["x", 1] })).toEqual([]);
    expect(enumProblems("ST_Ints", [1, 2])).toEqual([]);
  });
});

describe("writing answers", () => {
  it("an output: its status, header members, and the rest as JSON", () => {
    expect(writeOutput(operation, { id: "a", at: new Date(1500), etag: "e-1" })).toEqual({
      status: 200,
      headers: { ETag: "e-1", "content-type": "application/json" },
      body: '{"id":"a","at":1.5}',
    });
    expect(writeOutput(operation, { id: "a", etag: null })).toEqual({ status: 200, headers: { "content-type": "application/json" }, body: '{"id":"a"}' });
    expect(writeOutput({ ...operation, successCode: 204 }, { etag: "e" })).toEqual({ status: 204, headers: { ETag: "e" } });
  });

  it("a modeled error: its status, type header, header members and body", () => {
    expect(writeError("ThrottlingException", { message: "slow down", retryAfterSeconds: 2 })).toEqual({
      status: 429,
      headers: { "content-type": "application/json", "x-amzn-errortype": "ThrottlingException", "Retry-After": "2" },
      body: '{"message":"slow down"}',
    });
    expect(writeError("ResourceNotFoundException", { message: "gone" }, 410).status).toBe(410);
  });

  it("an error the model does not have: the status given, else 400, and the members as they are", () => {
    expect(writeError("UnrecognizedClientException", { message: "who" }, 403)).toEqual({
      status: 403,
      headers: { "content-type": "application/json", "x-amzn-errortype": "UnrecognizedClientException" },
      body: '{"message":"who"}',
    });
    expect(writeError("SomethingElse", { message: "x" }).status).toBe(400);
    expect(writeError("ST_Text", { message: "x" }).status).toBe(400);
    expect(writeError("ST_Output", { id: "x" }).status).toBe(400);
  });
});

describe("matchRoute", () => {
  it("finds an operation, decoding its labels; refuses other methods and unknown paths", () => {
    expect(matchRoute("GET", "/2025-09-09/microvms/a%2Fb")).toMatchObject({ kind: "operation", operation: { name: "GetMicrovm" }, labels: { microvmIdentifier: "a/b" } });
    expect(matchRoute("PATCH", "/2025-09-09/microvms/x")).toEqual({ kind: "method-not-allowed", allowed: ["GET", "DELETE"] });
    expect(matchRoute("GET", "/2025-09-09/microvms//")).toEqual({ kind: "not-found" });
    expect(matchRoute("GET", "/2025-09-09/nothing")).toEqual({ kind: "not-found" });
    expect(() => matchRoute("GET", "/2025-09-09/microvms/%E0")).toThrow(MalformedRequestError);
    expect(matchRoute("POST", "/2025-09-09/microvms/x/resume")).toMatchObject({ kind: "operation", operation: { name: "ResumeMicrovm" } });
  });
});
