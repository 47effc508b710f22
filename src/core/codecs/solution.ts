import type { Solution } from "../deal.js";
import { type CellResult, fail, ok } from "../errors.js";
import { blankCell, type CellDecoder, quote, trimCell } from "./cell-text.js";
import { decodeCurrency } from "./currency.js";
import { decodeDecimal, decodeQuantity, encodeDecimal } from "./number.js";

const SHAPE = "SOLUTION-ID, CURRENCY, PRICE, QUANTITY, e.g. SOL-1234-PQRS, USD, 10, 100";
const PARTS = 4;

type Reading = CellResult<Solution>;

const invalid = (column: string, value: string, problem: string): Reading =>
  fail("invalid_solution", `${column} ${quote(value)}: ${problem}. Expected ${SHAPE}`);

const NONE: CellResult<null> = Object.freeze(ok(null));

/** An optional part: null when empty, else what its own decoder makes of it. */
const optional = <T>(text: string, decode: CellDecoder<T>, label: string): CellResult<T | null> =>
  text === "" ? NONE : decode(text, label);

const readParts = (column: string, value: string, parts: readonly string[]): Reading => {
  if (parts.length > PARTS) {
    return invalid(column, value, `it has ${parts.length} parts, more than ${PARTS}`);
  }
  const [id = "", currencyText = "", priceText = "", quantityText = ""] = parts;
  if (id === "") return invalid(column, value, "the solution ID is missing");
  const currency = optional(currencyText, decodeCurrency, "the currency");
  if (!currency.ok) return invalid(column, value, currency.message);
  const price = optional(priceText, decodeDecimal, "the price");
  if (!price.ok) return invalid(column, value, price.message);
  const quantity = optional(quantityText, decodeQuantity, "the quantity");
  if (!quantity.ok) return invalid(column, value, quantity.message);
  return ok({ id, currency: currency.value, price: price.value, quantity: quantity.value });
};

const split = (value: string, separator: string | RegExp): string[] =>
  value.split(separator).map(trimCell);

/** A comma with no space after it (not at the end) may sit inside a price: `1,000`, `10,5`. */
const BARE_COMMA = /,(?!\s|$)/;
const SPACED_COMMA = /,\s/;

/**
 * SPEC §5, row 33: `SOLUTION-ID, CURRENCY, PRICE, QUANTITY` in one cell; the ID is required, the
 * rest optional. When a cell separates its parts with ", " but also holds a bare comma, that comma
 * may belong to the price (`1,000` or `10,5`): the reading that makes sense wins, and a cell that
 * makes sense both ways is refused rather than guessed.
 */
export const decodeSolution = (raw: string, column: string): CellResult<Solution> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const everyComma = readParts(column, value, split(value, ","));
  if (!(BARE_COMMA.test(value) && SPACED_COMMA.test(value))) return everyComma;
  const spacedCommas = readParts(column, value, split(value, /,\s+/));
  if (everyComma.ok && spacedCommas.ok) {
    return fail(
      "invalid_solution",
      `${column} ${quote(value)} can be read two ways; write the price with a dot for decimals and no thousands separator. Expected ${SHAPE}`,
    );
  }
  return everyComma.ok ? everyComma : spacedCommas;
};

/** The cell text, without trailing empty parts: `SOL-1`, `SOL-1, USD, 10, 100`, `SOL-1, , 10`. */
export const encodeSolution = (solution: Solution): string => {
  const parts = [
    solution.id,
    solution.currency ?? "",
    solution.price === null ? "" : encodeDecimal(solution.price),
    solution.quantity === null ? "" : encodeDecimal(solution.quantity),
  ];
  while (parts.at(-1) === "") parts.pop();
  return parts.join(", ");
};
