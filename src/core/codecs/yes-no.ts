import { type CellResult, fail, ok } from "../errors.js";
import { CELL } from "../messages/cells.js";
import type { Label } from "../messages/text.js";
import { blankCell, trimCell } from "./cell-text.js";

/** SPEC §5 "Values": the words a Yes/No cell may hold, in any case. */
const WORDS: ReadonlyMap<string, boolean> = new Map([
  ["yes", true],
  ["y", true],
  ["oui", true],
  ["true", true],
  ["vrai", true],
  ["no", false],
  ["n", false],
  ["non", false],
  ["false", false],
  ["faux", false],
]);

export const decodeYesNo = (raw: string, column: Label): CellResult<boolean> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const yes = WORDS.get(value.toLowerCase());
  if (yes !== undefined) return ok(yes);
  return fail("invalid_yes_no", CELL.notYesNo(column, value));
};

export const encodeYesNo = (value: boolean): "Yes" | "No" => (value ? "Yes" : "No");
