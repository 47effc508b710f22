import { describe, expect, it } from "vitest";
import { toCount } from "./count.js";

describe("toCount", () => {
  it("accepts what either driver may return for an aggregate", () => {
    expect(toCount(3)).toBe(3);
    expect(toCount(3n)).toBe(3);
    expect(toCount("42")).toBe(42);
    expect(toCount("1.5")).toBe(1.5);
    expect(toCount(null)).toBe(0);
  });

  it("refuses anything else", () => {
    expect(() => toCount("12abc")).toThrow("Not a count: 12abc");
    expect(() => toCount(undefined)).toThrow(TypeError);
    expect(() => toCount(Number.NaN)).toThrow(TypeError);
  });
});
