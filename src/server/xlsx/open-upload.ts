/**
 * An uploaded file, CSV or Excel workbook, opened for the import: the format is told by the
 * bytes (a workbook is a ZIP archive), never by the file's name, and both go through the
 * same core checks (`openImportTable`), a column mapping included.
 */
import type { ColumnMapping } from "../../core/column-mapping.js";
import type { CsvTable } from "../../core/csv/index.js";
import {
  checkUploadSize,
  type ImportFile,
  type ImportTable,
  openImportTable,
  parseImportRows,
  readImportCsv,
} from "../../core/import/read-import-file.js";
import type { Limits } from "../../core/limits.js";
import { isXlsx, readWorkbook } from "./read-workbook.js";

/** The file's cells, headers not matched yet (what a column mapping is chosen from). */
export async function readUploadTable(
  bytes: Uint8Array,
  limits: Limits,
): Promise<{ csv: CsvTable; encoding: string }> {
  if (!isXlsx(bytes)) return readImportCsv(bytes, limits);
  checkUploadSize(bytes, limits);
  return { csv: await readWorkbook(bytes), encoding: "xlsx" };
}

/** Reads the file and its header, or throws the whole-file rejection. Rows are not parsed yet. */
export async function openUpload(
  bytes: Uint8Array,
  limits: Limits,
  mapping: ColumnMapping = {},
): Promise<ImportTable> {
  const { csv, encoding } = await readUploadTable(bytes, limits);
  return openImportTable(csv, encoding, limits, mapping);
}

/** `openUpload`, then every row parsed. */
export async function readUpload(
  bytes: Uint8Array,
  limits: Limits,
  mapping: ColumnMapping = {},
): Promise<ImportFile> {
  return parseImportRows(await openUpload(bytes, limits, mapping), limits);
}
