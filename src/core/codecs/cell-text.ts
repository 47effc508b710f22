import { type CellResult, fail } from "../errors.js";
import { CELL } from "../messages/cells.js";
import { didYouMeanIn, type Label, orListIn, quote } from "../messages/text.js";

/** The contract of every decoder: the raw cell and its header as the file spells it. */
export type CellDecoder<T> = (raw: string, column: Label) => CellResult<T>;

/**
 * The value of a cell without what spreadsheets leave around it. `String#trim` removes every
 * Unicode space, so non-breaking (U+00A0) and narrow non-breaking (U+202F) spaces go too.
 */
export const trimCell = (raw: string): string => raw.trim();

/** The one emptiness rule: a cell of spaces is an empty cell. Decoders expect a non-blank cell. */
export const isBlankCell = (raw: string): boolean => trimCell(raw) === "";

/** What a decoder answers when it is handed a blank cell anyway. */
export const blankCell = (column: Label): CellResult<never> => fail("required", CELL.blank(column));

export { quote };

/** Case- and accent-blind form for matching words: "Fermée" → "fermee", "En  attente" → "en attente". */
export const foldText = (text: string): string =>
  text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();

/** "A", "A or B", "A, B or C". */
export const orList = (items: readonly string[]): string => orListIn("en", items);

/** " (did you mean US?)", or "" when there is no guess or too many to be useful. */
export const didYouMean = (guesses: readonly string[]): string => didYouMeanIn("en", guesses);

/**
 * The values a row error's message suggests, read back from its "(did you mean A, B or C?)":
 * what the page offers as a one-click fix. The codecs write that phrase (`didYouMean`, the
 * date and number codecs), so it is read here, next to where it is written.
 */
export const suggestedValues = (message: string): string[] => {
  const m = /\(did you mean (.+?)\?\)/.exec(message);
  if (!m?.[1]) return [];
  return m[1]
    .split(/, | or /)
    .map((s) => s.trim())
    .filter((s) => s !== "");
};
