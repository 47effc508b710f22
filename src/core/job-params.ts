/** What a job was asked to do, stored as JSON in its row and parsed back with care. */
import { type Lang, langOf } from "./columns.js";
import { type DealFilter, parseDealFilter } from "./deal-filter.js";
import { parseMapping } from "./column-mapping.js";
import { isRecord, parseJsonObject } from "./json.js";

export interface ImportJobParams {
  dryRun: boolean;
  upsertByCrmId: boolean;
  fileName: string | null;
  /** The column mapping chosen when the job was submitted (`{}`: none). */
  mapping: Record<string, string | null>;
  preset: string | null;
}

export interface ExportJobParams {
  filter: DealFilter;
  lang: Lang;
  /** Older jobs have none: CSV. */
  format: "csv" | "xlsx";
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export const parseImportParams = (text: string): ImportJobParams => {
  const p = parseJsonObject(text);
  return {
    dryRun: p.dryRun === true,
    upsertByCrmId: p.upsertByCrmId === true,
    fileName: str(p.fileName) ?? null,
    mapping: isRecord(p.mapping) ? parseMapping(p.mapping) : {},
    preset: str(p.preset) ?? null,
  };
};

export const parseExportParams = (text: string): ExportJobParams => {
  const p = parseJsonObject(text);
  const f = isRecord(p.filter) ? p.filter : {};
  const countries = Array.isArray(f.countries)
    ? f.countries.filter((c): c is string => typeof c === "string")
    : [];
  // The filter was checked when the job was submitted; parsing it again keeps one rule.
  const filter = parseDealFilter({
    tab: str(f.tab),
    countries,
    customerName: str(f.customerName),
    type: str(f.type),
    solutionId: str(f.solutionId),
    status: str(f.status) ?? str(f.substatus),
    search: str(f.search),
  });
  return {
    filter,
    lang: langOf(p.lang) ?? "en",
    format: p.format === "xlsx" ? "xlsx" : "csv",
  };
};

export interface SyncJobParams {
  connectionId: string;
  /** A webhook's referrals only; absent for a full sync. */
  referralIds: string[] | null;
}

export const parseSyncParams = (text: string): SyncJobParams => {
  const p = parseJsonObject(text);
  const ids = Array.isArray(p.referralIds)
    ? p.referralIds.filter((c): c is string => typeof c === "string")
    : null;
  return { connectionId: str(p.connectionId) ?? "", referralIds: ids };
};

export interface UndoJobParams {
  /** The import to undo. */
  importId: string;
  dryRun: boolean;
  /** The undo window (days) of the server that took the request, so the worker applies the same. */
  undoDays: number;
}

export const parseUndoParams = (text: string): UndoJobParams => {
  const p = parseJsonObject(text);
  return {
    importId: str(p.importId) ?? "",
    dryRun: p.dryRun === true,
    undoDays: typeof p.undoDays === "number" && p.undoDays > 0 ? p.undoDays : 7,
  };
};
