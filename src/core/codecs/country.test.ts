import fc from "fast-check";
import countries from "i18n-iso-countries";
import { describe, expect, it } from "vitest";
import { countryName, decodeCountry, isCountryCode } from "./country.js";

const column = "Customer Country";
const allCodes = Object.keys(countries.getAlpha2Codes());

describe("decodeCountry", () => {
  it.each([
    ["US", "US"],
    ["us", "US"],
    ["De", "DE"],
    [" fr\u00a0", "FR"],
    ["GB", "GB"],
  ])("reads %s as %s", (raw, expected) => {
    expect(decodeCountry(raw, column)).toEqual({ ok: true, value: expected });
  });

  it("accepts every code of the package, in any case", () => {
    fc.assert(
      fc.property(fc.constantFrom(...allCodes), fc.boolean(), (code, lower) => {
        expect(decodeCountry(lower ? code.toLowerCase() : code, column)).toEqual({
          ok: true,
          value: code,
        });
      }),
    );
  });

  it("suggests the code of an alpha-3 code", () => {
    expect(decodeCountry("USA", column)).toEqual({
      ok: false,
      code: "invalid_country",
      message: "Customer Country 'USA' is not a two-letter code (did you mean US?)",
      fr: expect.any(String),
    });
    expect(decodeCountry("deu", column)).toMatchObject({
      message: "Customer Country 'deu' is not a two-letter code (did you mean DE?)",
      fr: expect.any(String),
    });
  });

  it.each([
    ["United States", "US"],
    ["united states of america", "US"],
    ["U.S.A.", "US"],
    ["Germany", "DE"],
    ["Allemagne", "DE"],
    ["États-Unis", "US"],
    ["Etats Unis", "US"],
    ["Royaume-Uni", "GB"],
    ["Great Britain", "GB"],
    ["Ivory Coast", "CI"],
    ["Cote d'Ivoire", "CI"],
    ["Germny", "DE"],
    ["Frence", "FR"],
    ["Untied States", "US"],
    ["Switzerland ", "CH"],
    ["Suisse", "CH"],
  ])("suggests a code for the name %s", (raw, code) => {
    expect(decodeCountry(raw, column)).toMatchObject({
      ok: false,
      code: "invalid_country",
      message: `Customer Country '${raw.trim()}' is not a two-letter code (did you mean ${code}?)`,
      fr: expect.any(String),
    });
  });

  it("suggests GB for UK, which is two letters but not the ISO code", () => {
    expect(decodeCountry("UK", column)).toMatchObject({
      message: "Customer Country 'UK' is not a known two-letter country code (did you mean GB?)",
      fr: expect.any(String),
    });
  });

  it("offers both codes for a name two countries share", () => {
    expect(decodeCountry("Congo", column)).toMatchObject({
      message: "Customer Country 'Congo' is not a two-letter code (did you mean CG or CD?)",
      fr: expect.any(String),
    });
  });

  it("says what to write when it cannot guess", () => {
    expect(decodeCountry("XX", column)).toEqual({
      ok: false,
      code: "invalid_country",
      message:
        "Customer Country 'XX' is not a known two-letter country code; use an ISO 3166-1 alpha-2 code such as US, FR or DE",
      fr: expect.any(String),
    });
    expect(decodeCountry("Atlantis", column)).toMatchObject({
      message:
        "Customer Country 'Atlantis' is not a two-letter code; use an ISO 3166-1 alpha-2 code such as US, FR or DE",
      fr: expect.any(String),
    });
    expect(decodeCountry("123", column)).toMatchObject({ ok: false, code: "invalid_country" });
  });
});

describe("isCountryCode", () => {
  it("knows the stored, upper-case codes", () => {
    expect(isCountryCode("US")).toBe(true);
    expect(isCountryCode("us")).toBe(false);
    expect(isCountryCode("UK")).toBe(false);
    expect(isCountryCode("USA")).toBe(false);
  });
});

describe("countryName", () => {
  it("names a country in English or French", () => {
    expect(countryName("DE", "en")).toBe("Germany");
    expect(countryName("DE", "fr")).toBe("Allemagne");
    expect(countryName("US", "fr")).toBe("États-Unis d'Amérique");
    expect(countryName("XX", "en")).toBeUndefined();
  });

  it("has an English and a French name for every code", () => {
    for (const code of allCodes) {
      expect(countryName(code, "en")).toBeTruthy();
      expect(countryName(code, "fr")).toBeTruthy();
    }
  });
});
