/**
 * The shared validator over a small table of its own, rule by rule and under both rule sets: the
 * client's (botocore's: required, types, minimums) and the service's (everything in the model).
 */
import { describe, expect, it } from "vitest";
import { registerShapes, type ShapeSchema } from "../../src/protocol/schema";
import { describeProblems, validateShape } from "../../src/protocol/validate";

const table: Record<string, ShapeSchema> = {
  VT_Name: { type: "string", min: 2, max: 4, pattern: "^[a-z]+$" },
  VT_One: { type: "string", min: 1, max: 1 },
  VT_Free: { type: "string" },
  VT_Int: { type: "integer", min: 1, max: 10 },
  VT_AnyInt: { type: "integer" },
  VT_Long: { type: "long" },
  VT_Bool: { type: "boolean" },
  VT_Time: { type: "timestamp" },
  VT_List: { type: "list", member: "VT_Int", min: 1, max: 2 },
  VT_Entries: { type: "map", key: "VT_Name", value: "VT_Int", min: 1, max: 2 },
  VT_Choice: { type: "structure", members: { a: { shape: "VT_Free" }, b: { shape: "VT_Int" } }, union: true },
  VT_Input: {
    type: "structure",
    required: ["name"],
    members: {
      name: { shape: "VT_Name" },
      one: { shape: "VT_One" },
      count: { shape: "VT_Int" },
      any: { shape: "VT_AnyInt" },
      big: { shape: "VT_Long" },
      flag: { shape: "VT_Bool" },
      at: { shape: "VT_Time" },
      list: { shape: "VT_List" },
      entries: { shape: "VT_Entries" },
      choice: { shape: "VT_Choice" },
    },
  },
};
registerShapes(table);

const problems = (value: unknown, rules: "client" | "service" = "service") => describeProblems(validateShape("VT_Input", value, rules));

describe("validateShape", () => {
  it("accepts a valid value under both rule sets", () => {
    const valid = { name: "abc", count: 10, any: -5, big: 2 ** 40, flag: false, at: new Date(0), list: [1, 2], entries: { ab: 1 }, choice: { b: 3 }, extra: "ignored" };
    expect(validateShape("VT_Input", valid)).toEqual([]);
    expect(validateShape("VT_Input", valid, "client")).toEqual([]);
  });

  it("the default rules are the service's", () => {
    expect(describeProblems(validateShape("VT_Input", { name: "abcdef" }))).toBe("name: must have at most 4 characters");
  });

  it("required members, null or missing, and a value that is not an object", () => {
    expect(problems({})).toBe("name: is required");
    expect(problems({ name: null })).toBe("name: is required");
    expect(problems(null)).toBe("input: must be an object");
    expect(problems([])).toBe("input: must be an object");
    expect(problems(new Date())).toBe("input: must be an object");
    expect(problems("x")).toBe("input: must be an object");
  });

  it("strings: type, length in characters (singular for one), pattern only for the service", () => {
    expect(problems({ name: 5 })).toBe("name: must be a string");
    expect(problems({ name: "a" })).toBe("name: must have at least 2 characters");
    expect(problems({ name: "a", one: "" })).toBe("name: must have at least 2 characters; one: must have at least 1 character");
    expect(problems({ name: "abcde" })).toBe("name: must have at most 4 characters");
    expect(problems({ name: "ab", one: "xy" })).toBe("one: must have at most 1 character");
    expect(problems({ name: "AB" })).toBe("name: must match the pattern ^[a-z]+$");
    expect(problems({ name: "abcde" }, "client")).toBe("");
    expect(problems({ name: "AB" }, "client")).toBe("");
    expect(problems({ name: "a" }, "client")).toBe("name: must have at least 2 characters");
  });

  it("counts a surrogate pair as one character and a lone surrogate as one", () => {
    expect(problems({ name: "ab", one: "😀" })).toBe("");
    expect(problems({ name: "ab", one: "😀😀" })).toBe("one: must have at most 1 character");
    expect(problems({ name: "ab", one: "\ud83d" })).toBe("");
    expect(problems({ name: "ab", one: "\ud83d\ud83d" })).toBe("one: must have at most 1 character");
    expect(problems({ name: "ab", one: "\ude00\ud83d" })).toBe("one: must have at most 1 character");
    expect(problems({ name: "ab", one: "a\ud83d" })).toBe("one: must have at most 1 character");
  });

  it("integers: type, minimum, maximum only for the service, and the type's own range", () => {
    expect(problems({ name: "ab", count: "1" })).toBe("count: must be an integer");
    expect(problems({ name: "ab", count: 1.5 })).toBe("count: must be an integer");
    expect(problems({ name: "ab", count: 0 })).toBe("count: must be at least 1");
    expect(problems({ name: "ab", count: 1 })).toBe("");
    expect(problems({ name: "ab", count: 11 })).toBe("count: must be at most 10");
    expect(problems({ name: "ab", count: 11 }, "client")).toBe("");
    expect(problems({ name: "ab", count: 0 }, "client")).toBe("count: must be at least 1");
    expect(problems({ name: "ab", any: 2 ** 31 - 1 })).toBe("");
    expect(problems({ name: "ab", any: -(2 ** 31) })).toBe("");
    expect(problems({ name: "ab", any: 2 ** 31 })).toBe("any: must be a 32-bit integer");
    expect(problems({ name: "ab", any: -(2 ** 31) - 1 })).toBe("any: must be a 32-bit integer");
    expect(problems({ name: "ab", any: 2 ** 31 }, "client")).toBe("");
    expect(problems({ name: "ab", big: Number.MAX_SAFE_INTEGER })).toBe("");
    expect(problems({ name: "ab", big: Number.MIN_SAFE_INTEGER })).toBe("");
    expect(problems({ name: "ab", big: 2 ** 53 })).toBe("big: must be a safe integer (within ±(2^53 - 1))");
    expect(problems({ name: "ab", big: -(2 ** 53) })).toBe("big: must be a safe integer (within ±(2^53 - 1))");
  });

  it("booleans and timestamps", () => {
    expect(problems({ name: "ab", flag: "true" })).toBe("flag: must be a boolean");
    expect(problems({ name: "ab", at: 0 })).toBe("at: must be a valid Date");
    expect(problems({ name: "ab", at: new Date(Number.NaN) })).toBe("at: must be a valid Date");
  });

  it("lists: type, size, null items and each item's rules, with the index in the path", () => {
    expect(problems({ name: "ab", list: {} })).toBe("list: must be a list");
    expect(problems({ name: "ab", list: [] })).toBe("list: must have at least 1 item");
    expect(problems({ name: "ab", list: [1, 2, 3] })).toBe("list: must have at most 2 items");
    expect(problems({ name: "ab", list: [1, 2, 3] }, "client")).toBe("");
    expect(problems({ name: "ab", list: [null, 0] })).toBe("list[0]: must not be null; list[1]: must be at least 1");
  });

  it("maps: type, size, each key's and each value's rules", () => {
    expect(problems({ name: "ab", entries: [] })).toBe("entries: must be an object map");
    expect(problems({ name: "ab", entries: new Date() })).toBe("entries: must be an object map");
    expect(problems({ name: "ab", entries: null })).toBe("");
    expect(problems({ name: "ab", entries: {} })).toBe("entries: must have at least 1 entry");
    expect(problems({ name: "ab", entries: { ab: 1, cd: 2, ef: 3 } })).toBe("entries: must have at most 2 entries");
    expect(problems({ name: "ab", entries: { A: 1 } })).toBe('entries{key "A"}: must have at least 2 characters; entries{key "A"}: must match the pattern ^[a-z]+$');
    expect(problems({ name: "ab", entries: { ab: null, cd: 0 } })).toBe("entries.ab: must not be null; entries.cd: must be at least 1");
  });

  it("unions: exactly one member set, an unknown one counting", () => {
    expect(problems({ name: "ab", choice: { a: "x" } })).toBe("");
    expect(problems({ name: "ab", choice: { $unknown: ["c", 1] } })).toBe("");
    expect(problems({ name: "ab", choice: {} })).toBe("choice: must set exactly one of a, b (found none)");
    expect(problems({ name: "ab", choice: { a: "x", b: 2 } })).toBe("choice: must set exactly one of a, b (found a, b)");
    expect(problems({ name: "ab", choice: { a: "x", $unknown: ["c", 1] } })).toBe("choice: must set exactly one of a, b (found a, $unknown)");
    expect(problems({ name: "ab", choice: { a: null, b: 0 } })).toBe("choice.b: must be at least 1");
  });

  it("a member named like an inherited property is not a member, and $unknown outside a union is ignored", () => {
    expect(problems({ name: "ab", constructor: 1, toString: "x", $unknown: ["c", 1] })).toBe("");
  });
});
