import currencyCodes from "currency-codes";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCurrency, isCurrencyCode } from "./currency.js";

const column = "Currency";

describe("decodeCurrency", () => {
  it.each([
    ["USD", "USD"],
    ["usd", "USD"],
    [" Eur\u00a0", "EUR"],
    ["JPY", "JPY"],
  ])("reads %s as %s", (raw, expected) => {
    expect(decodeCurrency(raw, column)).toEqual({ ok: true, value: expected });
  });

  it("accepts every code of the package, in any case", () => {
    fc.assert(
      fc.property(fc.constantFrom(...currencyCodes.codes()), fc.boolean(), (code, lower) => {
        expect(decodeCurrency(lower ? code.toLowerCase() : code, column)).toEqual({
          ok: true,
          value: code,
        });
      }),
    );
  });

  it.each([
    ["$", "USD"],
    ["US$", "USD"],
    ["€", "EUR"],
    ["£", "GBP"],
    ["¥", "JPY"],
    ["c$", "CAD"],
    ["Euro", "EUR"],
    ["euros", "EUR"],
    ["US Dollar", "USD"],
    ["Pound Sterling", "GBP"],
    ["Swiss Franc", "CHF"],
    ["EUE", "EUR"],
    ["Yen", "JPY"],
    ["EU", "EUR"],
    ["gb", "GBP"],
    ["US", "USD or USN"],
  ])("suggests a code for %s", (raw, code) => {
    expect(decodeCurrency(raw, column)).toEqual({
      ok: false,
      code: "invalid_currency",
      message: `Currency '${raw}' is not an ISO 4217 currency code (did you mean ${code}?)`,
      fr: expect.any(String),
    });
  });

  it("says what to write when it cannot guess", () => {
    expect(decodeCurrency("Dollars", column)).toEqual({
      ok: false,
      code: "invalid_currency",
      message:
        "Currency 'Dollars' is not an ISO 4217 currency code; use a three-letter code such as USD, EUR or GBP",
      fr: expect.any(String),
    });
    expect(decodeCurrency("QQQ", column)).toMatchObject({ ok: false, code: "invalid_currency" });
  });
});

describe("isCurrencyCode", () => {
  it("knows the stored, upper-case codes", () => {
    expect(isCurrencyCode("EUR")).toBe(true);
    expect(isCurrencyCode("eur")).toBe(false);
    expect(isCurrencyCode("EURO")).toBe(false);
  });
});
