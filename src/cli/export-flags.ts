/** The export command's flags, and the filter they mean: one reading for local and remote mode. */
import type { Lang } from "../core/columns.js";
import { type DealFilter, parseFilterParams } from "../core/deal-filter.js";

export interface ExportFlags {
  as?: string;
  tab?: string;
  country?: string;
  customer?: string;
  type?: string;
  status?: string;
  solution?: string;
  search?: string;
  lang: Lang;
  format: "csv" | "xlsx";
  output?: string;
  json?: boolean;
}

/** The page's filter these flags ask for; throws `RequestError("invalid_argument")` saying what is wrong. */
export function exportFilterOf(o: ExportFlags): DealFilter {
  // The flags are named as the wire names (`--country`, `--customer`, `--solution`, …).
  return parseFilterParams(o);
}
