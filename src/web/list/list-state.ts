/**
 * The opportunities list's whole state — tab, filters, search, sort, page and page size, and the
 * deal open in the panel — lives in the address, so reload, Back/Forward and a shared link show
 * the same list (and the same deal; Back closes it). This module is the one reader and writer
 * of that part of the URL.
 */
import {
  type DealFilterParams,
  FILTER_PARAMS,
  type FilterParam as WireParam,
  TABS,
  type Tab,
} from "../../core/deal-filter.js";
import { DEAL_SORTS, type DealSort, defaultSortDir } from "../../core/deal-query.js";

export const PAGE_SIZES = [25, 50, 100, 200] as const;
const DEFAULT_SIZE = 50;

/** The filter's fields as typed in the form: core's wire names (`FILTER_PARAMS`) but the tab. */
export type FilterParam = Exclude<WireParam, "tab">;
export const FORM_FILTERS = FILTER_PARAMS.filter((p): p is FilterParam => p !== "tab");

export interface ListState {
  tab: Tab;
  filters: Partial<Record<FilterParam, string>>;
  sort: DealSort;
  dir: "asc" | "desc";
  /** 1-based, as people say it. */
  page: number;
  size: number;
  /** Count every match instead of stopping at the server's cap. */
  exact: boolean;
  /** The Referral ID of the deal open in the panel, if one is. */
  deal: string | null;
}

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined =>
  values.find((x) => x === v);

export function readListState(search: string): ListState {
  const q = new URLSearchParams(search);
  const sort = oneOf(DEAL_SORTS, q.get("sort")) ?? "createdAt";
  const filters: ListState["filters"] = {};
  for (const key of FORM_FILTERS) {
    const v = q.get(key);
    if (v !== null && v.trim() !== "") filters[key] = v;
  }
  const page = Number(q.get("page"));
  const size = Number(q.get("size"));
  return {
    tab: oneOf(TABS, q.get("tab")) ?? "inbound",
    filters,
    sort,
    dir: oneOf(["asc", "desc"] as const, q.get("dir")) ?? defaultSortDir(sort),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    size: PAGE_SIZES.find((s) => s === size) ?? DEFAULT_SIZE,
    exact: q.get("count") === "exact",
    deal: q.get("deal")?.trim() || null,
  };
}

/** The query string of a state; defaults are left out so links stay short. */
export function writeListState(s: ListState): string {
  const q = new URLSearchParams();
  if (s.tab !== "inbound") q.set("tab", s.tab);
  for (const key of FORM_FILTERS) {
    const v = s.filters[key];
    if (v) q.set(key, v);
  }
  if (s.sort !== "createdAt") q.set("sort", s.sort);
  if (s.dir !== defaultSortDir(s.sort)) q.set("dir", s.dir);
  if (s.page !== 1) q.set("page", String(s.page));
  if (s.size !== DEFAULT_SIZE) q.set("size", String(s.size));
  if (s.exact) q.set("count", "exact");
  if (s.deal) q.set("deal", s.deal);
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** The filter by its wire names, as the core's parser (`parseFilterParams`) takes it. */
export function filterParamsOfState(s: Pick<ListState, "tab" | "filters">): DealFilterParams {
  return { ...s.filters, tab: s.tab };
}

/** GET /api/deals for a state. */
export function apiQueryOf(s: ListState): string {
  const q = new URLSearchParams({ tab: s.tab });
  for (const key of FORM_FILTERS) {
    const v = s.filters[key]?.trim();
    if (v) q.set(key, v);
  }
  q.set("sort", s.sort);
  q.set("dir", s.dir);
  q.set("limit", String(s.size));
  q.set("offset", String((s.page - 1) * s.size));
  if (s.exact) q.set("count", "exact");
  return `/api/deals?${q}`;
}

export const hasFilters = (s: ListState) => Object.keys(s.filters).length > 0;
