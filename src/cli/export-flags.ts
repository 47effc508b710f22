/** The export command's flags, and the filter they mean: one reading for local and remote mode. */
import { type DealFilter, parseDealFilter } from "../core/deal-filter.js";

export interface ExportFlags {
  as?: string;
  tab?: string;
  country?: string;
  customer?: string;
  type?: string;
  status?: string;
  solution?: string;
  search?: string;
  lang: "en" | "fr";
  format: "csv" | "xlsx";
  output?: string;
  json?: boolean;
}

/** The page's filter these flags ask for; throws `RequestError("invalid_argument")` saying what is wrong. */
export const exportFilterOf = (o: ExportFlags): DealFilter =>
  parseDealFilter({
    tab: o.tab,
    countries: o.country,
    customerName: o.customer,
    type: o.type,
    status: o.status,
    solutionId: o.solution,
    search: o.search,
  });
