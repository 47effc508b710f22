/**
 * What a spreadsheet does to number-like text: Excel opens a CSV, reads a long digit string as a
 * number and writes it back in scientific notation (`1.20655E+10`: digits lost for good), or drops
 * its leading zeros (`02134` → `2134`). Such cells are refused with a message that says who did it
 * and how to avoid it, rather than stored silently.
 */
import { type CellResult, fail, ok } from "../errors.js";
import { CELL } from "../messages/cells.js";
import type { Label } from "../messages/text.js";

/**
 * How Excel and LibreOffice write a number they show in scientific notation: a mantissa (decimal
 * point or comma) and a signed exponent. The sign keeps free-text identifiers such as `12E3` valid.
 */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e[+-]\d+$/i;

/** True when a trimmed cell reads as a spreadsheet's scientific notation. */
export function isScientificNotation(value: string): boolean {
  return SCIENTIFIC.test(value);
}

/** The one message for a cell a spreadsheet turned into scientific notation. */
export function scientificNotationError(column: Label, value: string): CellResult<never> {
  return fail("spreadsheet_scientific_notation", CELL.scientific(column, value));
}

/** A number-like text cell (phone, postal code, CRM ID, campaign ID), already trimmed and checked for length. */
export function refuseScientific(column: Label, value: string): CellResult<string> {
  return isScientificNotation(value) ? scientificNotationError(column, value) : ok(value);
}

/**
 * Countries whose postal codes are always five digits and may start with zero: a code of fewer
 * digits there lost its leading zeros. Countries with other formats are not checked.
 */
const FIVE_DIGIT_POSTAL_CODES: ReadonlySet<string> = new Set(["US", "FR", "DE", "IT", "ES", "FI"]);
const POSTAL_DIGITS = 5;
/** US ZIP+4 (`2134-1234`) keeps its first part's digits too. */
const SHORT_CODE = /^(\d{1,4})(-\d{4})?$/;

/**
 * A postal code that looks like a spreadsheet dropped its leading zeros for its country, e.g.
 * `2134` in the US (for `02134`). Null when the code is fine or its country is not checked.
 */
export function lostLeadingZeroError(
  column: string,
  postalCode: string,
  country: string,
): { code: "postal_code_lost_leading_zero"; message: string; fr: string } | null {
  if (!FIVE_DIGIT_POSTAL_CODES.has(country)) return null;
  const short = SHORT_CODE.exec(postalCode);
  if (!short) return null;
  const digits = short[1] ?? "";
  const restored = `${digits.padStart(POSTAL_DIGITS, "0")}${short[2] ?? ""}`;
  const text = CELL.postalLostZero(
    column,
    postalCode,
    digits.length,
    country,
    POSTAL_DIGITS,
    restored,
  );
  return { code: "postal_code_lost_leading_zero", message: text.en, fr: text.fr };
}
