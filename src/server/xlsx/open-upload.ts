/**
 * An uploaded file, CSV or Excel workbook, opened for the import: the format is told by the
 * bytes (a workbook is a ZIP archive), never by the file's name, and both go through the
 * same core checks (`openImportTable`).
 */
import {
  checkUploadSize,
  type ImportFile,
  type ImportTable,
  openImportFile,
  openImportTable,
  parseImportRows,
} from "../../core/import/read-import-file.js";
import type { Limits } from "../../core/limits.js";
import { isXlsx, readWorkbook } from "./read-workbook.js";

/** Reads the file and its header, or throws the whole-file rejection. Rows are not parsed yet. */
export async function openUpload(bytes: Uint8Array, limits: Limits): Promise<ImportTable> {
  if (!isXlsx(bytes)) return openImportFile(bytes, limits);
  checkUploadSize(bytes, limits);
  return openImportTable(await readWorkbook(bytes), "xlsx", limits);
}

/** `openUpload`, then every row parsed. */
export async function readUpload(bytes: Uint8Array, limits: Limits): Promise<ImportFile> {
  return parseImportRows(await openUpload(bytes, limits), limits);
}
