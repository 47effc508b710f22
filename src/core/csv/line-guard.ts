/**
 * A cheap look at a CSV text's lines before the parser reads it, so that a file no co-sell
 * export could be is refused at once, with its line number: a header with more columns than the
 * catalogue can hold, a header cell no column name is that long, or a line longer than its
 * columns could make at the cell limit. Without it the parser and the header matcher spend
 * seconds on such a file (a 4.9 MB line, a 200,000-column header), holding up a server's every
 * other request. One pass over the characters, quotes followed as the sniffer follows them.
 */
import { FileRejectedError } from "../errors.js";
import { FILE } from "../messages/files.js";
import type { CsvDialect } from "./dialect.js";

export interface LineGuard {
  /** Columns a header may have. */
  maxColumns: number;
  /** Characters in one cell (SPEC §8). */
  cellChars: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Throws `too_many_columns` or `line_too_long` for the first line that cannot be a co-sell line.
 * The header is read character by character (it is short, or refused early); the data lines only
 * need their lengths, found with `indexOf`, which is fast on megabytes.
 */
export function guardLines(text: string, dialect: CsvDialect, guard: LineGuard): void {
  const delim = dialect.delimiter.charCodeAt(0);
  let line = 1;
  let columns = 1;
  let cellStart = 0;
  let inQuotes = false;
  let atFieldStart = true;
  let i = 0;
  for (; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (i - cellStart > guard.cellChars) throw headerCellTooLong(line, columns, guard);
    if (inQuotes) {
      if (ch === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else inQuotes = false;
      } else if (ch === LF || ch === CR) {
        if (ch === CR && text.charCodeAt(i + 1) === LF) i++;
        line++;
      }
      continue;
    }
    if (ch === LF || ch === CR) {
      if (ch === CR && text.charCodeAt(i + 1) === LF) i++;
      break;
    }
    if (ch === QUOTE && atFieldStart) {
      inQuotes = true;
      atFieldStart = false;
      continue;
    }
    atFieldStart = ch === delim;
    if (atFieldStart) {
      columns++;
      cellStart = i + 1;
      if (columns > guard.maxColumns) throw tooManyColumns(guard);
    }
  }
  // Every cell at the limit, each quoted with its quotes doubled, and the delimiters between.
  const maxLine = columns * (2 * guard.cellChars + 3);
  const newline = dialect.newline === "\r" ? "\r" : "\n";
  let from = i + 1;
  line++;
  while (from < text.length) {
    const next = text.indexOf(newline, from);
    const end = next === -1 ? text.length : next;
    // A CRLF line's CR is part of its length here: one character of slack.
    if (end - from > maxLine + 1) throw lineTooLong(line, end - from, columns, guard, maxLine);
    if (next === -1) break;
    from = next + 1;
    line++;
  }
}

function tooManyColumns(guard: LineGuard): FileRejectedError {
  return new FileRejectedError("too_many_columns", FILE.tooManyColumns(guard.maxColumns));
}

function headerCellTooLong(line: number, column: number, guard: LineGuard): FileRejectedError {
  return new FileRejectedError(
    "line_too_long",
    FILE.headerCellTooLong(line, column, guard.cellChars),
  );
}

/** A line longer than `maxLine` characters, the most `columns` cells at the cell limit can make. */
export function lineTooLong(
  line: number,
  length: number,
  columns: number,
  guard: LineGuard,
  maxLine: number,
): FileRejectedError {
  return new FileRejectedError(
    "line_too_long",
    FILE.lineTooLong(line, maxLine, length, columns, guard.cellChars),
  );
}
