/**
 * The deals grid: one line per deal (long text ends in an ellipsis; hover shows it whole, and
 * the row a person is in unfolds), a sticky header and first column, columns that can be
 * hidden and resized (remembered per user), and a Referral ID that tells rows apart.
 */
import { type KeyboardEvent, type PointerEvent, type ReactNode, useState } from "react";
import { headerOf } from "../../core/columns.js";
import type { DealItem } from "../api-types.js";
import { formatDate, formatDay, formatMoney } from "../locale.js";
import { lang, t } from "../messages.js";
import type { GridPrefs } from "./grid-prefs.js";
import type { DealSort } from "../../core/deal-query.js";

interface Column {
  key: string;
  label: () => string;
  width: number;
  sort?: DealSort;
  numeric?: boolean;
  /** Plain text of the cell: the tooltip, and the cell unless `render` says otherwise. */
  text: (d: DealItem) => string;
  render?: (d: DealItem) => ReactNode;
}

/** The Referral ID's end: its first characters are a timestamp, shared by a day's deals. */
export const shortId = (id: string) => `…${id.replace(/-/g, "").slice(-8)}`;

const COLUMNS: readonly Column[] = [
  {
    key: "customerName",
    label: () => headerOf("customerName", lang()),
    width: 160,
    sort: "customerName",
    text: (d) => d.customerName,
  },
  {
    key: "status",
    label: () => t.status,
    width: 150,
    sort: "status",
    text: (d) => `${d.status} · ${d.substatus}`,
    render: (d) => (
      <span className={`pill pill-${d.status.toLowerCase()}`}>
        {d.status} · {d.substatus}
      </span>
    ),
  },
  {
    key: "microsoftStatus",
    label: () => headerOf("microsoftStatus", lang()),
    width: 120,
    text: (d) => d.microsoftStatus ?? "—",
  },
  {
    key: "value",
    label: () => headerOf("value", lang()),
    width: 120,
    sort: "value",
    numeric: true,
    text: (d) => formatMoney(d.value, d.currency),
  },
  {
    key: "closeDate",
    label: () => headerOf("closeDate", lang()),
    width: 105,
    sort: "closeDate",
    text: (d) => formatDate(d.closeDate),
  },
  {
    key: "customerCountry",
    label: () => t.countryShort,
    width: 70,
    text: (d) => d.customerCountry,
  },
  {
    key: "createdAt",
    label: () => t.created_at,
    width: 100,
    sort: "createdAt",
    text: (d) => formatDay(d.createdAt),
  },
  {
    key: "referralId",
    label: () => headerOf("referralId", lang()),
    width: 115,
    text: (d) => d.id,
    render: (d) => <ReferralId id={d.id} />,
  },
  {
    key: "crmId",
    label: () => headerOf("crmId", lang()),
    width: 105,
    text: (d) => d.crmId ?? "",
  },
];
const NAME_WIDTH = 250;
const MIN_WIDTH = 56;

export const HIDEABLE = COLUMNS.map((c) => ({ key: c.key, label: c.label }));

const ReferralId = ({ id }: { id: string }) => {
  const [copied, setCopied] = useState(false);
  return (
    <span className="refid">
      <code className="mono">{shortId(id)}</code>
      <button
        type="button"
        className="copy"
        aria-label={t.copyReferralId(id)}
        onClick={() => {
          void navigator.clipboard
            ?.writeText(id)
            .then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            })
            .catch(() => {});
        }}
      >
        {copied ? (
          "✓"
        ) : (
          <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true">
            <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" />
            <path
              d="M11 3V2.5A1.5 1.5 0 0 0 9.5 1h-7A1.5 1.5 0 0 0 1 2.5v7A1.5 1.5 0 0 0 2.5 11H3"
              fill="none"
              stroke="currentColor"
            />
          </svg>
        )}
      </button>
    </span>
  );
};

const ResizeHandle = ({
  label,
  width,
  onResize,
}: {
  label: string;
  width: number;
  onResize: (w: number) => void;
}) => {
  const start = (e: PointerEvent<HTMLSpanElement>) => {
    e.preventDefault();
    const x0 = e.clientX;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) =>
      onResize(Math.max(MIN_WIDTH, Math.round(width + ev.clientX - x0)));
    const up = () => {
      target.removeEventListener("pointermove", move);
      target.removeEventListener("pointerup", up);
    };
    target.addEventListener("pointermove", move);
    target.addEventListener("pointerup", up);
  };
  const key = (e: KeyboardEvent<HTMLSpanElement>) => {
    const step = e.key === "ArrowRight" ? 16 : e.key === "ArrowLeft" ? -16 : 0;
    if (step === 0) return;
    e.preventDefault();
    onResize(Math.max(MIN_WIDTH, width + step));
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a vertical splitter has no HTML element; this is the ARIA window-splitter pattern.
    <span
      role="separator"
      aria-orientation="vertical"
      aria-label={t.resizeColumn(label)}
      aria-valuenow={width}
      aria-valuemin={MIN_WIDTH}
      aria-valuemax={800}
      tabIndex={0}
      className="resize"
      onPointerDown={start}
      onKeyDown={key}
    />
  );
};

export const DealGrid = ({
  items,
  prefs,
  onPrefs,
  sort,
  dir,
  onSort,
  onOpen,
  onToggleFavorite,
  conflicted,
  busy,
}: {
  items: DealItem[];
  prefs: GridPrefs;
  onPrefs: (change: (p: GridPrefs) => GridPrefs) => void;
  sort: DealSort;
  dir: "asc" | "desc";
  onSort: (by: DealSort) => void;
  onOpen: (id: string) => void;
  onToggleFavorite: (d: DealItem) => void;
  /** Deals with a Partner Center sync conflict waiting: a badge beside the name. */
  conflicted?: ReadonlySet<string>;
  busy: boolean;
}) => {
  const shown = COLUMNS.filter((c) => !prefs.hidden.includes(c.key));
  const widthOf = (key: string, fallback: number) => prefs.widths[key] ?? fallback;
  const total =
    widthOf("name", NAME_WIDTH) + shown.reduce((n, c) => n + widthOf(c.key, c.width), 0);
  const resize = (key: string) => (w: number) =>
    onPrefs((p) => ({ ...p, widths: { ...p.widths, [key]: w } }));

  const header = (label: string, key: string, width: number, by?: DealSort, numeric?: boolean) => (
    <th
      key={key}
      scope="col"
      className={numeric ? "num" : undefined}
      aria-sort={by && sort === by ? (dir === "asc" ? "ascending" : "descending") : undefined}
    >
      <span className="th">
        {by ? (
          <button type="button" className="sort" title={label} onClick={() => onSort(by)}>
            <span className="ellipsis">{label}</span>
            <span aria-hidden="true">{sort === by ? (dir === "asc" ? " ▲" : " ▼") : ""}</span>
          </button>
        ) : (
          <span className="ellipsis" title={label}>
            {label}
          </span>
        )}
      </span>
      <ResizeHandle label={label} width={width} onResize={resize(key)} />
    </th>
  );

  const nameLabel = headerOf("name", lang());
  return (
    <div className={`grid-wrap${busy ? " busy" : ""}`} aria-busy={busy}>
      <table className="grid deals" style={{ minWidth: total }}>
        <colgroup>
          <col style={{ width: widthOf("name", NAME_WIDTH) }} />
          {shown.map((c) => (
            <col key={c.key} style={{ width: widthOf(c.key, c.width) }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {header(nameLabel, "name", widthOf("name", NAME_WIDTH), "name")}
            {shown.map((c) => header(c.label(), c.key, widthOf(c.key, c.width), c.sort, c.numeric))}
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id}>
              <th scope="row" className="first">
                <span className="name-cell">
                  <button
                    type="button"
                    className="star"
                    aria-pressed={d.favorite}
                    aria-label={d.favorite ? t.removeFavorite : t.addFavorite}
                    onClick={() => onToggleFavorite(d)}
                  >
                    {d.favorite ? "★" : "☆"}
                  </button>
                  <button
                    type="button"
                    className="link ellipsis"
                    title={d.name}
                    onClick={() => onOpen(d.id)}
                  >
                    {d.name}
                  </button>
                  {conflicted?.has(d.id) && (
                    <span className="badge-conflict" title={t.conflictBadgeTitle}>
                      <span aria-hidden="true">⚠ </span>
                      {t.conflictBadge}
                    </span>
                  )}
                </span>
              </th>
              {shown.map((c) => {
                const text = c.text(d);
                return (
                  <td key={c.key} className={c.numeric ? "num" : undefined} title={text}>
                    {c.render ? c.render(d) : text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
