/** The export command (SPEC §3): the list's own query, capped, written as a co-sell CSV. */
import type { Lang } from "../../core/columns.js";
import type { DealFilter } from "../../core/deal-filter.js";
import { writeExportFile } from "../../core/export/export-file.js";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import { queryDeals } from "../db/deal-query.js";
import type { Store } from "../db/store.js";
import { writeExportWorkbook, XLSX_TYPE } from "../xlsx/export-workbook.js";
import type { UserActor } from "../../core/actor.js";

export interface ExportResult {
  /** Deals in the file. */
  count: number;
  /** Deals that matched but were over the cap. */
  leftOut: number;
  csv: string;
}

export const exportDeals = async (
  store: Store,
  input: { actor: UserActor; filter: DealFilter; lang?: Lang; limits?: Limits },
): Promise<ExportResult> => {
  const limits = input.limits ?? DEFAULT_LIMITS;
  const { deals, total } = await queryDeals(store.db, input.actor, {
    filter: input.filter,
    limit: limits.exportRecords,
  });
  return {
    count: deals.length,
    leftOut: Math.max(0, total - deals.length),
    csv: writeExportFile(deals, input.lang ?? "en"),
  };
};

export type ExportFormat = "csv" | "xlsx";

export interface ExportedFile {
  count: number;
  leftOut: number;
  data: Uint8Array;
  contentType: string;
  /** `csv` or `xlsx`, for the file's name. */
  extension: ExportFormat;
}

/** The export in the format asked: the co-sell CSV, or the same cells as an Excel workbook. */
export async function exportDealsFile(
  store: Store,
  input: {
    actor: UserActor;
    filter: DealFilter;
    lang?: Lang;
    limits?: Limits;
    format: ExportFormat;
  },
): Promise<ExportedFile> {
  const limits = input.limits ?? DEFAULT_LIMITS;
  const lang = input.lang ?? "en";
  const { deals, total } = await queryDeals(store.db, input.actor, {
    filter: input.filter,
    limit: limits.exportRecords,
  });
  const counts = { count: deals.length, leftOut: Math.max(0, total - deals.length) };
  if (input.format === "xlsx") {
    const data = await writeExportWorkbook(deals, lang);
    return { ...counts, data, contentType: XLSX_TYPE, extension: "xlsx" };
  }
  const data = new TextEncoder().encode(writeExportFile(deals, lang));
  return { ...counts, data, contentType: "text/csv; charset=utf-8", extension: "csv" };
}
