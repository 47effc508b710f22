import { type CellResult, fail, ok } from "../errors.js";
import { blankCell, quote, trimCell } from "./cell-text.js";

/** RFC 5321's limit on a whole address. */
const EMAIL_MAX = 254;
/** Characters that only appear in an address by mistake: lists, display names, brackets. */
const STRAY = /[\s,;<>()[\]"\\]/u;
/** Dot-separated labels, none empty, at least two: `contoso.com`. */
const DOMAIN = /^[^.]+(?:\.[^.]+)+$/;

const problemOf = (value: string): string | null => {
  if (STRAY.test(value)) return "it contains a space or a character not allowed in an address";
  const at = value.indexOf("@");
  if (at === -1) return "it has no @";
  if (value.indexOf("@", at + 1) !== -1) return "it has more than one @; give one address";
  if (at === 0) return "nothing comes before the @";
  if (!DOMAIN.test(value.slice(at + 1))) return "the part after the @ is not a domain";
  if (value.length > EMAIL_MAX) return `it is longer than ${EMAIL_MAX} characters`;
  return null;
};

/**
 * A pragmatic check, not RFC 5322: one @, something before it, a dotted domain after it, no
 * spaces. Returned trimmed, with its case as given.
 */
export const decodeEmail = (raw: string, column: string): CellResult<string> => {
  const value = trimCell(raw);
  if (value === "") return blankCell(column);
  const problem = problemOf(value);
  if (problem === null) return ok(value);
  return fail(
    "invalid_email",
    `${column} ${quote(value)} is not an email address (${problem}); write it like name@example.com`,
  );
};
