/** Redaction for logs and messages, over a small table of its own: what is hidden and what is kept. */
import { describe, expect, it } from "vitest";
import { registerShapes, type ShapeSchema } from "../../src/protocol/schema";
import { containsSensitive, redact, SENSITIVE_STRING } from "../../src/protocol/redact";

const table: Record<string, ShapeSchema> = {
  RT_Secret: { type: "string", sensitive: true },
  RT_Plain: { type: "string" },
  RT_Count: { type: "integer" },
  RT_Secrets: { type: "list", member: "RT_Secret" },
  RT_Plains: { type: "list", member: "RT_Plain" },
  RT_SecretMap: { type: "map", key: "RT_Plain", value: "RT_Secret" },
  RT_PlainMap: { type: "map", key: "RT_Plain", value: "RT_Plain" },
  RT_Choice: { type: "structure", members: { a: { shape: "RT_Plain" } }, union: true },
  RT_Node: { type: "structure", members: { name: { shape: "RT_Plain" }, next: { shape: "RT_Node" } } },
  RT_Inner: { type: "structure", members: { token: { shape: "RT_Secret" }, label: { shape: "RT_Plain" } } },
  RT_Outer: {
    type: "structure",
    members: {
      id: { shape: "RT_Plain" },
      n: { shape: "RT_Count" },
      inner: { shape: "RT_Inner" },
      secrets: { shape: "RT_Secrets" },
      plains: { shape: "RT_Plains" },
      env: { shape: "RT_SecretMap" },
      tags: { shape: "RT_PlainMap" },
      choice: { shape: "RT_Choice" },
    },
  },
  RT_PlainOnly: { type: "structure", members: { id: { shape: "RT_Plain" }, node: { shape: "RT_Node" }, missing: { shape: "RT_NotRegistered" } } },
  RT_WithUnion: { type: "structure", members: { choice: { shape: "RT_Choice" } } },
};
registerShapes(table);

describe("redact", () => {
  it("hides sensitive strings at any depth and keeps everything else", () => {
    const value = {
      id: "i-1",
      n: 3,
      inner: { token: "t0p", label: "l" },
      secrets: ["a", "b"],
      plains: ["c"],
      env: { KEY: "v", OTHER: "w" },
      tags: { team: "x" },
      choice: { a: "kept" },
      unmodeled: "as is",
    };
    expect(redact("RT_Outer", value)).toEqual({
      id: "i-1",
      n: 3,
      inner: { token: SENSITIVE_STRING, label: "l" },
      secrets: [SENSITIVE_STRING, SENSITIVE_STRING],
      plains: ["c"],
      env: { KEY: SENSITIVE_STRING, OTHER: SENSITIVE_STRING },
      tags: { team: "x" },
      choice: { a: "kept" },
      unmodeled: "as is",
    });
    expect(value.inner.token).toBe("t0p");
  });

  it("hides the value of an unknown union member, keeping its name", () => {
    expect(redact("RT_WithUnion", { choice: { $unknown: ["newMember", { secret: 1 }] } })).toEqual({ choice: { $unknown: ["newMember", SENSITIVE_STRING] } });
    expect(redact("RT_WithUnion", { choice: { $unknown: "odd" } })).toEqual({ choice: { $unknown: SENSITIVE_STRING } });
    // Outside a union too: it errs on the side of hiding.
    expect(redact("RT_Outer", { $unknown: "x" })).toEqual({ $unknown: SENSITIVE_STRING });
  });

  it("returns the value itself when nothing in its shape needs hiding, and null or undefined as they are", () => {
    const plain = { id: "x", node: { name: "a", next: { name: "b" } } };
    expect(redact("RT_PlainOnly", plain)).toBe(plain);
    expect(redact("RT_Outer", null)).toBeNull();
    expect(redact("RT_Outer", undefined)).toBeUndefined();
    expect(redact("RT_Secret", "s")).toBe(SENSITIVE_STRING);
    expect(redact("RT_Plain", "p")).toBe("p");
  });

  it("leaves a value that is not the list its shape says as it is", () => {
    expect(redact("RT_Secrets", "not a list")).toBe("not a list");
  });
});

describe("containsSensitive", () => {
  it("is true only for shapes that reach a sensitive string, and ignores unions", () => {
    expect(containsSensitive("RT_Secret")).toBe(true);
    expect(containsSensitive("RT_Secrets")).toBe(true);
    expect(containsSensitive("RT_SecretMap")).toBe(true);
    expect(containsSensitive("RT_Outer")).toBe(true);
    expect(containsSensitive("RT_Plain")).toBe(false);
    expect(containsSensitive("RT_Plains")).toBe(false);
    expect(containsSensitive("RT_PlainMap")).toBe(false);
    expect(containsSensitive("RT_Count")).toBe(false);
    expect(containsSensitive("RT_WithUnion")).toBe(false);
    expect(containsSensitive("RT_PlainOnly")).toBe(false);
    expect(containsSensitive("RT_NotRegistered")).toBe(false);
    // Asked twice: the cached answer is the same.
    expect(containsSensitive("RT_Outer")).toBe(true);
    expect(containsSensitive("RT_Plain")).toBe(false);
  });
});
