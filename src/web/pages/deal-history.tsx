/**
 * A deal's audit trail in its panel: who changed what, when, with what role and from where,
 * newest first, a page at a time. It reads `GET /api/deals/:id/history`, which shows the
 * history to exactly the people who can see the deal; it reloads when the deal's version moves.
 */
import { useCallback, useEffect, useState } from "react";
import { type AuditEntryJson, AuditPageSchema } from "../../core/api/audit-schemas.js";
import { request } from "../api.js";
import { parse } from "../api-types.js";
import { formatDateTime } from "../locale.js";
import { t } from "../messages.js";

const PAGE = 20;

const describeChange = (e: AuditEntryJson): string => {
  if (e.action === "create") return t.historyCreated;
  if (e.action === "receive") return t.historyReceived;
  const field = e.field ?? "";
  return `${field}: ${e.oldValue ?? "—"} → ${e.newValue ?? "—"}`;
};

const describeSource = (e: AuditEntryJson): string => {
  if (e.importId !== null && e.importRow !== null) return t.historyImportRow(e.importRow);
  return e.origin ?? e.source;
};

export function DealHistory({ dealId, version }: { dealId: string; version: number }) {
  const [items, setItems] = useState<AuditEntryJson[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (before: number | null) => {
      const query = `limit=${PAGE}${before === null ? "" : `&before=${before}`}`;
      const res = await request(`/api/deals/${encodeURIComponent(dealId)}/history?${query}`);
      const page = parse(AuditPageSchema, await res.json());
      setItems((old) => (before === null ? page.items : [...old, ...page.items]));
      setNextBefore(page.nextBefore);
    },
    [dealId],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version means new entries
  useEffect(() => {
    setError(null);
    load(null).catch((e: unknown) => setError(e instanceof Error ? e.message : t.error));
  }, [load, version]);

  return (
    <section className="deal-history" aria-label={t.dealHistory}>
      <h3>{t.dealHistory}</h3>
      {error && <p className="error">{error}</p>}
      <ol className="history-list">
        {items.map((e) => (
          <li key={e.id} className="history-entry">
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>{" "}
            <span className="history-actor">
              {e.actor}
              {e.actorRole && ` (${e.actorRole})`}
            </span>{" "}
            <span className="history-source">{describeSource(e)}</span>
            <div className="history-change">{describeChange(e)}</div>
          </li>
        ))}
      </ol>
      {nextBefore !== null && (
        <button
          type="button"
          className="button"
          onClick={() =>
            load(nextBefore).catch((e: unknown) =>
              setError(e instanceof Error ? e.message : t.error),
            )
          }
        >
          {t.historyOlder}
        </button>
      )}
    </section>
  );
}
