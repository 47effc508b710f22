import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DECLINE_LOST_REASONS, HELP_TYPES, SALES_STAGES } from "../code-lists.js";
import { decodeCode, decodeDecimal, decodeQuantity, encodeDecimal } from "./number.js";

const column = "Estimated Deal Value";

describe("decodeDecimal", () => {
  it.each([
    ["0", 0],
    ["1234", 1234],
    ["1234.56", 1234.56],
    ["1,234.56", 1234.56],
    ["1,234,567.5", 1234567.5],
    ["1,000", 1000],
    ["12,345", 12345],
    ["1 234,56", 1234.56],
    ["1\u00a0234,56", 1234.56],
    ["1\u202f234\u202f567", 1234567],
    ["1 234.56", 1234.56],
    ["1234,56", 1234.56],
    ["1,5", 1.5],
    ["0,500", 0.5],
    ["1,0000", 1],
    ["1234,567", 1234.567],
    ["1.234,56", 1234.56],
    ["1.234.567", 1234567],
    ["1.000", 1],
    [".5", 0.5],
    ["+10", 10],
    ["-0", 0],
    [" 10 ", 10],
  ])("reads %s as %s", (raw, expected) => {
    expect(decodeDecimal(raw, column)).toEqual({ ok: true, value: expected });
  });

  it("refuses negative numbers with their own code", () => {
    expect(decodeDecimal("-5", column)).toEqual({
      ok: false,
      code: "negative_number",
      message: "Estimated Deal Value '-5' is negative; enter 0 or more",
      fr: expect.any(String),
    });
    expect(decodeDecimal("\u22121,000", column)).toMatchObject({ code: "negative_number" });
  });

  it("refuses currency symbols", () => {
    expect(decodeDecimal("$1,000", column)).toEqual({
      ok: false,
      code: "invalid_number",
      message:
        "Estimated Deal Value '$1,000' is not a number; remove the currency symbol (the currency is given separately)",
      fr: expect.any(String),
    });
    expect(decodeDecimal("100 €", column)).toMatchObject({ code: "invalid_number" });
  });

  it("refuses words, NaN and Infinity", () => {
    for (const raw of ["abc", "NaN", "Infinity", "-Infinity", "12 USD"]) {
      expect(decodeDecimal(raw, column)).toEqual({
        ok: false,
        code: "invalid_number",
        message: `Estimated Deal Value '${raw}' is not a number; write digits with an optional decimal point, e.g. 1234.56`,
        fr: expect.any(String),
      });
    }
  });

  it("refuses scientific notation and spells the number out", () => {
    expect(decodeDecimal("1.5E+06", column)).toEqual({
      ok: false,
      code: "invalid_number",
      message:
        "Estimated Deal Value '1.5E+06' is in scientific notation; write it in plain digits (did you mean 1500000?)",
      fr: expect.any(String),
    });
    expect(decodeDecimal("8,15E+07", column)).toMatchObject({
      message: expect.stringContaining("(did you mean 81500000?)"),
      fr: expect.any(String),
    });
  });

  it("refuses separators it cannot read unambiguously", () => {
    for (const raw of ["1,23,456", "1.234.56", "1 2345", "1,234,56", "1.", "-", "+", ".", "1e"]) {
      expect(decodeDecimal(raw, column)).toMatchObject({
        ok: false,
        code: "invalid_number",
        message: expect.stringContaining(`Estimated Deal Value '${raw}' is not a number`),
        fr: expect.any(String),
      });
    }
  });

  it("refuses numbers too large to hold", () => {
    expect(decodeDecimal("9".repeat(400), column)).toMatchObject({
      ok: false,
      code: "invalid_number",
      message: expect.stringContaining("is too large"),
      fr: expect.any(String),
    });
  });
});

describe("encodeDecimal", () => {
  it.each([
    [0, "0"],
    [10, "10"],
    [1234.56, "1234.56"],
    [0.1, "0.1"],
    [1e21, "1000000000000000000000"],
    [1.5e-7, "0.00000015"],
    [1.2345e22, "12345000000000000000000"],
    [-2.5e-7, "-0.00000025"],
  ])("writes %s as %s", (value, text) => {
    expect(encodeDecimal(value)).toBe(text);
  });

  it("refuses NaN and Infinity", () => {
    expect(() => encodeDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => encodeDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("never writes an exponent, and decodeDecimal reads back the same number", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = encodeDecimal(value);
        expect(text).toMatch(/^\d+(\.\d+)?$/);
        expect(decodeDecimal(text, column)).toEqual({ ok: true, value: value + 0 });
      }),
    );
  });
});

describe("decodeQuantity", () => {
  const quantity = "quantity";

  it.each([
    ["1", 1],
    ["100", 100],
    ["1,000", 1000],
    ["10.0", 10],
  ])("reads %s as %s", (raw, expected) => {
    expect(decodeQuantity(raw, quantity)).toEqual({ ok: true, value: expected });
  });

  it("refuses zero, fractions and negatives", () => {
    expect(decodeQuantity("0", quantity)).toEqual({
      ok: false,
      code: "invalid_number",
      message: "quantity '0' must be a whole number of 1 or more",
      fr: expect.any(String),
    });
    expect(decodeQuantity("1.5", quantity)).toMatchObject({ code: "invalid_number" });
    expect(decodeQuantity("-2", quantity)).toEqual({
      ok: false,
      code: "negative_number",
      message: "quantity '-2' is negative; enter a whole number of 1 or more",
      fr: expect.any(String),
    });
    expect(decodeQuantity("ten", quantity)).toMatchObject({ code: "invalid_number" });
    expect(decodeQuantity("1e3", quantity)).toMatchObject({ code: "invalid_number" });
    expect(decodeQuantity("9".repeat(20), quantity)).toMatchObject({ code: "invalid_number" });
  });

  it("reads back every whole number it is given", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(decodeQuantity(encodeDecimal(n), quantity)).toEqual({ ok: true, value: n });
      }),
    );
  });
});

describe("decodeCode", () => {
  it.each([
    ["3", DECLINE_LOST_REASONS, 3],
    ["03", DECLINE_LOST_REASONS, 3],
    ["3 - Customer chose another vendor", DECLINE_LOST_REASONS, 3],
    ["3-Customer chose another vendor", DECLINE_LOST_REASONS, 3],
    ["3 – Le client a choisi un autre fournisseur", DECLINE_LOST_REASONS, 3],
    ["3. Customer chose another vendor", DECLINE_LOST_REASONS, 3],
    ["3: Customer chose another vendor", DECLINE_LOST_REASONS, 3],
    ["40%", SALES_STAGES, 40],
    ["40 %", SALES_STAGES, 40],
    ["40% Developed", SALES_STAGES, 40],
    ["100", SALES_STAGES, 100],
    ["10.0", SALES_STAGES, 10],
    ["6 General or other", HELP_TYPES, 6],
  ])("reads %s", (raw, list, expected) => {
    expect(decodeCode(raw, "Code", list)).toEqual({ ok: true, value: expected });
  });

  it("refuses codes outside the list and lists the allowed ones", () => {
    expect(decodeCode("30", "Sales Stage", SALES_STAGES)).toEqual({
      ok: false,
      code: "invalid_code",
      message:
        "Sales Stage '30' is not one of the allowed codes: 10 Created/Accepted, 20 Qualified, 40 Developed, 60 Proposed, 80 Negotiated, 100 Won",
      fr: expect.any(String),
    });
    for (const raw of [
      "9",
      "0",
      "3.5",
      "3 4",
      "3abc",
      "-3",
      "Customer chose another vendor",
      "1,000",
    ]) {
      expect(decodeCode(raw, "Declined/Lost reason", DECLINE_LOST_REASONS)).toMatchObject({
        ok: false,
        code: "invalid_code",
        message: expect.stringContaining(
          `Declined/Lost reason '${raw}' is not one of the allowed codes: 1 Project budget`,
        ),
      });
    }
  });

  it("reads back every code of every list", () => {
    for (const list of [DECLINE_LOST_REASONS, HELP_TYPES, SALES_STAGES]) {
      for (const code of list.entries.keys()) {
        expect(decodeCode(String(code), list.name, list)).toEqual({ ok: true, value: code });
      }
    }
  });
});
