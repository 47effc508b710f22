import { type CellResult, fail, ok } from "../errors.js";
import { CELL } from "../messages/cells.js";
import type { Label } from "../messages/text.js";
import { blankCell, trimCell } from "./cell-text.js";

/** Length in characters (code points), so an emoji counts once, as PostgreSQL counts it. */
const charCount = (text: string): number => {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
};

/** Free text, trimmed; `too_long` past `maxChars` characters. */
export const decodeText = (raw: string, column: Label, maxChars: number): CellResult<string> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  // UTF-16 units never undercount characters, so only a long string needs the exact count.
  if (value.length <= maxChars) return ok(value);
  const length = charCount(value);
  if (length <= maxChars) return ok(value);
  return fail("too_long", CELL.tooLong(column, value, length, maxChars));
};
