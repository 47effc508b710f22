import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { neutraliseCell, restoreCell } from "./formula.js";

const TRIGGERS = ["=", "+", "-", "@", "\t", "\r"];

describe("neutraliseCell", () => {
  it("puts an apostrophe before a cell a spreadsheet would run as a formula", () => {
    expect(neutraliseCell('=HYPERLINK("http://evil.example","click")')).toBe(
      `'=HYPERLINK("http://evil.example","click")`,
    );
    for (const trigger of TRIGGERS) expect(neutraliseCell(`${trigger}1`)).toBe(`'${trigger}1`);
  });

  it("leaves every other cell alone", () => {
    for (const cell of ["", "Fabrikam", " =1", "1-2", "'quoted'", "'", "\n=1", "a=b"]) {
      expect(neutraliseCell(cell)).toBe(cell);
    }
  });

  it("adds one more apostrophe to a cell that already looks neutralised", () => {
    expect(neutraliseCell("'=1")).toBe("''=1");
    expect(neutraliseCell("''@x")).toBe("'''@x");
  });
});

describe("restoreCell", () => {
  it("removes exactly the apostrophe that neutraliseCell adds", () => {
    expect(restoreCell("'=1")).toBe("=1");
    expect(restoreCell("''=1")).toBe("'=1");
    expect(restoreCell("'\tx")).toBe("\tx");
  });

  it("leaves apostrophes that guard nothing", () => {
    for (const cell of ["'", "''", "'quoted'", "'1", "=1", ""])
      expect(restoreCell(cell)).toBe(cell);
  });
});

describe("formula guard properties", () => {
  // Strings biased towards the interesting prefixes: apostrophes followed by a trigger.
  const cell = fc.oneof(
    fc.string({ unit: "binary" }),
    fc
      .tuple(
        fc.string({ unit: fc.constantFrom("'"), maxLength: 4 }),
        fc.constantFrom(...TRIGGERS, "a", ""),
        fc.string({ unit: "binary" }),
      )
      .map((parts) => parts.join("")),
  );

  it("restoreCell undoes neutraliseCell for every string", () => {
    fc.assert(fc.property(cell, (s) => restoreCell(neutraliseCell(s)) === s));
  });

  it("never outputs a cell that starts with a trigger", () => {
    fc.assert(
      fc.property(cell, (s) => {
        const first = neutraliseCell(s).charAt(0);
        return !TRIGGERS.includes(first);
      }),
    );
  });
});
