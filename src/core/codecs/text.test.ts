import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeText } from "./text.js";

const column = "Deal Name";

describe("decodeText", () => {
  it("trims the value", () => {
    expect(decodeText("  Contoso upgrade\u00a0", column, 100)).toEqual({
      ok: true,
      value: "Contoso upgrade",
    });
  });

  it("accepts exactly the limit", () => {
    expect(decodeText("x".repeat(100), column, 100)).toEqual({ ok: true, value: "x".repeat(100) });
  });

  it("counts characters, not UTF-16 units", () => {
    expect(decodeText("😀".repeat(100), column, 100)).toEqual({
      ok: true,
      value: "😀".repeat(100),
    });
  });

  it("refuses text over the limit, saying the length and the limit", () => {
    expect(decodeText("x".repeat(130), column, 100)).toEqual({
      ok: false,
      code: "too_long",
      message: `Deal Name '${"x".repeat(59)}…' is 130 characters long; the limit is 100, so remove 30`,
      fr: expect.any(String),
    });
  });

  it("reads back any trimmed text within the limit", () => {
    const text = fc
      .string({ minLength: 1, maxLength: 50, unit: "grapheme" })
      .map((s) => s.trim())
      .filter((s) => s !== "");
    fc.assert(
      fc.property(text, (value) => {
        expect(decodeText(value, column, 32_000)).toEqual({ ok: true, value });
      }),
    );
  });
});
