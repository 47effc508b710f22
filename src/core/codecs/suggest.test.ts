import { describe, expect, it } from "vitest";
import { buildNameIndex, foldName, guessCodes, typoBudget } from "./suggest.js";

const index = buildNameIndex([
  ["United States of America", "US"],
  ["United States", "US"],
  ["United Kingdom", "GB"],
  ["Congo", "CG"],
  ["Congo", "CD"],
  ["Germany", "DE"],
  ["États-Unis d'Amérique", "US"],
]);

describe("foldName", () => {
  it("ignores case, accents, dots and apostrophes", () => {
    expect(foldName("U.S.A.")).toBe("usa");
    expect(foldName("Côte d'Ivoire")).toBe("cote divoire");
    expect(foldName("  États-Unis ")).toBe("etats unis");
  });
});

describe("typoBudget", () => {
  it("allows more typos in longer names", () => {
    expect(typoBudget(2)).toBe(0);
    expect(typoBudget(3)).toBe(1);
    expect(typoBudget(13)).toBe(3);
  });
});

describe("guessCodes", () => {
  it("finds exact names", () => {
    expect(guessCodes(index, "united states")).toEqual(["US"]);
  });

  it("returns every code a shared name stands for", () => {
    expect(guessCodes(index, "Congo")).toEqual(["CG", "CD"]);
  });

  it("finds a name from its first words", () => {
    expect(guessCodes(index, "Etats-Unis")).toEqual(["US"]);
    expect(guessCodes(index, "United")).toEqual(["US", "GB"]);
  });

  it("does not match a prefix that stops inside a word", () => {
    expect(guessCodes(index, "Unit")).toEqual([]);
  });

  it("forgives small typos", () => {
    expect(guessCodes(index, "Germny")).toEqual(["DE"]);
    expect(guessCodes(index, "Untied Kingdom")).toEqual(["GB"]);
  });

  it("gives up on distant names", () => {
    expect(guessCodes(index, "Atlantis")).toEqual([]);
    expect(guessCodes(index, "")).toEqual([]);
  });
});
