/** Request serialization over a synthetic operation with every kind of bound member. */
import { describe, expect, it } from "vitest";
import { registerShapes, type OperationSchema, type ShapeSchema } from "../../src/protocol/schema";
import { serializeRequest, toJsonValue } from "../../src/protocol/serialize";

const table: Record<string, ShapeSchema> = {
  WT_Text: { type: "string" },
  WT_Int: { type: "integer" },
  WT_Time: { type: "timestamp" },
  WT_Times: { type: "list", member: "WT_Time" },
  WT_Texts: { type: "list", member: "WT_Text" },
  WT_Map: { type: "map", key: "WT_Text", value: "WT_Time" },
  WT_Choice: { type: "structure", members: { a: { shape: "WT_Text" } }, union: true },
  WT_Input: {
    type: "structure",
    members: {
      id: { shape: "WT_Text", location: "uri", locationName: "Id" },
      since: { shape: "WT_Time", location: "querystring", locationName: "since" },
      stamps: { shape: "WT_Times", location: "querystring", locationName: "stamp" },
      names: { shape: "WT_Texts", location: "querystring", locationName: "name" },
      count: { shape: "WT_Int", location: "header", locationName: "X-Count" },
      at: { shape: "WT_Time", location: "header", locationName: "X-At" },
      when: { shape: "WT_Time" },
      byName: { shape: "WT_Map" },
      choice: { shape: "WT_Choice" },
    },
  },
  WT_BoundOnly: { type: "structure", members: { id: { shape: "WT_Text", location: "uri", locationName: "Id" } } },
};
registerShapes(table);

const op: OperationSchema = { name: "Wt", method: "POST", uri: "/wt/{Id}/x", successCode: 200, input: "WT_Input", output: "WT_Input" };

describe("serializeRequest", () => {
  it("puts each member where the model binds it, timestamps as text outside the body", () => {
    const request = serializeRequest(op, {
      id: "a b/c",
      since: new Date(1500),
      stamps: [new Date(0), new Date(2000)],
      names: ["x", "y"],
      count: 3,
      at: new Date(0),
      when: new Date(2500),
      byName: { k: new Date(1000), dropped: null },
      choice: { a: "v" },
    });
    expect(request).toEqual({
      method: "POST",
      path: "/wt/a%20b%2Fc/x",
      query: { since: "1970-01-01T00:00:01.500Z", stamp: ["1970-01-01T00:00:00.000Z", "1970-01-01T00:00:02.000Z"], name: ["x", "y"] },
      headers: { "X-Count": "3", "X-At": "1970-01-01T00:00:00.000Z", "content-type": "application/json" },
      body: '{"when":2.5,"byName":{"k":1},"choice":{"a":"v"}}',
    });
  });

  it("leaves out null members, and sends no body when no member goes there", () => {
    expect(serializeRequest(op, { id: "i", since: null, count: undefined, names: null })).toMatchObject({ query: {}, headers: { "content-type": "application/json" }, body: "{}" });
    expect(serializeRequest({ ...op, input: "WT_BoundOnly" }, { id: "i" })).toEqual({ method: "POST", path: "/wt/i/x", query: {}, headers: {} });
  });

  it("refuses an empty or missing label", () => {
    expect(() => serializeRequest(op, {})).toThrow("Empty value provided for input HTTP label: Id.");
    expect(() => serializeRequest(op, { id: "" })).toThrow("Empty value provided for input HTTP label: Id.");
  });

  it("writes an unknown union member under its own name, and a text timestamp as text", () => {
    expect(toJsonValue("WT_Choice", { $unknown: ["later", { x: 1 }] })).toEqual({ later: { x: 1 } });
    expect(toJsonValue("WT_Choice", { $unknown: "not a pair" })).toEqual({});
    expect(toJsonValue("WT_Input", { $unknown: ["later", 1] })).toEqual({});
    expect(serializeRequest(op, { id: "i", since: "2024-01-01" }).query).toEqual({ since: "2024-01-01" });
  });
});
