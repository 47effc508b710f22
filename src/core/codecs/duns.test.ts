import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeDuns } from "./duns.js";

const column = "Customer D-U-N-S ID";

describe("decodeDuns", () => {
  it.each([
    ["150483782", "150483782"],
    ["15-048-3782", "150483782"],
    ["150 483 782", "150483782"],
    ["81466849", "081466849"],
    ["1", "000000001"],
    ["\u00a0081466849 ", "081466849"],
  ])("reads %s as %s", (raw, expected) => {
    expect(decodeDuns(raw, column)).toEqual({ ok: true, value: expected });
  });

  it("reads back any nine-digit number unchanged", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (duns) => {
        expect(decodeDuns(duns, column)).toEqual({ ok: true, value: duns });
      }),
    );
  });

  it("explains scientific notation", () => {
    for (const raw of ["8.15E+07", "8,15E+07", "8.1466849e7"]) {
      expect(decodeDuns(raw, column)).toEqual({
        ok: false,
        code: "duns_scientific_notation",
        message: `Customer D-U-N-S ID '${raw}' was turned into scientific notation by a spreadsheet, which loses digits; format the column as Text and re-enter the number`,
        fr: expect.any(String),
      });
    }
  });

  it("refuses more than nine digits", () => {
    expect(decodeDuns("1234567890", column)).toEqual({
      ok: false,
      code: "invalid_duns",
      message: "Customer D-U-N-S ID '1234567890' has 10 digits; a D-U-N-S number has nine",
      fr: expect.any(String),
    });
  });

  it("refuses anything but digits", () => {
    for (const raw of ["15O483782", "DUNS 150483782", "150.483.782", "-"]) {
      expect(decodeDuns(raw, column)).toEqual({
        ok: false,
        code: "invalid_duns",
        message: `Customer D-U-N-S ID '${raw}' is not a D-U-N-S number; write its nine digits, e.g. 150483782`,
        fr: expect.any(String),
      });
    }
  });
});
