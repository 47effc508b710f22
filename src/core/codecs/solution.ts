import type { Solution } from "../deal.js";
import { type CellResult, fail, ok } from "../errors.js";
import { CELL, LIST_CELL_WHY, PART } from "../messages/cells.js";
import type { Label, Text } from "../messages/text.js";
import { blankCell, type CellDecoder, trimCell } from "./cell-text.js";
import { decodeCurrency } from "./currency.js";
import { decodeDecimal, decodeQuantity, encodeDecimal } from "./number.js";

const SHAPE = "SOLUTION-ID, CURRENCY, PRICE, QUANTITY, e.g. SOL-1234-PQRS, USD, 10, 100";
const PARTS = 4;

type Reading = CellResult<Solution>;

const invalid = (column: Label, value: string, problem: Text): Reading =>
  fail("invalid_solution", CELL.badListCell(column, value, problem, SHAPE));

/** A part's own failure, in both languages, as the reason its cell is refused. */
const partFailure = (failure: { message: string; fr?: string | undefined }): Text => ({
  en: failure.message,
  fr: failure.fr ?? failure.message,
});

const NONE: CellResult<null> = Object.freeze(ok(null));

/** An optional part: null when empty, else what its own decoder makes of it. */
const optional = <T>(text: string, decode: CellDecoder<T>, label: Label): CellResult<T | null> =>
  text === "" ? NONE : decode(text, label);

const readParts = (column: Label, value: string, parts: readonly string[]): Reading => {
  if (parts.length > PARTS) {
    return invalid(column, value, LIST_CELL_WHY.parts(parts.length, PARTS));
  }
  const [id = "", currencyText = "", priceText = "", quantityText = ""] = parts;
  if (id === "") return invalid(column, value, LIST_CELL_WHY.solutionIdMissing);
  const currency = optional(currencyText, decodeCurrency, PART.currency);
  if (!currency.ok) return invalid(column, value, partFailure(currency));
  const price = optional(priceText, decodeDecimal, PART.price);
  if (!price.ok) return invalid(column, value, partFailure(price));
  const quantity = optional(quantityText, decodeQuantity, PART.quantity);
  if (!quantity.ok) return invalid(column, value, partFailure(quantity));
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
export const decodeSolution = (raw: string, column: Label): CellResult<Solution> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const everyComma = readParts(column, value, split(value, ","));
  if (!(BARE_COMMA.test(value) && SPACED_COMMA.test(value))) return everyComma;
  const spacedCommas = readParts(column, value, split(value, /,\s+/));
  if (everyComma.ok && spacedCommas.ok) {
    return fail("invalid_solution", CELL.solutionTwoWays(column, value, SHAPE));
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
