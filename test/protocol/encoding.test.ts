/** The small wire encodings the client and the emulator share: labels, timestamps, headers, keys. */
import { describe, expect, it } from "vitest";
import { encodeLabel, fromEpochSeconds, headerValue, parseTimestamp, toEpochSeconds } from "../../src/protocol/encoding";
import { hasOwn, setOwn } from "../../src/protocol/keys";

const iso = (value: unknown) => parseTimestamp(value)?.toISOString();

describe("encodeLabel", () => {
  it("keeps only unreserved characters, and encodes the ones encodeURIComponent leaves", () => {
    expect(encodeLabel("a-b_c.d~e")).toBe("a-b_c.d~e");
    expect(encodeLabel("a/b c")).toBe("a%2Fb%20c");
    expect(encodeLabel("!'()*")).toBe("%21%27%28%29%2A");
    expect(encodeLabel("é")).toBe("%C3%A9");
  });
});

describe("epoch seconds", () => {
  it("are written from dates, numbers and date strings", () => {
    expect(toEpochSeconds(new Date(1_700_000_000_500))).toBe(1_700_000_000.5);
    expect(toEpochSeconds(12.25)).toBe(12.25);
    expect(toEpochSeconds("2024-01-02T03:04:05Z")).toBe(1_704_164_645);
  });

  it("are read from numbers and numeric strings, to the millisecond", () => {
    expect(fromEpochSeconds(1.0015)?.getTime()).toBe(1002);
    expect(fromEpochSeconds(" 12 ")?.getTime()).toBe(12_000);
    expect(fromEpochSeconds("-1.5")?.getTime()).toBe(-1500);
    for (const bad of ["", "  ", "abc", Number.NaN, Number.POSITIVE_INFINITY, "Infinity", null, undefined, true, {}]) {
      expect(fromEpochSeconds(bad)).toBeUndefined();
    }
  });
});

describe("parseTimestamp", () => {
  it("reads epoch seconds as numbers or numeric strings, exponents included", () => {
    expect(iso(1_704_164_645)).toBe("2024-01-02T03:04:05.000Z");
    expect(iso("1704164645.25")).toBe("2024-01-02T03:04:05.250Z");
    expect(iso("-1")).toBe("1969-12-31T23:59:59.000Z");
    expect(iso("1.704164645e9")).toBe("2024-01-02T03:04:05.000Z");
    expect(iso("1E3")).toBe("1970-01-01T00:16:40.000Z");
    expect(iso("1e+3")).toBe("1970-01-01T00:16:40.000Z");
    expect(iso("1e-3")).toBe("1970-01-01T00:00:00.001Z");
  });

  it("reads RFC 3339 with Z, z, t, fractions and offsets", () => {
    expect(iso("2024-01-02T03:04:05Z")).toBe("2024-01-02T03:04:05.000Z");
    expect(iso("2024-01-02t03:04:05z")).toBe("2024-01-02T03:04:05.000Z");
    expect(iso("2024-01-02T03:04:05.1Z")).toBe("2024-01-02T03:04:05.100Z");
    expect(iso("2024-01-02T03:04:05.123456Z")).toBe("2024-01-02T03:04:05.123Z");
    expect(iso("2024-01-02T03:04:05+01:30")).toBe("2024-01-02T01:34:05.000Z");
    expect(iso("2024-01-02T03:04:05-02:15")).toBe("2024-01-02T05:19:05.000Z");
    expect(iso("2024-01-02T03:04:05-00:00")).toBe("2024-01-02T03:04:05.000Z");
    expect(iso("2024-01-02T03:04:05+23:00")).toBe("2024-01-01T04:04:05.000Z");
    expect(iso("2024-01-02T03:04:05+00:59")).toBe("2024-01-02T02:05:05.000Z");
  });

  it("reads a leap second as the next second, and Feb 29 only in leap years", () => {
    expect(iso("2016-12-31T23:59:60Z")).toBe("2017-01-01T00:00:00.000Z");
    expect(iso("2024-02-29T00:00:00Z")).toBe("2024-02-29T00:00:00.000Z");
    expect(iso("2023-02-29T00:00:00Z")).toBeUndefined();
  });

  it.each([
    "2024-00-02T03:04:05Z",
    "2024-13-02T03:04:05Z",
    "2024-01-00T03:04:05Z",
    "2024-01-32T03:04:05Z",
    "2024-04-31T03:04:05Z",
    "2024-01-02T24:04:05Z",
    "2024-01-02T03:60:05Z",
    "2024-01-02T03:04:61Z",
    "2024-01-02T03:04:05+24:00",
    "2024-01-02T03:04:05+01:60",
    "2024-01-02T03:04:05",
    "2024-01-02 03:04:05Z",
    " 2024-01-02T03:04:05Z",
    "2024-01-02T03:04:05Zjunk",
    "2024-01-02T03:04:05.Z",
    "2024-13-01T00:00:00Z",
    "2024-01-31T24:00:00Z",
    "2023-02-29T00:00:00+01:00",
  ])("refuses the RFC 3339 form %s", (value) => {
    expect(parseTimestamp(value)).toBeUndefined();
  });

  it("reads the HTTP date (IMF-fixdate) form, with every month", () => {
    expect(iso("Tue, 02 Jan 2024 03:04:05 GMT")).toBe("2024-01-02T03:04:05.000Z");
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    months.forEach((month, i) => expect(parseTimestamp(`Mon, 01 ${month} 2024 00:00:00 GMT`)?.getUTCMonth()).toBe(i));
  });

  it.each([
    "Tue, 02 Jan 2024 03:04:05 UTC",
    "Tue, 2 Jan 2024 03:04:05 GMT",
    "Xyz, 02 Jan 2024 03:04:05 GMT",
    "Tue, 02 Jnu 2024 03:04:05 GMT",
    "Tue, 31 Feb 2024 03:04:05 GMT",
    "Tue, 02 Jan 2024 25:04:05 GMT",
    "Tue, 02 Jan 2024 03:04:05 GMT ",
    "xTue, 02 Jan 2024 03:04:05 GMT",
  ])("refuses the HTTP date form %s", (value) => {
    expect(parseTimestamp(value)).toBeUndefined();
  });

  it("refuses what is neither", () => {
    for (const value of ["", "yesterday", "12abc", "1.", ".5", "--1", null, undefined, true, {}, [], Number.NaN, ["2024-01-02T03:04:05Z"], [12]]) {
      expect(parseTimestamp(value)).toBeUndefined();
    }
  });
});

describe("headerValue", () => {
  it("finds a header by its exact name first, then case-insensitively", () => {
    expect(headerValue({ "x-a": "1" }, "x-a")).toBe("1");
    expect(headerValue({ "X-A": "2" }, "x-a")).toBe("2");
    expect(headerValue({ "x-a": "3" }, "X-A")).toBe("3");
    expect(headerValue({ "X-A": "exact", "x-a": "lower" }, "X-A")).toBe("exact");
    expect(headerValue({ "x-b": "1" }, "x-a")).toBeUndefined();
    expect(headerValue({}, "constructor")).toBeUndefined();
  });
});

describe("keys from the network", () => {
  it("hasOwn sees only own entries", () => {
    expect(hasOwn({ a: 1 }, "a")).toBe(true);
    expect(hasOwn({}, "constructor")).toBe(false);
    expect(hasOwn({}, "__proto__")).toBe(false);
  });

  it("setOwn stores __proto__ as plain, enumerable, writable data", () => {
    const target: Record<string, unknown> = {};
    setOwn(target, "__proto__", { polluted: true });
    setOwn(target, "constructor", 1);
    setOwn(target, "a", 2);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.keys(target)).toEqual(["__proto__", "constructor", "a"]);
    expect(JSON.stringify(target)).toBe('{"__proto__":{"polluted":true},"constructor":1,"a":2}');
    const descriptor = Object.getOwnPropertyDescriptor(target, "__proto__")!;
    expect(descriptor).toMatchObject({ enumerable: true, writable: true, configurable: true });
    setOwn(target, "__proto__", "again");
    expect(Object.getOwnPropertyDescriptor(target, "__proto__")!.value).toBe("again");
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
