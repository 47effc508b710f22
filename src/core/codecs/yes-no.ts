import { type CellResult, fail, ok } from "../errors.js";
import { blankCell, quote, trimCell } from "./cell-text.js";

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

export const decodeYesNo = (raw: string, column: string): CellResult<boolean> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const yes = WORDS.get(value.toLowerCase());
  if (yes !== undefined) return ok(yes);
  return fail(
    "invalid_yes_no",
    `${column} ${quote(value)} is not Yes or No; write Yes or No (Oui/Non, Y/N and True/False work too)`,
  );
};

export const encodeYesNo = (value: boolean): "Yes" | "No" => (value ? "Yes" : "No");
