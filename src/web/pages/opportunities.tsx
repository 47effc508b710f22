/**
 * The co-sell opportunities page (SPEC §2): a title banner with Import and Export at its
 * top right, tabs, filters and search, and a paged, sortable grid. Filters are checked
 * with the core's own parser before anything is sent.
 */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { encodeCloseDate } from "../../core/codecs/index.js";
import { headerOf } from "../../core/columns.js";
import { DEAL_TYPES, STATUSES, SUBSTATUSES } from "../../core/deal.js";
import {
  type DealFilter,
  type DealFilterInput,
  parseDealFilter,
  type Tab,
} from "../../core/deal-filter.js";
import { RequestError } from "../../core/errors.js";
import { ApiError, getJson, request } from "../api.js";
import { type DealItem, DealPage, type Me, parse } from "../api-types.js";
import { useExports } from "../exports.js";
import { t } from "../messages.js";
import { DealPanel } from "./deal-panel.js";
import { ImportPanel } from "./import-panel.js";

type SortKey = "createdAt" | "name" | "customerName" | "status" | "value" | "closeDate";

const GRID: readonly { key: string; label: string; sort?: SortKey; numeric?: boolean }[] = [
  { key: "name", label: headerOf("name", "en"), sort: "name" },
  { key: "customerName", label: headerOf("customerName", "en"), sort: "customerName" },
  { key: "status", label: headerOf("status", "en"), sort: "status" },
  { key: "microsoftStatus", label: headerOf("microsoftStatus", "en") },
  { key: "value", label: headerOf("value", "en"), sort: "value", numeric: true },
  { key: "closeDate", label: headerOf("closeDate", "en"), sort: "closeDate" },
  { key: "customerCountry", label: headerOf("customerCountry", "en") },
  { key: "createdAt", label: t.created_at, sort: "createdAt" },
  { key: "id", label: headerOf("referralId", "en") },
  { key: "crmId", label: headerOf("crmId", "en") },
];

const TABS: readonly { tab: Tab; label: string }[] = [
  { tab: "inbound", label: t.tabInbound },
  { tab: "outbound", label: t.tabOutbound },
  { tab: "favorites", label: t.tabFavorites },
];

/** The query string of a filter, as GET /api/deals and POST /api/exports take it. */
const filterQuery = (tab: Tab, f: DealFilter): Record<string, string> => {
  const q: Record<string, string> = { tab };
  if (f.countries?.length) q.country = f.countries.join(",");
  if (f.customerName) q.customer = f.customerName;
  if (f.type) q.type = f.type;
  if (f.solutionId) q.solution = f.solutionId;
  if (f.status ?? f.substatus) q.status = f.status ?? f.substatus ?? "";
  if (f.search) q.search = f.search;
  return q;
};

const money = (value: number, currency: string) => {
  try {
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      maximumFractionDigits: 0,
    }).format(value);
  } catch {
    return `${value} ${currency}`;
  }
};

export const OpportunitiesPage = ({ me }: { me: Me }) => {
  const [tab, setTab] = useState<Tab>("inbound");
  const [filter, setFilter] = useState<DealFilter>({});
  const [sort, setSort] = useState<{ by: SortKey; dir: "asc" | "desc" }>({
    by: "createdAt",
    dir: "desc",
  });
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const [data, setData] = useState<{
    items: DealItem[];
    total: number;
    totalIsExact: boolean;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openDeal, setOpenDeal] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [reload, setReload] = useState(0);
  const { startExport, notify, running } = useExports();

  const refresh = useCallback(() => setReload((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` is the refresh trigger.
  useEffect(() => {
    const q = new URLSearchParams({
      ...filterQuery(tab, filter),
      sort: sort.by,
      dir: sort.dir,
      limit: String(pageSize),
      offset: String(page * pageSize),
    });
    let live = true;
    setError(null);
    getJson(`/api/deals?${q}`)
      .then((body) => live && setData(parse(DealPage, body)))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : t.error));
    return () => {
      live = false;
    };
  }, [tab, filter, sort, page, pageSize, reload]);

  const exportNow = async () => {
    try {
      const { tab: _t, ...rest } = filter;
      await startExport({ tab, ...rest });
    } catch (e) {
      notify("error", `${t.exportFailed}: ${e instanceof ApiError ? e.message : String(e)}`);
    }
  };

  const toggleFavorite = async (deal: DealItem) => {
    await request(`/api/deals/${deal.id}/favorite`, { method: deal.favorite ? "DELETE" : "PUT" });
    refresh();
  };

  // Past the exact count the list goes on while a page comes back full.
  const pages = data
    ? Math.max(1, Math.ceil(data.total / pageSize), data.totalIsExact ? 0 : page + 2)
    : 1;

  return (
    <>
      <div className="banner">
        <h1>{t.pageTitle}</h1>
        <div className="banner-actions">
          <button type="button" className="link" onClick={() => setImporting(true)}>
            {t.import}
          </button>
          <button
            type="button"
            className="link"
            onClick={exportNow}
            aria-describedby="export-status"
          >
            {t.export}
          </button>
          <span id="export-status" role="status" className="export-status">
            {running > 0 ? t.exporting(running) : ""}
          </span>
        </div>
      </div>

      <div role="tablist" aria-label={t.pageTitle} className="tabs">
        {TABS.map(({ tab: value, label }) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={tab === value}
            className={tab === value ? "tab active" : "tab"}
            onClick={() => {
              setTab(value);
              setPage(0);
            }}
          >
            {label}
          </button>
        ))}
      </div>

      <Filters
        onApply={(f) => {
          setFilter(f);
          setPage(0);
        }}
      />

      <section aria-live="polite" aria-busy={data === null}>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : data === null ? (
          <p>{t.loading}</p>
        ) : data.items.length === 0 ? (
          <p className="empty">{Object.keys(filter).length > 0 ? t.noDeals : t.noDealsInTab}</p>
        ) : (
          <>
            <p className="count">
              {data.totalIsExact ? t.dealsCount(data.total) : t.dealsCountMore(data.total)}
            </p>
            <div className="grid-wrap">
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="sr-only">{t.favorite}</span>
                    </th>
                    {GRID.map((c) => (
                      <th
                        key={c.key}
                        scope="col"
                        className={c.numeric ? "num" : undefined}
                        aria-sort={
                          c.sort && sort.by === c.sort
                            ? sort.dir === "asc"
                              ? "ascending"
                              : "descending"
                            : undefined
                        }
                      >
                        {c.sort ? (
                          <button
                            type="button"
                            className="sort"
                            onClick={() => {
                              const by = c.sort ?? "createdAt";
                              setSort((s) => ({
                                by,
                                dir: s.by === by && s.dir === "asc" ? "desc" : "asc",
                              }));
                            }}
                          >
                            {c.label}
                            <span aria-hidden="true">
                              {sort.by === c.sort ? (sort.dir === "asc" ? " ▲" : " ▼") : ""}
                            </span>
                          </button>
                        ) : (
                          c.label
                        )}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <button
                          type="button"
                          className="star"
                          aria-pressed={d.favorite}
                          aria-label={d.favorite ? t.removeFavorite : t.addFavorite}
                          onClick={() => toggleFavorite(d)}
                        >
                          {d.favorite ? "★" : "☆"}
                        </button>
                      </td>
                      <td>
                        <button type="button" className="link" onClick={() => setOpenDeal(d.id)}>
                          {d.name}
                        </button>
                      </td>
                      <td>{d.customerName}</td>
                      <td>
                        <span className={`pill pill-${d.status.toLowerCase()}`}>
                          {d.status} · {d.substatus}
                        </span>
                      </td>
                      <td>{d.microsoftStatus ?? "—"}</td>
                      <td className="num nowrap">{money(d.value, d.currency)}</td>
                      <td className="nowrap">{encodeCloseDate(d.closeDate)}</td>
                      <td>{d.customerCountry}</td>
                      <td className="nowrap">{d.createdAt.slice(0, 10)}</td>
                      <td className="mono">{d.id.slice(0, 8)}</td>
                      <td>{d.crmId ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="pager">
              <label>
                {t.rowsPerPage}{" "}
                <select
                  value={pageSize}
                  onChange={(e) => {
                    setPageSize(Number(e.target.value));
                    setPage(0);
                  }}
                >
                  {[25, 50, 100].map((n) => (
                    <option key={n}>{n}</option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="button secondary"
                disabled={page === 0}
                onClick={() => setPage((p) => p - 1)}
              >
                {t.previous}
              </button>
              <span>{t.pageOf(page + 1, pages)}</span>
              <button
                type="button"
                className="button secondary"
                disabled={page + 1 >= pages}
                onClick={() => setPage((p) => p + 1)}
              >
                {t.next}
              </button>
            </div>
          </>
        )}
      </section>

      {openDeal && (
        <DealPanel id={openDeal} me={me} onClose={() => setOpenDeal(null)} onSaved={refresh} />
      )}
      {importing && (
        <ImportPanel
          onClose={() => {
            setImporting(false);
            refresh();
          }}
        />
      )}
    </>
  );
};

const Filters = ({ onApply }: { onApply: (f: DealFilter) => void }) => {
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const get = (k: string) => {
      const v = form.get(k);
      return typeof v === "string" && v.trim() !== "" ? v : undefined;
    };
    const input: DealFilterInput = {
      countries: get("countries"),
      customerName: get("customer"),
      type: get("type"),
      solutionId: get("solution"),
      status: get("status"),
      search: get("search"),
    };
    try {
      onApply(parseDealFilter(input));
      setError(null);
    } catch (err) {
      setError(err instanceof RequestError ? err.message : String(err));
    }
  };
  return (
    <form className="filters" onSubmit={submit} onReset={() => onApply({})} aria-label={t.filters}>
      <label className="search">
        {t.search}
        <input name="search" type="search" aria-describedby="search-hint" />
        <small id="search-hint">{t.searchHint}</small>
      </label>
      <label>
        {t.countries}
        <input name="countries" placeholder="US, FR" aria-describedby="countries-hint" />
        <small id="countries-hint">{t.countriesHint}</small>
      </label>
      <label>
        {t.customerName}
        <input name="customer" />
      </label>
      <label>
        {t.dealType}
        <select name="type" defaultValue="">
          <option value="">{t.any}</option>
          {DEAL_TYPES.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
      </label>
      <label>
        {t.solutionId}
        <input name="solution" />
      </label>
      <label>
        {t.status}
        <select name="status" defaultValue="">
          <option value="">{t.any}</option>
          <optgroup label={headerOf("status", "en")}>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </optgroup>
          <optgroup label={headerOf("substatus", "en")}>
            {SUBSTATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </optgroup>
        </select>
      </label>
      <div className="filter-actions">
        <button type="submit" className="button">
          {t.apply}
        </button>
        <button type="reset" className="button secondary">
          {t.clear}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
};
