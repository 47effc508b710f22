import { describe, expect, it } from "vitest";
import {
  didYouMean,
  foldText,
  isBlankCell,
  orList,
  quote,
  suggestedValues,
  trimCell,
} from "./cell-text.js";
import { decodeCountry } from "./country.js";
import { decodeCloseDate } from "./date.js";

describe("trimCell", () => {
  it("removes spaces, tabs, line breaks and non-breaking spaces around the value", () => {
    expect(trimCell(" \t\u00a0a b\u202f\r\n")).toBe("a b");
  });
});

describe("isBlankCell", () => {
  it("treats a cell of spaces as blank", () => {
    expect(isBlankCell("")).toBe(true);
    expect(isBlankCell(" \u00a0 ")).toBe(true);
    expect(isBlankCell(" x ")).toBe(false);
  });
});

describe("quote", () => {
  it("quotes short values whole", () => {
    expect(quote("USA")).toBe("'USA'");
  });

  it("cuts long values short", () => {
    const shown = quote("x".repeat(500));
    expect(shown).toBe(`'${"x".repeat(59)}…'`);
  });

  it("never splits a surrogate pair", () => {
    const shown = quote(`${"x".repeat(58)}😀${"y".repeat(10)}`);
    expect(shown).toBe(`'${"x".repeat(58)}…'`);
  });
});

describe("foldText", () => {
  it("ignores case, accents and repeated spaces", () => {
    expect(foldText("  Fermée ")).toBe("fermee");
    expect(foldText("EN   Attente")).toBe("en attente");
    expect(foldText("Re\u0301fuse\u0301")).toBe("refuse");
  });
});

describe("orList and didYouMean", () => {
  it("joins alternatives", () => {
    expect(orList(["A"])).toBe("A");
    expect(orList(["A", "B"])).toBe("A or B");
    expect(orList(["A", "B", "C"])).toBe("A, B or C");
  });

  it("suggests one to three guesses, and nothing otherwise", () => {
    expect(didYouMean([])).toBe("");
    expect(didYouMean(["US"])).toBe(" (did you mean US?)");
    expect(didYouMean(["CG", "CD"])).toBe(" (did you mean CG or CD?)");
    expect(didYouMean(["A", "B", "C", "D"])).toBe("");
  });
});

describe("suggestedValues", () => {
  const messageOf = (r: { ok: boolean; message?: string }) => r.message ?? "";

  it("reads back what the codecs suggest: the page's one-click fixes", () => {
    expect(suggestedValues(messageOf(decodeCountry("USA", "Customer Country")))).toEqual(["US"]);
    expect(
      suggestedValues(messageOf(decodeCloseDate("30/01/2027", "Estimated Close Date"))),
    ).toEqual(["01/30/2027"]);
    expect(suggestedValues(`x${didYouMean(["A", "B", "C"])}`)).toEqual(["A", "B", "C"]);
  });

  it("finds none in a message without a guess", () => {
    expect(suggestedValues(messageOf(decodeCountry("Atlantis", "Customer Country")))).toEqual([]);
  });
});
