import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeYesNo, encodeYesNo } from "./yes-no.js";

const column = "Microsoft help required?";

describe("decodeYesNo", () => {
  it.each([
    ["Yes", true],
    ["yes", true],
    ["Y", true],
    ["oui", true],
    ["OUI", true],
    ["TRUE", true],
    ["Vrai", true],
    ["No", false],
    ["n", false],
    ["Non", false],
    ["false", false],
    ["FAUX", false],
  ])("reads %s as %s", (raw, expected) => {
    expect(decodeYesNo(raw, column)).toEqual({ ok: true, value: expected });
  });

  it("trims spaces, including non-breaking ones", () => {
    expect(decodeYesNo("\u00a0 Yes \u202f", column)).toEqual({ ok: true, value: true });
  });

  it("refuses anything else, naming the column and the value", () => {
    expect(decodeYesNo("maybe", column)).toEqual({
      ok: false,
      code: "invalid_yes_no",
      message:
        "Microsoft help required? 'maybe' is not Yes or No; write Yes or No (Oui/Non, Y/N and True/False work too)",
      fr: expect.any(String),
    });
    expect(decodeYesNo("1", column)).toMatchObject({ ok: false, code: "invalid_yes_no" });
  });

  it("answers required for a blank cell", () => {
    expect(decodeYesNo("  ", column)).toMatchObject({ ok: false, code: "required" });
  });
});

describe("encodeYesNo", () => {
  it("writes Yes or No", () => {
    expect(encodeYesNo(true)).toBe("Yes");
    expect(encodeYesNo(false)).toBe("No");
  });

  it("is the inverse of decodeYesNo", () => {
    fc.assert(
      fc.property(fc.boolean(), (value) => {
        expect(decodeYesNo(encodeYesNo(value), column)).toEqual({ ok: true, value });
      }),
    );
  });
});
