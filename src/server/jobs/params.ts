/** What a job was asked to do, stored as JSON in its row and parsed back with care. */
import type { Lang } from "../../core/columns.js";
import { type DealFilter, parseDealFilter } from "../../core/deal-filter.js";

export interface ImportJobParams {
  dryRun: boolean;
  upsertByCrmId: boolean;
  fileName: string | null;
}

export interface ExportJobParams {
  filter: DealFilter;
  lang: Lang;
}

const record = (text: string): Record<string, unknown> => {
  const value: unknown = JSON.parse(text);
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
};

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export const parseImportParams = (text: string): ImportJobParams => {
  const p = record(text);
  return {
    dryRun: p.dryRun === true,
    upsertByCrmId: p.upsertByCrmId === true,
    fileName: str(p.fileName) ?? null,
  };
};

export const parseExportParams = (text: string): ExportJobParams => {
  const p = record(text);
  const f =
    typeof p.filter === "object" && p.filter !== null ? (p.filter as Record<string, unknown>) : {};
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
  return { filter, lang: p.lang === "fr" ? "fr" : "en" };
};
