/**
 * From uploaded bytes to parsed rows, or a whole-file rejection. The browser runs this
 * very function before uploading, so a person sees the server's verdict before sending.
 */
import {
  type ByteSource,
  type CsvRecord,
  type CsvTable,
  decodeBytes,
  decodeSlices,
  detectEncoding,
  readCsv,
} from "../csv/index.js";
import { type CsvStream, openCsvStream } from "../csv/stream.js";
import { FileRejectedError } from "../errors.js";
import { type ColumnMapping, mapHeadersWith } from "../column-mapping.js";
import type { HeaderMap } from "../header-map.js";
import type { Limits } from "../limits.js";
import { FILE } from "../messages/files.js";
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
  return { csv: readCsv(text, csvOptions(limits)), encoding };
}

// An over-long cell is a row error (parseRow), not a reason to refuse the whole file; a line
// longer than its columns could make at the cell limit is.
const csvOptions = (limits: Limits) => ({
  maxCellChars: limits.uploadBytes,
  lineGuard: { maxColumns: MAX_IMPORT_COLUMNS, cellChars: limits.cellChars },
});

/**
 * A CSV opened as a stream (a file too large to hold whole as rows): its encoding found by a
 * look at every byte (`detectEncoding`), its header read, its records to come batch by batch
 * from slices of `sliceBytes`. Null for a UTF-16 file, which is read whole.
 */
export function openImportCsvStream(
  source: ByteSource,
  limits: Limits,
  isUtf8: (from: number) => boolean,
  sliceBytes: number,
): { csv: CsvStream; encoding: string } | null {
  checkUploadSize(source.size, limits);
  const encoding = detectEncoding(source, isUtf8);
  if (encoding === "utf-16le" || encoding === "utf-16be") return null;
  const slices = decodeSlices(source, encoding, sliceBytes);
  return { csv: openCsvStream(slices, csvOptions(limits)), encoding };
}

/** Refuses a file over the upload limit (its bytes, or their number), whatever its format, before anything reads it. */
export function checkUploadSize(bytes: Uint8Array | number, limits: Limits): void {
  const size = typeof bytes === "number" ? bytes : bytes.length;
  if (size > limits.uploadBytes) {
    throw new FileRejectedError(
      "file_too_large",
      FILE.tooLarge(formatBytes(size), formatBytes(limits.uploadBytes)),
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
  checkRowCount(csv.records.length, limits);
  const map = mapHeadersWith(csv.header, mapping);
  return { encoding, delimiter: csv.delimiter, map, records: csv.records };
}

/** Refuses a file with more data rows than an import takes (a stream: as soon as it has one too many). */
export function checkRowCount(rows: number, limits: Limits, counted = true): void {
  if (rows > limits.importRows) {
    throw new FileRejectedError(
      "too_many_rows",
      FILE.tooManyRows(counted ? rows : null, limits.importRows),
    );
  }
}

/** Parses records of an opened file, numbered from `firstRow` (1 = the first data row). */
export const parseRecords = (
  map: HeaderMap,
  records: readonly CsvRecord[],
  firstRow: number,
  limits: Limits,
): ParsedRow[] => records.map((record, i) => parseRow(map, record, firstRow + i, limits));

/** Parses every row of an opened file (row errors are data, never thrown). */
export const parseImportRows = (table: ImportTable, limits: Limits): ImportFile => ({
  ...table,
  rows: parseRecords(table.map, table.records, 1, limits),
});

/** From bytes to parsed rows, or a whole-file rejection. */
export const readImportFile = (bytes: Uint8Array, limits: Limits): ImportFile =>
  parseImportRows(openImportFile(bytes, limits), limits);

/** A size as people read it in messages (KiB or MiB). */
export const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
