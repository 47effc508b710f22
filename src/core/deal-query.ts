/**
 * What the deal list (and the export) asks the store for: a checked filter, an order, a
 * window. Pure, so the route that reads a request, the page that keeps it in the address and
 * the db layer that turns it into SQL share one definition, and a sort added here without its
 * column in `db/deal-query.ts` does not compile.
 */
import type { DealCursor } from "./deal-cursor.js";
import type { DealFilter } from "./deal-filter.js";

/** What the list can be sorted by, by the deal's own field names. */
export const DEAL_SORTS = [
  "createdAt",
  "name",
  "customerName",
  "status",
  "value",
  "closeDate",
] as const;
export type DealSort = (typeof DEAL_SORTS)[number];

/** Newest first; every other order starts from the smallest. */
export function defaultSortDir(sort: DealSort): "asc" | "desc" {
  return sort === "createdAt" ? "desc" : "asc";
}

/** One page of the list, or the export's whole selection. */
export interface DealQuery {
  filter: DealFilter;
  /** Count at most this many matches (the total is then `cap + 1` for "more than cap"). */
  countCap?: number;
  /** Newest first unless told otherwise. */
  sort?: { by: DealSort; dir: "asc" | "desc" };
  limit: number;
  offset?: number;
  /** Keyset paging: the deals strictly after this (sort value, id) in the query's order. */
  after?: DealCursor;
}
