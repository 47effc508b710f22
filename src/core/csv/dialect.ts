/**
 * The dialect of a CSV file, read from its header row only: a data cell may legitimately hold
 * commas or semicolons (addresses, solutions, team members), the header row never does.
 */

/** Excel writes `;` in locales whose decimal separator is a comma, and tab for "Unicode text". */
export const CSV_DELIMITERS = [",", ";", "\t"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export type CsvNewline = "\r\n" | "\n" | "\r";

export interface CsvDialect {
  delimiter: CsvDelimiter;
  /** How the header row ends; a file that has only a header row gets CRLF. */
  newline: CsvNewline;
}

/**
 * Counts each delimiter outside quotes on the first record; the most frequent wins, and ties
 * prefer comma, then semicolon. A quote opens a quoted field only at the start of a field, as
 * in RFC 4180, so `5" screen` does not hide the rest of the line.
 */
export function sniffDialect(text: string): CsvDialect {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let inQuotes = false;
  let atFieldStart = true;
  const pick = (): CsvDelimiter => {
    if (commas >= semicolons && commas >= tabs) return ",";
    return semicolons >= tabs ? ";" : "\t";
  };

  // A header is a few KB; a first line far longer is refused by the line guard anyway, and
  // counting its first part gives the same majority without a pass over megabytes.
  const end = Math.min(text.length, SNIFF_CHARS);
  for (let i = 0; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (inQuotes) {
      if (ch === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (ch === CR)
      return { delimiter: pick(), newline: text.charCodeAt(i + 1) === LF ? "\r\n" : "\r" };
    if (ch === LF) return { delimiter: pick(), newline: "\n" };
    if (ch === QUOTE && atFieldStart) {
      inQuotes = true;
      atFieldStart = false;
      continue;
    }
    if (ch === COMMA) commas++;
    else if (ch === SEMICOLON) semicolons++;
    else if (ch === TAB) tabs++;
    atFieldStart = ch === COMMA || ch === SEMICOLON || ch === TAB;
  }
  return { delimiter: pick(), newline: "\r\n" };
}

const SNIFF_CHARS = 256 * 1024;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const COMMA = 44;
const SEMICOLON = 59;
const TAB = 9;
