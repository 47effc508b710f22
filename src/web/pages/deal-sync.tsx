/**
 * A deal's Partner Center side in its panel: the referral it is linked to, when it last
 * synced, what the last sync could not send, and each conflict — a field changed here and on
 * Partner Center since the last sync — with both values and a choice. Keeping cosell's value
 * makes the next sync send it; taking Partner Center's applies it here now. Nothing is
 * resolved without that choice (`POST /api/deals/:id/conflicts/:field/resolve`).
 */
import { useCallback, useEffect, useState } from "react";
import {
  type DealConflictJson,
  type DealSyncStateJson,
  DealSyncStateSchema,
} from "../../core/api/sync-schemas.js";
import { headerOf } from "../../core/columns.js";
import { ApiError, getJson, sendJson } from "../api.js";
import { parse } from "../api-types.js";
import { formatDateTime } from "../locale.js";
import { lang, t } from "../messages.js";
import { syncedFieldLabel, syncedValueText } from "../sync-text.js";

export type Choice = "local" | "remote";

export function DealSync({
  dealId,
  version,
  onResolved,
}: {
  dealId: string;
  version: number;
  /** A conflict was resolved: the deal (on `remote`) and the list's badge changed. */
  onResolved: (choice: Choice) => void;
}) {
  const [state, setState] = useState<DealSyncStateJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/api/deals/${encodeURIComponent(dealId)}`;

  const load = useCallback(
    async () => setState(parse(DealSyncStateSchema, await getJson(`${path}/sync`))),
    [path],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version may mean a new state
  useEffect(() => {
    load().catch((e: unknown) => setError(e instanceof Error ? e.message : t.error));
  }, [load, version]);

  const resolve = async (conflict: DealConflictJson, choice: Choice) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const next = parse(
        DealSyncStateSchema,
        await sendJson(`${path}/conflicts/${encodeURIComponent(conflict.field)}/resolve`, "POST", {
          choice,
        }),
      );
      setState(next);
      setDone(choice === "local" ? t.resolvedLocal : t.resolvedRemote);
      onResolved(choice);
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e.message : t.error);
    } finally {
      setBusy(false);
    }
  };

  // A deal no connection knows has no Partner Center side to show.
  if (!state || (!state.connectionId && state.conflicts.length === 0)) {
    return error ? <p className="error">{error}</p> : null;
  }
  return (
    <section className="deal-sync" aria-labelledby="deal-sync-title">
      <h3 id="deal-sync-title">{t.partnerCenter}</h3>
      <dl className="sync-state">
        <div>
          <dt>{t.syncStateLabel}</dt>
          <dd>
            {state.conflicts.length > 0
              ? t.conflictsOnDeal(state.conflicts.length)
              : !state.linked
                ? t.syncPendingCreate
                : state.errors.length > 0
                  ? t.syncNotSent
                  : t.syncInStep}
          </dd>
        </div>
        {state.referralId && (
          <div>
            <dt>{t.remoteReferralId}</dt>
            <dd className="mono">{state.referralId}</dd>
          </div>
        )}
        {state.engagementId && (
          <div>
            <dt>{headerOf("engagementId", lang())}</dt>
            <dd className="mono">{state.engagementId}</dd>
          </div>
        )}
        <div>
          <dt>{t.lastSync}</dt>
          <dd>{state.syncedAt ? formatDateTime(state.syncedAt) : t.never}</dd>
        </div>
        {state.remoteUpdatedAt && (
          <div>
            <dt>{t.remoteUpdatedAt}</dt>
            <dd>{formatDateTime(state.remoteUpdatedAt)}</dd>
          </div>
        )}
      </dl>

      {state.errors.length > 0 && (
        <div className="notice notice-error">
          <p>{t.syncNotSent}</p>
          <ul className="plain">
            {state.errors.map((e) => (
              <li key={`${e.field ?? ""} ${e.code} ${e.message}`}>
                {e.field ? `${syncedFieldLabel(e.field)}: ` : ""}
                <span className="data">{e.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}

      {state.conflicts.length > 0 && (
        <>
          <p>{t.syncConflictIntro}</p>
          <ul className="plain sync-conflicts">
            {state.conflicts.map((c) => {
              const label = syncedFieldLabel(c.field);
              return (
                <li key={c.field}>
                  <fieldset className="sync-conflict-choice">
                    <legend>{t.dealConflictOf(label)}</legend>
                    <div className="sync-values">
                      {(["local", "remote"] as const).map((side) => (
                        <div key={side}>
                          <span className="sync-side">
                            {side === "local" ? t.localValue : t.remoteValue}
                          </span>
                          <span className="pre sync-value data">
                            {syncedValueText(c.field, c[side])}
                          </span>
                          <button
                            type="button"
                            className="button secondary"
                            disabled={busy}
                            aria-label={`${side === "local" ? t.keepLocal : t.takeRemote}: ${label}`}
                            onClick={() => void resolve(c, side)}
                          >
                            {side === "local" ? t.keepLocal : t.takeRemote}
                          </button>
                        </div>
                      ))}
                    </div>
                  </fieldset>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <div role="status" className={done ? "inline-message notice-success" : "inline-message"}>
        {done}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
