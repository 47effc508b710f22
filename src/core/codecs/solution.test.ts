import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Solution } from "../deal.js";
import { decodeSolution, encodeSolution } from "./solution.js";

const column = "Solution 1";
const SHAPE = "Expected SOLUTION-ID, CURRENCY, PRICE, QUANTITY, e.g. SOL-1234-PQRS, USD, 10, 100";
const solution = (overrides: Partial<Solution>): Solution => ({
  id: "SOL-1",
  currency: null,
  price: null,
  quantity: null,
  ...overrides,
});

describe("decodeSolution", () => {
  it.each([
    [
      "SOL-1234-PQRS, USD, 10, 100",
      solution({ id: "SOL-1234-PQRS", currency: "USD", price: 10, quantity: 100 }),
    ],
    ["SOL-1", solution({})],
    ["SOL-1, usd", solution({ currency: "USD" })],
    ["SOL-1, , 10", solution({ price: 10 })],
    ["SOL-1, , , 5", solution({ quantity: 5 })],
    ["SOL-1, USD, ,", solution({ currency: "USD" })],
    ["SOL-1,USD,10.5,3", solution({ currency: "USD", price: 10.5, quantity: 3 })],
    [" SOL-1 ,\u00a0EUR , 0 , 1 ", solution({ currency: "EUR", price: 0, quantity: 1 })],
    ["SOL-1, USD, 1,000, 5", solution({ currency: "USD", price: 1000, quantity: 5 })],
    ["SOL-1, EUR, 1 000,50, 2", solution({ currency: "EUR", price: 1000.5, quantity: 2 })],
    ["SOL-1, USD,10, 100", solution({ currency: "USD", price: 10, quantity: 100 })],
  ])("reads %s", (raw, expected) => {
    expect(decodeSolution(raw, column)).toEqual({ ok: true, value: expected });
  });

  it("says which part is wrong and shows the expected shape", () => {
    expect(decodeSolution("SOL-1, US, 10", column)).toEqual({
      ok: false,
      code: "invalid_solution",
      message: `Solution 1 'SOL-1, US, 10': the currency 'US' is not an ISO 4217 currency code (did you mean USD or USN?). ${SHAPE}`,
      fr: expect.any(String),
    });
    expect(decodeSolution("SOL-1, USD, -10", column)).toEqual({
      ok: false,
      code: "invalid_solution",
      message: `Solution 1 'SOL-1, USD, -10': the price '-10' is negative; enter 0 or more. ${SHAPE}`,
      fr: expect.any(String),
    });
    expect(decodeSolution("SOL-1, USD, 10, 0", column)).toEqual({
      ok: false,
      code: "invalid_solution",
      message: `Solution 1 'SOL-1, USD, 10, 0': the quantity '0' must be a whole number of 1 or more. ${SHAPE}`,
      fr: expect.any(String),
    });
    expect(decodeSolution(", USD, 10", column)).toEqual({
      ok: false,
      code: "invalid_solution",
      message: `Solution 1 ', USD, 10': the solution ID is missing. ${SHAPE}`,
      fr: expect.any(String),
    });
    expect(decodeSolution("SOL-1, USD, 10, 100, 5", column)).toEqual({
      ok: false,
      code: "invalid_solution",
      message: `Solution 1 'SOL-1, USD, 10, 100, 5': it has 5 parts, more than 4. ${SHAPE}`,
      fr: expect.any(String),
    });
  });

  it("refuses a cell that reads two ways rather than guess", () => {
    expect(decodeSolution("SOL-1, USD, 10,5", column)).toEqual({
      ok: false,
      code: "invalid_solution",
      message: `Solution 1 'SOL-1, USD, 10,5' can be read two ways; write the price with a dot for decimals and no thousands separator. ${SHAPE}`,
      fr: expect.any(String),
    });
  });
});

describe("encodeSolution", () => {
  it("drops trailing empty parts", () => {
    expect(encodeSolution(solution({}))).toBe("SOL-1");
    expect(encodeSolution(solution({ currency: "USD", price: 10, quantity: 100 }))).toBe(
      "SOL-1, USD, 10, 100",
    );
    expect(encodeSolution(solution({ price: 10 }))).toBe("SOL-1, , 10");
    expect(encodeSolution(solution({ price: 0.5, quantity: 2 }))).toBe("SOL-1, , 0.5, 2");
  });

  it("is the inverse of decodeSolution", () => {
    const arbitrary = fc.record({
      id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,30}$/),
      currency: fc.option(fc.constantFrom("USD", "EUR", "GBP", "JPY", "CHF")),
      price: fc.option(
        fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }).map((n) => n + 0),
      ),
      quantity: fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
    });
    fc.assert(
      fc.property(arbitrary, (value) => {
        expect(decodeSolution(encodeSolution(value), column)).toEqual({ ok: true, value });
      }),
    );
  });
});
