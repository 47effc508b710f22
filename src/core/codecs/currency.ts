import currencyCodes from "currency-codes";
import { type CellResult, fail, ok } from "../errors.js";
import { CELL } from "../messages/cells.js";
import type { Label } from "../messages/text.js";
import { blankCell, trimCell } from "./cell-text.js";
import { buildNameIndex, guessCodes } from "./suggest.js";

/** ISO 4217 codes, as the package maintains them. */
const CODES: ReadonlySet<string> = new Set(currencyCodes.codes());

/** The package's currency names ("Euro", "US Dollar", "Yen") and the codes themselves, for typos. */
const NAMES = buildNameIndex(currencyCodes.data.map((c) => [c.currency, c.code] as const));
const CODE_NAMES = buildNameIndex([...CODES].map((code) => [code, code] as const));

/**
 * Symbols people type instead of a code. ISO 4217 has no symbols, so these few are ours; only
 * unambiguous ones, and ¥ for the yen as it most often means. Used for suggestions only.
 */
const SYMBOLS: ReadonlyMap<string, string> = new Map([
  ["$", "USD"],
  ["US$", "USD"],
  ["€", "EUR"],
  ["£", "GBP"],
  ["¥", "JPY"],
  ["₹", "INR"],
  ["₩", "KRW"],
  ["₽", "RUB"],
  ["C$", "CAD"],
  ["A$", "AUD"],
  ["R$", "BRL"],
]);

/** Every ISO 4217 code, sorted (the workbook template's drop-down list). */
export function currencyCodeList(): string[] {
  return [...CODES].sort();
}

/** Whether `code` is an ISO 4217 code, exactly as stored (upper case). */
export const isCurrencyCode = (code: string): boolean => CODES.has(code);

const guessCurrency = (value: string, upper: string): string[] => {
  const symbol = SYMBOLS.get(upper);
  if (symbol !== undefined) return [symbol];
  // ISO 4217 codes start with the country's alpha-2 code: US → USD, EU → EUR.
  if (/^[A-Z]{2}$/.test(upper)) return [...CODES].filter((code) => code.startsWith(upper));
  if (/^[A-Z]{3}$/.test(upper)) {
    // A three-letter name ("Yen"), else a code one letter off.
    const named = NAMES.byName.get(upper.toLowerCase());
    return named === undefined ? guessCodes(CODE_NAMES, upper) : [...named];
  }
  return guessCodes(NAMES, value);
};

/**
 * SPEC §5, row 23: an ISO 4217 code in any case, returned upper case. A symbol, a currency name or
 * a typo is refused with the code it most likely means.
 */
export const decodeCurrency = (raw: string, column: Label): CellResult<string> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const upper = value.toUpperCase();
  if (CODES.has(upper)) return ok(upper);
  return fail("invalid_currency", CELL.notCurrency(column, value, guessCurrency(value, upper)));
};
