/**
 * The co-sell opportunities page (SPEC §2): a title banner with Import and Export at its
 * top right, tabs, filters and search, and a paged, sortable grid. Everything that shapes the
 * list is in the address (list/list-state.ts); filters are checked with the core's own parser
 * before anything is sent.
 */
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ConflictIdsSchema } from "../../core/api/sync-schemas.js";
import { headerOf, langOf } from "../../core/columns.js";
import { DEAL_TYPES, STATUSES, SUBSTATUSES } from "../../core/deal.js";
import {
  TABS as CORE_TABS,
  type DealFilter,
  filterParamsOf,
  parseFilterParams,
  type Tab,
} from "../../core/deal-filter.js";
import type { DealSort } from "../../core/deal-query.js";
import { RequestError } from "../../core/errors.js";
import { ApiError, getJson, localMessage, request } from "../api.js";
import { type DealItem, DealPage, type Me, parse } from "../api-types.js";
import { useExports } from "../exports.js";
import { DealGrid, HIDEABLE } from "../list/deal-grid.js";
import { useGridPrefs } from "../list/grid-prefs.js";
import {
  apiQueryOf,
  FORM_FILTERS,
  type FilterParam,
  filterParamsOfState,
  hasFilters,
  type ListState,
  PAGE_SIZES,
  readListState,
  writeListState,
} from "../list/list-state.js";
import { currentLang, formatNumber, type Lang } from "../locale.js";
import { lang, t } from "../messages.js";
import { setListSearch, useSearch } from "../router.js";
import { type FileFormat, FormatChoice } from "../components/format-choice.js";
import { DealPanel } from "./deal-panel.js";
import { ImportPanel } from "./import-panel.js";

/** Core's tabs, in its order, each with its label (a tab added there without one does not compile). */
const TABS = (): readonly { tab: Tab; label: string }[] => {
  const label: Record<Tab, string> = {
    inbound: t.tabInbound,
    outbound: t.tabOutbound,
    favorites: t.tabFavorites,
  };
  return CORE_TABS.map((tab) => ({ tab, label: label[tab] }));
};

interface Loaded {
  /** The request this answers: rows are shown as current only under their own query. */
  key: string;
  tab: Tab;
  items: DealItem[];
  total: number;
  totalIsExact: boolean;
  /** About how many match, past the count cap (PostgreSQL only). */
  totalEstimate?: number | undefined;
}

/** An estimate said as people say it: two significant digits (21,034 → 21,000). */
const roughly = (n: number): number => {
  const step = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.round(n / step) * step;
};

const checkFilter = (s: ListState): { filter: DealFilter } | { error: string } => {
  try {
    return { filter: parseFilterParams(filterParamsOfState(s)) };
  } catch (e) {
    return { error: e instanceof RequestError ? localMessage(e) : String(e) };
  }
};

export const OpportunitiesPage = ({ me }: { me: Me }) => {
  const search = useSearch();
  const state = useMemo(() => readListState(search), [search]);
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [reload, setReload] = useState(0);
  const { startExport, notify, running } = useExports();
  const { prefs, update: updatePrefs } = useGridPrefs(me.id);
  const [fileLang, setFileLang] = useState<Lang>(currentLang);
  const [fileFormat, setFileFormat] = useState<FileFormat>("csv");

  const go = useCallback(
    (change: Partial<ListState>, mode: "push" | "replace" = "push") =>
      setListSearch(writeListState({ ...state, ...change }), mode),
    [state],
  );
  const refresh = useCallback(() => setReload((n) => n + 1), []);

  // The open deal is in the address (a shared link opens it; Back closes it). Closing a deal
  // opened here goes back, so the history holds no list-with-deal entry after it.
  const openedHere = useRef(false);
  const openDeal = (id: string) => {
    openedHere.current = true;
    go({ deal: id });
  };
  const closeDeal = () => {
    if (openedHere.current) window.history.back();
    else go({ deal: null }, "replace");
    openedHere.current = false;
  };
  useEffect(() => {
    if (!state.deal) openedHere.current = false;
  }, [state.deal]);

  // Remember where the list is, so a visit to another page comes back here.
  useEffect(() => setListSearch(search, "replace"), [search]);

  const checked = checkFilter(state);
  const filterError = "error" in checked ? checked.error : null;
  const key = apiQueryOf(state);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` is the refresh trigger.
  useEffect(() => {
    if (filterError) return;
    let live = true;
    setError(null);
    getJson(key)
      .then((body) => {
        if (!live) return;
        const page = parse(DealPage, body);
        setData({ key, tab: state.tab, ...page });
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : t.error));
    return () => {
      live = false;
    };
  }, [key, filterError, reload]);

  // The conflict badge: its own small request beside the list's, so the list (and its cache)
  // stays as it is; a failure leaves the badges out, never the list.
  const [conflicted, setConflicted] = useState<ReadonlySet<string>>(() => new Set());
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `reload` are the triggers.
  useEffect(() => {
    let live = true;
    getJson("/api/conflicts")
      .then((body) => live && setConflicted(new Set(parse(ConflictIdsSchema, body).dealIds)))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [key, reload]);

  const exportNow = async () => {
    if (!("filter" in checked)) return;
    try {
      // By the list's own names: GET /api/deals and POST /api/exports share them.
      await startExport({ ...filterParamsOf(checked.filter), lang: fileLang, format: fileFormat });
    } catch (e) {
      notify("error", `${t.exportFailed}: ${e instanceof ApiError ? e.message : String(e)}`);
    }
  };

  const toggleFavorite = async (deal: DealItem) => {
    await request(`/api/deals/${deal.id}/favorite`, { method: deal.favorite ? "DELETE" : "PUT" });
    refresh();
  };

  const sortBy = (by: DealSort) =>
    go({
      sort: by,
      dir:
        state.sort === by
          ? state.dir === "asc"
            ? "desc"
            : "asc"
          : by === "createdAt"
            ? "desc"
            : "asc",
      page: 1,
    });

  // Rows of another tab are never shown under this one's title; rows of the same tab stay,
  // dimmed, while the next page or sort loads.
  const current = data && data.tab === state.tab ? data : null;
  const loading = current === null || current.key !== key;
  const pages = current ? Math.max(1, Math.ceil(current.total / state.size)) : 1;

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
          <label className="file-lang">
            <span className="sr-only">{t.exportLanguage}</span>
            <select
              value={fileLang}
              title={t.exportLanguage}
              onChange={(e) => setFileLang(langOf(e.target.value) ?? "en")}
            >
              <option value="en">EN</option>
              <option value="fr">FR</option>
            </select>
          </label>
          <FormatChoice label={t.exportFormat} value={fileFormat} onChange={setFileFormat} />
          <span id="export-status" role="status" className="export-status">
            {running > 0 ? t.exporting(running) : ""}
          </span>
        </div>
      </div>

      <div role="tablist" aria-label={t.pageTitle} className="tabs">
        {TABS().map(({ tab: value, label }) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={state.tab === value}
            aria-controls="deal-list"
            className={state.tab === value ? "tab active" : "tab"}
            onClick={() => go({ tab: value, page: 1 })}
          >
            {label}
          </button>
        ))}
      </div>

      <Filters
        key={JSON.stringify(state.filters)}
        values={state.filters}
        error={filterError}
        onApply={(filters) => go({ filters, page: 1, exact: false })}
      />

      <section
        id="deal-list"
        role="tabpanel"
        aria-label={t.dealsOf(TABS().find((x) => x.tab === state.tab)?.label ?? "")}
      >
        <div className="toolbar">
          <p className="count" role="status">
            {error
              ? ""
              : loading && !current
                ? t.loading
                : current
                  ? current.totalIsExact
                    ? t.dealsCount(current.total)
                    : current.totalEstimate !== undefined
                      ? t.dealsCountAbout(roughly(current.totalEstimate))
                      : t.dealsCountMore(current.total)
                  : ""}
            {loading && current && <span className="loading-hint"> · {t.loading}</span>}
          </p>
          {current && !current.totalIsExact && (
            <button type="button" className="link" onClick={() => go({ exact: true }, "replace")}>
              {t.countExactly}
            </button>
          )}
          <ColumnsMenu
            hidden={prefs.hidden}
            onToggle={(k) =>
              updatePrefs((p) => ({
                ...p,
                hidden: p.hidden.includes(k) ? p.hidden.filter((x) => x !== k) : [...p.hidden, k],
              }))
            }
            onReset={() => updatePrefs(() => ({ hidden: [], widths: {} }))}
          />
          {current && current.items.length > 0 && (
            <Pager
              state={state}
              pages={pages}
              exact={current.totalIsExact}
              onPage={(page) => go({ page })}
              onSize={(size) => go({ size, page: 1 })}
            />
          )}
        </div>
        {error ? (
          <div className="notice notice-error" role="alert">
            <span>{error}</span>{" "}
            <button type="button" className="button secondary" onClick={refresh}>
              {t.retry}
            </button>
          </div>
        ) : !current ? (
          <div className="grid-wrap placeholder" aria-busy="true">
            <p>{t.loading}</p>
          </div>
        ) : current.items.length === 0 && !loading ? (
          <EmptyState
            state={state}
            onClear={() => go({ filters: {}, page: 1 })}
            onTab={(tab) => go({ tab, page: 1 })}
            onImport={() => setImporting(true)}
            onFirstPage={() => go({ page: 1 })}
          />
        ) : (
          <DealGrid
            items={current.items}
            prefs={prefs}
            onPrefs={updatePrefs}
            sort={state.sort}
            dir={state.dir}
            onSort={sortBy}
            onOpen={openDeal}
            onToggleFavorite={(d) => void toggleFavorite(d)}
            conflicted={conflicted}
            busy={loading}
          />
        )}
      </section>

      {state.deal && <DealPanel id={state.deal} me={me} onClose={closeDeal} onSaved={refresh} />}
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

const EmptyState = ({
  state,
  onClear,
  onTab,
  onImport,
  onFirstPage,
}: {
  state: ListState;
  onClear: () => void;
  onTab: (tab: Tab) => void;
  onImport: () => void;
  onFirstPage: () => void;
}) => {
  if (state.page > 1) {
    return (
      <div className="empty">
        <p>{t.pastLastPage}</p>
        <button type="button" className="button secondary" onClick={onFirstPage}>
          {t.firstPage}
        </button>
      </div>
    );
  }
  if (hasFilters(state)) {
    return (
      <div className="empty">
        <p>{t.noDeals}</p>
        <button type="button" className="button secondary" onClick={onClear}>
          {t.clearFilters}
        </button>
      </div>
    );
  }
  if (state.tab === "favorites") {
    return (
      <div className="empty">
        <p>{t.noFavorites}</p>
        <button type="button" className="button secondary" onClick={() => onTab("outbound")}>
          {t.goOutbound}
        </button>
      </div>
    );
  }
  return (
    <div className="empty">
      <p>{state.tab === "inbound" ? t.noInbound : t.noOutbound}</p>
      {state.tab === "outbound" && (
        <button type="button" className="button secondary" onClick={onImport}>
          {t.import}
        </button>
      )}
    </div>
  );
};

const Pager = ({
  state,
  pages,
  exact,
  onPage,
  onSize,
}: {
  state: ListState;
  pages: number;
  exact: boolean;
  onPage: (page: number) => void;
  onSize: (size: number) => void;
}) => {
  const [typed, setTyped] = useState(String(state.page));
  useEffect(() => setTyped(String(state.page)), [state.page]);
  const last = exact ? pages : Number.POSITIVE_INFINITY;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Math.floor(Number(typed));
    if (Number.isFinite(n) && n >= 1) onPage(Math.min(n, last));
  };
  return (
    <form className="pager" onSubmit={submit} aria-label={t.paging}>
      <label>
        {t.rowsPerPage}{" "}
        <select value={state.size} onChange={(e) => onSize(Number(e.target.value))}>
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button secondary"
        disabled={state.page <= 1}
        onClick={() => onPage(state.page - 1)}
      >
        {t.previous}
      </button>
      <label>
        {t.page}{" "}
        <input
          className="page-input"
          type="number"
          min={1}
          max={exact ? pages : undefined}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </label>
      <span>{exact ? t.ofPages(formatNumber(pages)) : t.ofMorePages(formatNumber(pages))}</span>
      <button type="submit" className="button secondary">
        {t.goToPage}
      </button>
      <button
        type="button"
        className="button secondary"
        disabled={state.page >= last}
        onClick={() => onPage(state.page + 1)}
      >
        {t.next}
      </button>
    </form>
  );
};

const ColumnsMenu = ({
  hidden,
  onToggle,
  onReset,
}: {
  hidden: string[];
  onToggle: (key: string) => void;
  onReset: () => void;
}) => (
  <details className="columns-menu">
    <summary className="button secondary">{t.columns}</summary>
    <fieldset>
      <legend>{t.showColumns}</legend>
      {HIDEABLE.map((c) => (
        <label key={c.key}>
          <input
            type="checkbox"
            checked={!hidden.includes(c.key)}
            onChange={() => onToggle(c.key)}
          />{" "}
          {c.label()}
        </label>
      ))}
      <button type="button" className="link" onClick={onReset}>
        {t.resetColumns}
      </button>
    </fieldset>
  </details>
);

const Filters = ({
  values,
  error,
  onApply,
}: {
  values: Partial<Record<FilterParam, string>>;
  error: string | null;
  onApply: (f: Partial<Record<FilterParam, string>>) => void;
}) => {
  const [local, setLocal] = useState<string | null>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const shown = local ?? error;
  useEffect(() => {
    if (shown) errorRef.current?.scrollIntoView({ block: "nearest" });
  }, [shown]);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next: Partial<Record<FilterParam, string>> = {};
    for (const k of FORM_FILTERS) {
      const v = form.get(k);
      if (typeof v === "string" && v.trim() !== "") next[k] = v.trim();
    }
    try {
      parseFilterParams(filterParamsOfState({ tab: "inbound", filters: next }));
      setLocal(null);
      onApply(next);
    } catch (err) {
      setLocal(err instanceof RequestError ? localMessage(err) : String(err));
    }
  };
  return (
    <form
      className="filters"
      onSubmit={submit}
      onReset={(e) => {
        e.preventDefault();
        setLocal(null);
        onApply({});
      }}
      aria-label={t.filters}
    >
      <label className="search">
        <span>{t.search}</span>
        <input
          name="search"
          type="search"
          defaultValue={values.search ?? ""}
          placeholder={t.searchHint}
          title={t.searchHint}
        />
      </label>
      <label>
        <span>{t.countries}</span>
        <input
          name="country"
          placeholder="US, FR"
          title={t.countriesHint}
          defaultValue={values.country ?? ""}
        />
      </label>
      <label>
        <span>{t.customerName}</span>
        <input name="customer" defaultValue={values.customer ?? ""} />
      </label>
      <label>
        <span>{t.dealType}</span>
        <select name="type" defaultValue={values.type ?? ""}>
          <option value="">{t.any}</option>
          {DEAL_TYPES.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
      </label>
      <label>
        <span>{t.solutionId}</span>
        <input name="solution" defaultValue={values.solution ?? ""} />
      </label>
      <label>
        <span>{t.status}</span>
        <select name="status" defaultValue={values.status ?? ""}>
          <option value="">{t.any}</option>
          <optgroup label={headerOf("status", lang())}>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </optgroup>
          <optgroup label={headerOf("substatus", lang())}>
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
      {shown && (
        <p className="error" role="alert" ref={errorRef}>
          {shown}
        </p>
      )}
    </form>
  );
};
