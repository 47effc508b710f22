import Papa, { type ParseError } from "papaparse";
import { FileRejectedError } from "../errors.js";
import { DEFAULT_LIMITS } from "../limits.js";
import { CSV_WHY, FILE } from "../messages/files.js";
import { same, type Text } from "../messages/text.js";
import { type CsvDelimiter, sniffDialect } from "./dialect.js";
import { guardLines, type LineGuard } from "./line-guard.js";

/**
 * Text to header and records, cells exactly as written: no trimming, no padding, no type
 * conversion. Matching headers and checking row lengths is the caller's job.
 */

export interface CsvRecord {
  /** The 1-based physical line where the record starts, for messages. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  delimiter: CsvDelimiter;
  header: string[];
  records: CsvRecord[];
}

export interface ReadCsvOptions {
  /** Default: the cell limit of SPEC §8. */
  maxCellChars?: number;
  /** Refuse at once a header or a line no co-sell file has, before the parser reads it. */
  lineGuard?: LineGuard;
}

export function readCsv(text: string, opts: ReadCsvOptions = {}): CsvTable {
  const maxCellChars = opts.maxCellChars ?? DEFAULT_LIMITS.cellChars;
  // decodeBytes already drops the BOM; text from elsewhere (a paste, a test) may still carry one.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const { delimiter, newline } = sniffDialect(body);
  if (opts.lineGuard) guardLines(body, { delimiter, newline }, opts.lineGuard);
  const parsed = Papa.parse<unknown>(body, {
    delimiter,
    newline,
    quoteChar: '"',
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
  });
  const records = new RecordAssembler(maxCellChars);
  const out: CsvRecord[] = [];
  records.take(parsed.data, parsed.errors, out);
  const header = records.header;
  return { delimiter, header: checkedHeader(header), records: out };
}

/** The header row, unless there is none (an empty file, or a first line of empty cells). */
export function checkedHeader(header: string[] | undefined): string[] {
  if (header === undefined || header.every((cell) => cell.trim() === "")) {
    throw new FileRejectedError("no_header", FILE.emptyHeader);
  }
  return header;
}

/**
 * Turns the parser's rows into records, batch after batch (the whole text at once, or a
 * stream's chunks): the first row is the header, rows of empty cells are dropped (Excel
 * leaves `;;;;` after the data), every record knows the line it starts on, and the first
 * parse error refuses the file with its line.
 */
export class RecordAssembler {
  header: string[] | undefined;
  /** The physical line the next row starts on. */
  line = 1;
  /** Data records passed on so far. */
  count = 0;

  constructor(private readonly maxCellChars: number) {}

  /** Appends to `out` the records of `rows`, one parser result's rows and errors. */
  take(rows: readonly unknown[], errors: readonly ParseError[], out: CsvRecord[]): void {
    // Papaparse reports errors in row order; the first one is the one to fix first.
    const firstError = errors[0];
    for (let index = 0; index < rows.length; index++) {
      if (firstError !== undefined && firstError.row === index) {
        throw unreadable(this.line, parseErrorMessage(firstError));
      }
      const cells = checkedCells(rows[index], this.line, this.maxCellChars);
      if (this.header === undefined) {
        this.header = cells.cells;
      } else if (!cells.blank) {
        out.push({ line: this.line, cells: cells.cells });
        this.count++;
      }
      this.line += 1 + cells.lineBreaks;
    }
    if (firstError !== undefined) throw unreadable(undefined, parseErrorMessage(firstError));
  }
}

/**
 * One record as the parser gave it, checked in one pass: text cells only, none over the
 * limit; whether they are all empty, and how many line breaks they hold (CRLF counts once,
 * as editors count it; quoted line breaks reach the cells unchanged).
 */
function checkedCells(
  row: unknown,
  line: number,
  maxCellChars: number,
): { cells: string[]; blank: boolean; lineBreaks: number } {
  if (!Array.isArray(row)) {
    throw unreadable(line, CSV_WHY.notText);
  }
  const cells: string[] = [];
  let blank = true;
  let lineBreaks = 0;
  for (let index = 0; index < row.length; index++) {
    const cell: unknown = row[index];
    if (typeof cell !== "string") {
      throw unreadable(line, CSV_WHY.notText);
    }
    if (cell.length > maxCellChars) {
      // A cell this long is nearly always a quote that was never closed, swallowing the rows after it.
      throw unreadable(line, CSV_WHY.cellTooLong(index + 1, maxCellChars));
    }
    if (cell !== "") blank = false;
    if (cell.includes("\n") || cell.includes("\r")) lineBreaks += lineBreaksIn(cell);
    cells.push(cell);
  }
  return { cells, blank, lineBreaks };
}

function lineBreaksIn(cell: string): number {
  let breaks = 0;
  for (let i = 0; i < cell.length; i++) {
    const ch = cell[i];
    if (ch === "\n") breaks++;
    else if (ch === "\r") {
      breaks++;
      if (cell[i + 1] === "\n") i++;
    }
  }
  return breaks;
}

function parseErrorMessage(error: ParseError): Text {
  switch (error.code) {
    case "MissingQuotes":
      return CSV_WHY.missingQuotes;
    case "InvalidQuotes":
      return CSV_WHY.invalidQuotes;
    default:
      // The parser's own words: English only.
      return same(error.message);
  }
}

export function unreadable(line: number | undefined, problem: string | Text): FileRejectedError {
  const why = typeof problem === "string" ? same(problem) : problem;
  return new FileRejectedError("unreadable_file", FILE.unreadableLine(line, why));
}
