import type { CsvDelimiter } from "./dialect.js";

/**
 * RFC 4180 writing. Hand-written rather than csv-stringify or Papa.unparse because export is a
 * hot path and this is 2× faster than either (docs: stack-measurements.md, "Writing CSV").
 * It does not neutralise formulas: the caller applies neutraliseCell per cell, explicitly.
 */

export interface WriteCsvOptions {
  /** Default comma. */
  delimiter?: CsvDelimiter;
  /** A UTF-8 byte-order mark so that Excel opens the file as UTF-8. Default true. */
  bom?: boolean;
}

const BOM = "\uFEFF";
const RECORD_END = "\r\n";

/** Quote a field holding the delimiter, a quote or a line break, or edge spaces some tools trim. */
const NEEDS_QUOTES: Readonly<Record<CsvDelimiter, RegExp>> = {
  ",": /[",\r\n]|^[ \t]|[ \t]$/,
  ";": /[";\r\n]|^[ \t]|[ \t]$/,
  "\t": /["\t\r\n]|^ | $/,
};

/** One record, without its line end: for writers that stream record by record. */
export function csvRow(cells: readonly string[], delimiter: CsvDelimiter = ","): string {
  const needsQuotes = NEEDS_QUOTES[delimiter];
  let out = "";
  let first = true;
  for (const cell of cells) {
    if (!first) out += delimiter;
    first = false;
    out += needsQuotes.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  return out;
}

/** The whole file: every record ends with CRLF, as Excel writes it. */
export function writeCsv(rows: readonly (readonly string[])[], opts: WriteCsvOptions = {}): string {
  const delimiter = opts.delimiter ?? ",";
  let out = opts.bom === false ? "" : BOM;
  for (const row of rows) out += csvRow(row, delimiter) + RECORD_END;
  return out;
}
