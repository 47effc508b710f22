import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isScientificNotation,
  lostLeadingZeroError,
  refuseScientific,
} from "./spreadsheet-damage.js";

describe("isScientificNotation", () => {
  it.each(["1.20655E+10", "2.1E+04", "2,1E+04", "8.15e-07", "12E+3", "-1.5E+10"])(
    "sees what a spreadsheet wrote in %s",
    (value) => {
      expect(isScientificNotation(value)).toBe(true);
    },
  );

  it.each(["+1 425 555 0100", "12E3", "CRM-1.2E+10", "2134", "E+10", "1.2E+", "SF-00012"])(
    "leaves %s alone",
    (value) => {
      expect(isScientificNotation(value)).toBe(false);
    },
  );

  it("never flags a digit string, however long", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,30}$/), (digits) => {
        expect(isScientificNotation(digits)).toBe(false);
      }),
    );
  });
});

describe("refuseScientific", () => {
  it("says a spreadsheet did it and how to fix it", () => {
    expect(refuseScientific("CRM ID", "1.20655E+10")).toEqual({
      ok: false,
      code: "spreadsheet_scientific_notation",
      message:
        "CRM ID '1.20655E+10' was turned into scientific notation by a spreadsheet, which loses digits; format the column as Text and re-enter the value",
      fr: expect.any(String),
    });
    expect(refuseScientific("CRM ID", "120655000000")).toEqual({ ok: true, value: "120655000000" });
  });
});

describe("lostLeadingZeroError", () => {
  const column = "Customer Postal Code";

  it.each([
    ["2134", "US", "'02134'"],
    ["501", "US", "'00501'"],
    ["2134-1234", "US", "'02134-1234'"],
    ["6000", "FR", "'06000'"],
    ["1067", "DE", "'01067'"],
  ])("flags %s in %s and shows %s", (code, country, restored) => {
    const error = lostLeadingZeroError(column, code, country);
    expect(error?.code).toBe("postal_code_lost_leading_zero");
    expect(error?.message).toContain(`${column} '${code}'`);
    expect(error?.message).toContain("format the column as Text");
    expect(error?.message).toContain(restored);
  });

  it.each([
    ["02134", "US"],
    ["75001", "FR"],
    ["2000", "AU"],
    ["SW1A 1AA", "GB"],
    ["1234", "CH"],
    ["H3Z 2Y7", "CA"],
  ])("accepts %s in %s", (code, country) => {
    expect(lostLeadingZeroError(column, code, country)).toBeNull();
  });
});
