/**
 * An uploaded file, CSV or Excel workbook, read into the text table the core checks take: the
 * format is told by the bytes (a workbook is a ZIP archive), never by the file's name.
 */
import type { CsvTable } from "../../core/csv/index.js";
import { checkUploadSize, readImportCsv } from "../../core/import/read-import-file.js";
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
