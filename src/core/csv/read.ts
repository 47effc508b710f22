import Papa, { type ParseError } from "papaparse";
import { FileRejectedError } from "../errors.js";
import { DEFAULT_LIMITS } from "../limits.js";
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
    throw new FileRejectedError(
      "no_header",
      "The first line of the file must hold the column headers, but it is empty. Download the template to see them.",
    );
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
    throw unreadable(line, "the CSV parser returned something other than text cells");
  }
  const cells: string[] = [];
  let blank = true;
  let lineBreaks = 0;
  for (let index = 0; index < row.length; index++) {
    const cell: unknown = row[index];
    if (typeof cell !== "string") {
      throw unreadable(line, "the CSV parser returned something other than text cells");
    }
    if (cell.length > maxCellChars) {
      // A cell this long is nearly always a quote that was never closed, swallowing the rows after it.
      throw unreadable(
        line,
        `column ${index + 1} holds more than ${maxCellChars.toLocaleString("en-US")} characters. This is usually a quote (") that is never closed; check that cell`,
      );
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

function parseErrorMessage(error: ParseError): string {
  switch (error.code) {
    case "MissingQuotes":
      return 'a quoted cell is never closed (its closing " is missing)';
    case "InvalidQuotes":
      return 'a quoted cell has text after its closing quote (write a quote inside a quoted cell as "")';
    default:
      return error.message;
  }
}

export function unreadable(line: number | undefined, problem: string): FileRejectedError {
  const where = line === undefined ? "The file cannot be read" : `Line ${line} cannot be read`;
  return new FileRejectedError(
    "unreadable_file",
    `${where}: ${problem}. Fix it, or save the file again from your spreadsheet as CSV, and upload again.`,
  );
}
