/**
 * From uploaded bytes to parsed rows, or a whole-file rejection. The browser runs this
 * very function before uploading, so a person sees the server's verdict before sending.
 */
import { type CsvRecord, type CsvTable, decodeBytes, readCsv } from "../csv/index.js";
import { FileRejectedError } from "../errors.js";
import { type ColumnMapping, mapHeadersWith } from "../column-mapping.js";
import type { HeaderMap } from "../header-map.js";
import type { Limits } from "../limits.js";
import { type ParsedRow, parseRow } from "../row/parse-row.js";

/** A file that passed the whole-file checks: its records, and what its columns are. */
export interface ImportTable {
  encoding: string;
  delimiter: "," | ";" | "\t";
  map: HeaderMap;
  records: CsvRecord[];
}

/** The table with every row parsed. */
export interface ImportFile extends ImportTable {
  rows: ParsedRow[];
}

/**
 * The widest header an import reads: the catalogue's columns with 50 solutions and 50 team
 * members are under 150, newer Partner Center templates add a few; anything near this is not a
 * co-sell file.
 */
export const MAX_IMPORT_COLUMNS = 1000;

/** Reads the file and its header, or throws the whole-file rejection. Rows are not parsed yet. */
export const openImportFile = (
  bytes: Uint8Array,
  limits: Limits,
  mapping: ColumnMapping = {},
): ImportTable => {
  const { csv, encoding } = readImportCsv(bytes, limits);
  return openImportTable(csv, encoding, limits, mapping);
};

/** A CSV's bytes as text cells, headers not matched yet (a column mapping may come first). */
export function readImportCsv(
  bytes: Uint8Array,
  limits: Limits,
): { csv: CsvTable; encoding: string } {
  checkUploadSize(bytes, limits);
  const { text, encoding } = decodeBytes(bytes);
  // An over-long cell is a row error (parseRow), not a reason to refuse the whole file; a line
  // longer than its columns could make at the cell limit is.
  const lineGuard = { maxColumns: MAX_IMPORT_COLUMNS, cellChars: limits.cellChars };
  return { csv: readCsv(text, { maxCellChars: limits.uploadBytes, lineGuard }), encoding };
}

/** Refuses a file over the upload limit, whatever its format, before anything reads it. */
export function checkUploadSize(bytes: Uint8Array, limits: Limits): void {
  if (bytes.length > limits.uploadBytes) {
    throw new FileRejectedError(
      "file_too_large",
      `The file is ${formatBytes(bytes.length)}; the limit is ${formatBytes(limits.uploadBytes)}. Split it into smaller files`,
    );
  }
}

/**
 * The whole-file checks on a table already read: from CSV text above, or from a workbook's
 * sheet (the server's xlsx adapter), so both formats meet the same rules from here on.
 */
export function openImportTable(
  csv: CsvTable,
  encoding: string,
  limits: Limits,
  mapping: ColumnMapping = {},
): ImportTable {
  if (csv.records.length > limits.importRows) {
    throw new FileRejectedError(
      "too_many_rows",
      `The file has ${csv.records.length} data rows; an import takes at most ${limits.importRows}. Nothing was imported: split it into files of ${limits.importRows} rows or fewer`,
    );
  }
  const map = mapHeadersWith(csv.header, mapping);
  return { encoding, delimiter: csv.delimiter, map, records: csv.records };
}

/** Parses every row of an opened file (row errors are data, never thrown). */
export const parseImportRows = (table: ImportTable, limits: Limits): ImportFile => ({
  ...table,
  rows: table.records.map((record, i) => parseRow(table.map, record, i + 1, limits)),
});

/** From bytes to parsed rows, or a whole-file rejection. */
export const readImportFile = (bytes: Uint8Array, limits: Limits): ImportFile =>
  parseImportRows(openImportFile(bytes, limits), limits);

/** A size as people read it in messages (KiB or MiB). */
export const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
