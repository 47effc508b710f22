import { type CellResult, fail, ok } from "../errors.js";
import { CELL } from "../messages/cells.js";
import type { Label } from "../messages/text.js";
import { blankCell, trimCell } from "./cell-text.js";

const DUNS_DIGITS = 9;
const SCIENTIFIC = /^\d+(?:[.,]\d+)?e[+-]?\d+$/i;
/** Spaces and dashes people put between digit groups: `15-048-3782`, `150 483 782`. */
const GROUPING = /[\s\-‐‑–—]/g;

/**
 * SPEC §5, row 12: at most nine digits, kept as text. A shorter number lost its leading zeros in a
 * spreadsheet and is padded back to nine (the source's own sample, `81466849`, has eight).
 */
export const decodeDuns = (raw: string, column: Label): CellResult<string> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  if (SCIENTIFIC.test(value)) {
    return fail("duns_scientific_notation", CELL.dunsScientific(column, value));
  }
  const digits = value.replace(GROUPING, "");
  if (!/^\d+$/.test(digits)) {
    return fail("invalid_duns", CELL.notDuns(column, value));
  }
  if (digits.length > DUNS_DIGITS) {
    return fail("invalid_duns", CELL.dunsTooLong(column, value, digits.length));
  }
  return ok(digits.padStart(DUNS_DIGITS, "0"));
};
