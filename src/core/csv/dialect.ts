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

  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      }
      continue;
    }
    if (ch === "\r") return { delimiter: pick(), newline: text[i + 1] === "\n" ? "\r\n" : "\r" };
    if (ch === "\n") return { delimiter: pick(), newline: "\n" };
    if (ch === '"' && atFieldStart) {
      inQuotes = true;
      atFieldStart = false;
      continue;
    }
    if (ch === ",") commas++;
    else if (ch === ";") semicolons++;
    else if (ch === "\t") tabs++;
    atFieldStart = ch === "," || ch === ";" || ch === "\t";
  }
  return { delimiter: pick(), newline: "\r\n" };
}
