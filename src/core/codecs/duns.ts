import { type CellResult, fail, ok } from "../errors.js";
import { blankCell, quote, trimCell } from "./cell-text.js";

const DUNS_DIGITS = 9;
const SCIENTIFIC = /^\d+(?:[.,]\d+)?e[+-]?\d+$/i;
/** Spaces and dashes people put between digit groups: `15-048-3782`, `150 483 782`. */
const GROUPING = /[\s\-‐‑–—]/g;

/**
 * SPEC §5, row 12: at most nine digits, kept as text. A shorter number lost its leading zeros in a
 * spreadsheet and is padded back to nine (the source's own sample, `81466849`, has eight).
 */
export const decodeDuns = (raw: string, column: string): CellResult<string> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  if (SCIENTIFIC.test(value)) {
    return fail(
      "duns_scientific_notation",
      `${column} ${quote(value)} was turned into scientific notation by a spreadsheet, which loses digits; format the column as Text and re-enter the number`,
    );
  }
  const digits = value.replace(GROUPING, "");
  if (!/^\d+$/.test(digits)) {
    return fail(
      "invalid_duns",
      `${column} ${quote(value)} is not a D-U-N-S number; write its nine digits, e.g. 150483782`,
    );
  }
  if (digits.length > DUNS_DIGITS) {
    return fail(
      "invalid_duns",
      `${column} ${quote(value)} has ${digits.length} digits; a D-U-N-S number has nine`,
    );
  }
  return ok(digits.padStart(DUNS_DIGITS, "0"));
};
