/**
 * The filters of the opportunities page (SPEC §2), which the export honours exactly:
 * tab, countries, customer name, deal type, solution ID, status and free-text search.
 * Parsed here once, for the CLI, the API and the web page alike, and named on the wire once
 * (`FILTER_PARAMS`).
 */
import { decodeCountry, decodeStatus, decodeSubstatus } from "./codecs/index.js";
import { DEAL_TYPES, type DealType, type Status, type Substatus } from "./deal.js";
import { RequestError } from "./errors.js";
import { FILTER } from "./messages/requests.js";
import type { Text } from "./messages/text.js";

export const TABS = ["inbound", "outbound", "favorites"] as const;
export type Tab = (typeof TABS)[number];

export const SEARCH_MIN_CHARS = 3;

export interface DealFilter {
  /** Absent: every deal in scope, both directions. */
  tab?: Tab;
  countries?: string[];
  /** Part of the customer's name, any case. */
  customerName?: string;
  type?: DealType;
  solutionId?: string;
  status?: Status;
  substatus?: Substatus;
  /** Part of the deal name, customer name, Referral ID, CRM ID or notes; 3 characters or more. */
  search?: string;
}

/**
 * The filter's one vocabulary on the wire: GET /api/deals's query, POST /api/exports's body,
 * the CLI's export flags (`--country`, `--customer`, `--solution`, …) and the page's address
 * and form all spell it so. In the page's order (the address lists them so).
 */
export const FILTER_PARAMS = [
  "tab",
  "search",
  "country",
  "customer",
  "type",
  "solution",
  "status",
] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

/** A filter by its wire names, before its values are checked. */
export type DealFilterParams = {
  [K in FilterParam]?: K extends "country"
    ? // One code, comma-separated codes, or a repeated parameter.
      string | readonly string[] | undefined
    : string | undefined;
};

/** Checks and normalises a filter given by its wire names (see `parseDealFilter`). */
export function parseFilterParams(p: DealFilterParams): DealFilter {
  return parseDealFilter({
    tab: p.tab,
    countries: p.country,
    customerName: p.customer,
    type: p.type,
    solutionId: p.solution,
    status: p.status,
    search: p.search,
  });
}

/**
 * A checked filter by its wire names, as a query string or a JSON body carries it; parsed
 * again with `parseFilterParams`, it is the same filter.
 */
export function filterParamsOf(filter: DealFilter): Partial<Record<FilterParam, string>> {
  const q: Partial<Record<FilterParam, string>> = {};
  if (filter.tab) q.tab = filter.tab;
  if (filter.search) q.search = filter.search;
  if (filter.countries?.length) q.country = filter.countries.join(",");
  if (filter.customerName) q.customer = filter.customerName;
  if (filter.type) q.type = filter.type;
  if (filter.solutionId) q.solution = filter.solutionId;
  const status = filter.status ?? filter.substatus;
  if (status) q.status = status;
  return q;
}

/** The checked filter's own field names, for a caller that holds a stored filter (a job's). */
export interface DealFilterInput {
  tab?: string | undefined;
  countries?: string | readonly string[] | undefined;
  customerName?: string | undefined;
  type?: string | undefined;
  solutionId?: string | undefined;
  status?: string | undefined;
  search?: string | undefined;
}

const blank = (s: string | undefined): s is undefined => s === undefined || s.trim() === "";

const bad = (message: Text): never => {
  throw new RequestError("invalid_argument", message);
};

/** Checks and normalises filter input; throws `RequestError("invalid_argument")` saying what is wrong. */
export const parseDealFilter = (input: DealFilterInput): DealFilter => {
  const filter: DealFilter = {};
  if (!blank(input.tab)) {
    const tab = input.tab.trim().toLowerCase();
    const found = TABS.find((t) => t === tab);
    filter.tab = found ?? bad(FILTER.tab(input.tab, TABS));
  }
  // "US,FR", ["US", "FR"] and ["US,FR"] (a query string coerced to an array) all mean the same.
  const countries = (
    typeof input.countries === "string" ? [input.countries] : (input.countries ?? [])
  ).flatMap((c) => c.split(","));
  const codes = countries
    .filter((c) => c.trim() !== "")
    .map((c) => {
      const decoded = decodeCountry(c, FILTER.country);
      return decoded.ok
        ? decoded.value
        : bad({ en: decoded.message, fr: decoded.fr ?? decoded.message });
    });
  if (codes.length > 0) filter.countries = [...new Set(codes)];
  if (!blank(input.customerName)) filter.customerName = input.customerName.trim();
  if (!blank(input.type)) {
    const wanted = input.type
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, "-");
    const found = DEAL_TYPES.find((t) => t.toLowerCase() === wanted);
    filter.type = found ?? bad(FILTER.dealType(input.type, DEAL_TYPES));
  }
  if (!blank(input.solutionId)) filter.solutionId = input.solutionId.trim();
  if (!blank(input.status)) {
    const status = decodeStatus(input.status, FILTER.status);
    if (status.ok) filter.status = status.value;
    else {
      const substatus = decodeSubstatus(input.status, FILTER.status);
      if (substatus.ok) filter.substatus = substatus.value;
      else bad(FILTER.statusWord(input.status));
    }
  }
  if (!blank(input.search)) {
    const search = input.search.trim();
    // Characters, not UTF-16 units, as everywhere else in cosell: an emoji counts once.
    if ([...search].length < SEARCH_MIN_CHARS) {
      bad(FILTER.searchTooShort(search, SEARCH_MIN_CHARS));
    }
    filter.search = search;
  }
  return filter;
};
