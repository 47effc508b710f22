import { type CellResult, fail, ok } from "../errors.js";
import { CELL, EMAIL_WHY } from "../messages/cells.js";
import type { Label, Text } from "../messages/text.js";
import { blankCell, trimCell } from "./cell-text.js";

/** RFC 5321's limit on a whole address. */
const EMAIL_MAX = 254;
/** Characters that only appear in an address by mistake: lists, display names, brackets. */
const STRAY = /[\s,;<>()[\]"\\]/u;
/** Dot-separated labels, none empty, at least two: `contoso.com`. */
const DOMAIN = /^[^.]+(?:\.[^.]+)+$/;

const problemOf = (value: string): Text | null => {
  if (STRAY.test(value)) return EMAIL_WHY.stray;
  const at = value.indexOf("@");
  if (at === -1) return EMAIL_WHY.noAt;
  if (value.indexOf("@", at + 1) !== -1) return EMAIL_WHY.manyAt;
  if (at === 0) return EMAIL_WHY.nothingBefore;
  if (!DOMAIN.test(value.slice(at + 1))) return EMAIL_WHY.noDomain;
  if (value.length > EMAIL_MAX) return EMAIL_WHY.tooLong(EMAIL_MAX);
  return null;
};

/**
 * A pragmatic check, not RFC 5322: one @, something before it, a dotted domain after it, no
 * spaces. Returned trimmed, with its case as given.
 */
export const decodeEmail = (raw: string, column: Label): CellResult<string> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const problem = problemOf(value);
  if (problem === null) return ok(value);
  return fail("invalid_email", CELL.notEmail(column, value, problem));
};
