/**
 * The import panel's file in the browser: read once, checked with the server's own core code
 * (encoding, delimiter, headers, the column mapping, row errors), with the cells the person
 * corrected in place applied — so the file uploaded is the corrected one, and a row is
 * re-checked the moment a cell changes. Also the file of the rows still failing, in the
 * file's own columns. No React here: the panel renders what these return.
 */
import { wantsMappingStep } from "../core/column-mapping.js";
import { type CsvTable, writeCsv } from "../core/csv/index.js";
import { FileRejectedError, type RowError } from "../core/errors.js";
import type { CellCorrection } from "../core/import/corrections.js";
import {
  type ImportFile,
  openImportTable,
  parseImportRows,
  readImportCsv,
} from "../core/import/read-import-file.js";
import type { Limits } from "../core/limits.js";
import { planCreate } from "../core/row/plan-row.js";
import { localMessage } from "./api.js";

/** A picked file as read: a CSV's table, or a workbook the server alone reads. */
export interface Source {
  name: string;
  bytes: Uint8Array;
  xlsx: boolean;
  /** The CSV read (null: a workbook, or a file refused whole). */
  csv: CsvTable | null;
  encoding: string;
  /** Why the file is refused whole, in the interface's language. */
  rejected: string | null;
}

/** A problem row of the check: its data row, spreadsheet line and errors. */
export interface Problem {
  row: number;
  errors: RowError[];
}

export interface Checked {
  file: ImportFile | null;
  rejected: string | null;
  problems: Problem[];
  /** What goes up: the picked bytes, or the corrected file. */
  bytes: Uint8Array;
  corrections: CellCorrection[];
}

/** Cells corrected in place, by `row:column index` (row 1 = the first data row). */
export type Edits = ReadonlyMap<string, string>;
export const editKey = (row: number, column: number): string => `${row}:${column}`;

const rejection = (error: unknown): string =>
  error instanceof FileRejectedError ? localMessage(error) : String(error);

/** An xlsx file is a zip: it starts with `PK\x03\x04`. */
const isWorkbook = (bytes: Uint8Array): boolean =>
  bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

export function readSource(name: string, bytes: Uint8Array, limits: Limits): Source {
  const base = { name, bytes, csv: null, encoding: "", rejected: null };
  if (isWorkbook(bytes)) return { ...base, xlsx: true };
  try {
    const { csv, encoding } = readImportCsv(bytes, limits);
    return { ...base, xlsx: false, csv, encoding };
  } catch (error) {
    return { ...base, xlsx: false, rejected: rejection(error) };
  }
}

/** Whether the mapping step comes first: unknown headers, or mandatory ones missing. */
export const needsMappingStep = (source: Source): boolean =>
  source.csv !== null && wantsMappingStep(source.csv.header);

/** The table with the corrections applied (a copy: the source stays as picked). */
function editedTable(csv: CsvTable, edits: Edits): CsvTable {
  if (edits.size === 0) return csv;
  return {
    ...csv,
    records: csv.records.map((r, i) => ({
      line: r.line,
      cells: r.cells.map((cell, c) => edits.get(editKey(i + 1, c)) ?? cell),
    })),
  };
}

function correctionsOf(csv: CsvTable, edits: Edits): CellCorrection[] {
  return [...edits].flatMap(([key, to]) => {
    const [row = 0, column = 0] = key.split(":").map(Number);
    const from = csv.records[row - 1]?.cells[column] ?? "";
    return from === to ? [] : [{ row, column: csv.header[column] ?? "", from, to }];
  });
}

const fileText = (csv: CsvTable, records: CsvTable["records"]): Uint8Array =>
  new TextEncoder().encode(
    writeCsv([csv.header, ...records.map((r) => r.cells)], { delimiter: csv.delimiter }),
  );

/** The same checks the server runs first, without the deals it alone knows. */
export function checkSource(
  source: Source,
  limits: Limits,
  mapping: Readonly<Record<string, string | null>>,
  edits: Edits,
): Checked {
  const none = { file: null, problems: [], bytes: source.bytes, corrections: [] };
  if (!source.csv) return { ...none, rejected: source.rejected };
  try {
    const csv = editedTable(source.csv, edits);
    const file = parseImportRows(openImportTable(csv, source.encoding, limits, mapping), limits);
    const ctx = { map: file.map, limits, mode: "import" as const, requiredMember: null };
    const problems = file.rows.flatMap((row) => {
      const outcome = row.referralId ? null : planCreate(row, ctx);
      const errors = outcome?.result === "Not processed" ? outcome.errors : row.errors;
      return errors.length > 0 ? [{ row: row.row, errors }] : [];
    });
    const corrections = correctionsOf(source.csv, edits);
    return {
      file,
      rejected: null,
      problems,
      bytes: corrections.length > 0 ? fileText(csv, csv.records) : source.bytes,
      corrections,
    };
  } catch (error) {
    return { ...none, rejected: rejection(error) };
  }
}

/** The cell an error names, by its column's position in the file (null: a column it lacks). */
export function errorCell(file: ImportFile, error: RowError): number | null {
  if (error.column === "") return null;
  const at = file.map.headers.indexOf(error.column);
  return at < 0 ? null : at;
}

/** The rows still failing, with their corrections, in the file's own columns and delimiter. */
export function failedRowsFile(source: Source, edits: Edits, rows: ReadonlySet<number>): Blob {
  if (!source.csv) throw new Error("only a CSV's rows can be given back");
  const csv = editedTable(source.csv, edits);
  const failing = csv.records.filter((_, i) => rows.has(i + 1));
  return new Blob([new Uint8Array(fileText(csv, failing))], { type: "text/csv" });
}

/** `deals.csv` → `deals-failed-rows.csv`. */
export const failedRowsName = (name: string): string =>
  `${name.replace(/\.[^.]*$/, "") || "import"}-failed-rows.csv`;
