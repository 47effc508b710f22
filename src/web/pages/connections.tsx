/**
 * Referrals admins connect their organisation to Partner Center (the fields of `cosell connect
 * partner-center`), sync now and watch it run, read what each sync did — counts both ways,
 * the conflicts and errors by deal and field — and the history of syncs. The client secret and
 * the refresh token go in once and are never shown: no answer the page reads carries them.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import {
  ConnectedSchema,
  type ConnectionJson,
  ConnectionListSchema,
  DEFAULT_PARTNER_CENTER_API_URL,
  SyncJobListSchema,
  type SyncJobJson,
  SyncJobSchema,
  type SyncResultJson,
  SyncSubmittedSchema,
} from "../../core/api/sync-schemas.js";
import { ApiError, getJson, request, sendJson } from "../api.js";
import { parse } from "../api-types.js";
import { useConfirm } from "../components/confirm-dialog.js";
import { useExports } from "../exports.js";
import { formatDateTime } from "../locale.js";
import { t } from "../messages.js";
import { syncedFieldLabel, syncedValueText } from "../sync-text.js";
import { statusLabel } from "./import-panel.js";

const POLL_MS = 300;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const running = (job: SyncJobJson) => job.status === "queued" || job.status === "running";
const messageOf = (e: unknown) =>
  e instanceof ApiError || e instanceof Error ? e.message : t.error;

export const ConnectionsPage = () => {
  const [connections, setConnections] = useState<ConnectionJson[] | null>(null);
  const [history, setHistory] = useState<SyncJobJson[]>([]);
  const [current, setCurrent] = useState<SyncJobJson | null>(null);
  const [webhookUrl, setWebhookUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { notify } = useExports();
  const { ask, dialog } = useConfirm();
  // Polling stops when the person leaves the page.
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const load = useCallback(async () => {
    const [list, jobs] = await Promise.all([
      getJson("/api/connections"),
      getJson("/api/syncs?limit=20"),
    ]);
    setConnections(parse(ConnectionListSchema, list).items);
    setHistory(parse(SyncJobListSchema, jobs).items);
  }, []);
  useEffect(() => {
    load().catch((e: unknown) => setError(messageOf(e)));
  }, [load]);

  const connect = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const field = (name: string) => {
      const v = data.get(name);
      return typeof v === "string" && v.trim() !== "" ? v.trim() : null;
    };
    setError(null);
    setBusy(true);
    try {
      const made = parse(
        ConnectedSchema,
        await sendJson("/api/connections", "POST", {
          apiUrl: field("apiUrl"),
          tokenUrl: field("tokenUrl") ?? "",
          clientId: field("clientId") ?? "",
          clientSecret: field("clientSecret") ?? "",
          refreshToken: field("refreshToken"),
        }),
      );
      // The secrets leave the form at once: the page keeps no copy of them.
      form.reset();
      setWebhookUrl(new URL(made.webhookUrl, window.location.origin).href);
      notify("success", t.connected);
      await load();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const syncNow = async (connection: ConnectionJson) => {
    setError(null);
    try {
      const { jobId } = parse(
        SyncSubmittedSchema,
        await sendJson(`/api/connections/${connection.id}/sync`, "POST", {}),
      );
      let job = parse(SyncJobSchema, await getJson(`/api/syncs/${jobId}`));
      setCurrent(job);
      while (running(job) && live.current) {
        await sleep(POLL_MS);
        job = parse(SyncJobSchema, await getJson(`/api/syncs/${jobId}`));
        setCurrent(job);
      }
      if (live.current) await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const remove = async (connection: ConnectionJson) => {
    const yes = await ask({
      title: t.confirmRemoveConnectionTitle,
      consequence: t.confirmRemoveConnectionText,
      action: t.removeConnection,
    });
    if (!yes) return;
    try {
      await request(`/api/connections/${connection.id}`, { method: "DELETE" });
      setWebhookUrl(null);
      setCurrent(null);
      notify("success", t.connectionRemoved);
      await load();
    } catch (err) {
      notify("error", messageOf(err));
    }
  };

  const hasConnection = (connections?.length ?? 0) > 0;

  return (
    <>
      {dialog}
      <div className="banner">
        <h1>{t.connections}</h1>
      </div>
      <p className="tagline">{t.connectionsIntro}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {webhookUrl && <WebhookUrl url={webhookUrl} />}

      <section aria-labelledby="connections-title">
        <h2 id="connections-title">{t.partnerCenter}</h2>
        {connections === null ? (
          <p>{t.loading}</p>
        ) : !hasConnection ? (
          <p className="empty">{t.noConnections}</p>
        ) : (
          <ConnectionTable
            connections={connections}
            syncing={current !== null && running(current)}
            onSync={(c) => void syncNow(c)}
            onRemove={(c) => void remove(c)}
          />
        )}
      </section>

      {current && <SyncOutcome job={current} />}

      <ConnectForm replacing={hasConnection} busy={busy} onSubmit={connect} />

      <section aria-labelledby="sync-history-title">
        <h2 id="sync-history-title">{t.syncHistory}</h2>
        {history.length === 0 ? <p>{t.noSyncs}</p> : <SyncHistory items={history} />}
      </section>
    </>
  );
};

const WebhookUrl = ({ url }: { url: string }) => {
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice notice-success" role="status">
      <p>{t.webhookUrlOnce}</p>
      <div className="secret-row">
        <code className="secret" id="webhook-url">
          {url}
        </code>
        <button
          type="button"
          className="button secondary"
          aria-label={t.copyWebhookUrl}
          onClick={() => {
            void navigator.clipboard
              ?.writeText(url)
              .then(() => setCopied(true))
              .catch(() => {});
          }}
        >
          {copied ? t.copied : t.copy}
        </button>
      </div>
    </div>
  );
};

const ConnectionTable = ({
  connections,
  syncing,
  onSync,
  onRemove,
}: {
  connections: ConnectionJson[];
  syncing: boolean;
  onSync: (c: ConnectionJson) => void;
  onRemove: (c: ConnectionJson) => void;
}) => (
  <table className="grid compact">
    <caption className="sr-only">{t.connections}</caption>
    <thead>
      <tr>
        <th scope="col">{t.apiUrl}</th>
        <th scope="col">{t.tokenUrl}</th>
        <th scope="col">{t.clientId}</th>
        <th scope="col">{t.signInGrant}</th>
        <th scope="col">{t.lastSync}</th>
        <th scope="col">
          <span className="sr-only">{t.syncNow}</span>
        </th>
      </tr>
    </thead>
    <tbody>
      {connections.map((c) => (
        <tr key={c.id}>
          <td className="mono wrap">{c.apiUrl}</td>
          <td className="mono wrap">{c.tokenUrl}</td>
          <td className="mono">{c.clientId}</td>
          <td>{c.grant === "refresh_token" ? t.grantRefresh : t.grantClient}</td>
          <td className="nowrap">{c.lastSyncAt ? formatDateTime(c.lastSyncAt) : t.never}</td>
          <td className="actions">
            <button type="button" className="button" disabled={syncing} onClick={() => onSync(c)}>
              {syncing ? t.syncing : t.syncNow}
            </button>{" "}
            <button
              type="button"
              className="button secondary"
              aria-label={`${t.removeConnection}: ${t.partnerCenter}`}
              onClick={() => onRemove(c)}
            >
              {t.removeConnection}
            </button>
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

const ConnectForm = ({
  replacing,
  busy,
  onSubmit,
}: {
  replacing: boolean;
  busy: boolean;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
}) => (
  <form className="card connection-form" onSubmit={onSubmit} aria-labelledby="connect-title">
    <h2 id="connect-title">{replacing ? t.replaceConnection : t.connectTitle}</h2>
    {replacing && <p className="meta">{t.replaceConnectionHint}</p>}
    <div className="connection-fields">
      <div>
        <label htmlFor="connect-api-url">{t.apiUrl}</label>
        <input
          id="connect-api-url"
          name="apiUrl"
          type="url"
          placeholder={DEFAULT_PARTNER_CENTER_API_URL}
          aria-describedby="api-url-hint"
        />
        <small id="api-url-hint">{t.apiUrlHint}</small>
      </div>
      <div>
        <label htmlFor="connect-token-url">{t.tokenUrl}</label>
        <input
          id="connect-token-url"
          name="tokenUrl"
          type="url"
          required
          placeholder="https://login.microsoftonline.com/TENANT/oauth2/v2.0/token"
          aria-describedby="token-url-hint"
        />
        <small id="token-url-hint">{t.tokenUrlHint}</small>
      </div>
      <div>
        <label htmlFor="connect-client-id">{t.clientId}</label>
        <input id="connect-client-id" name="clientId" required autoComplete="off" />
      </div>
      <div>
        <label htmlFor="connect-client-secret">{t.clientSecret}</label>
        <input
          id="connect-client-secret"
          name="clientSecret"
          type="password"
          required
          autoComplete="new-password"
        />
      </div>
      <div>
        <label htmlFor="connect-refresh-token">{t.refreshToken}</label>
        <input
          id="connect-refresh-token"
          name="refreshToken"
          type="password"
          autoComplete="new-password"
          aria-describedby="refresh-token-hint"
        />
        <small id="refresh-token-hint">{t.refreshTokenHint}</small>
      </div>
    </div>
    <p className="meta">{t.secretsStayHidden}</p>
    <button type="submit" className="button" disabled={busy}>
      {t.connect}
    </button>
  </form>
);

/** A running sync's progress, then what it did. */
const SyncOutcome = ({ job }: { job: SyncJobJson }) => {
  if (running(job)) {
    return (
      <div role="status" className="progress">
        <span>{job.status === "queued" ? t.syncQueued : t.syncing}</span>{" "}
        {job.progress.total > 0 && (
          <>
            <progress max={job.progress.total} value={job.progress.done} aria-label={t.syncing} />{" "}
            {t.syncProgress(job.progress.done, job.progress.total)}
          </>
        )}
      </div>
    );
  }
  return (
    <section className="card sync-outcome" aria-labelledby="sync-outcome-title">
      <h2 id="sync-outcome-title">
        {job.status === "succeeded" ? t.syncDone : t.syncFailed(statusLabel(job.status))}
      </h2>
      {job.error && <p className="error data">{job.error.message}</p>}
      {job.result && <SyncResult result={job.result} />}
    </section>
  );
};

const Counts = ({ title, counts }: { title: string; counts: SyncResultJson["pulled"] }) => (
  <div className="sync-counts">
    <h3>{title}</h3>
    <dl className="counts">
      {(
        [
          [t.created, counts.created],
          [t.updated, counts.updated],
          [t.unchanged, counts.unchanged],
        ] as const
      ).map(([label, n]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  </div>
);

const dealOf = (x: { deal: string | null; dealName?: string | null; referral: string | null }) =>
  x.dealName ?? (x.deal ? x.deal : x.referral ? t.referralNamed(x.referral) : "—");

/** What one sync did: counts both ways, then every conflict and error by deal and field. */
const SyncResult = ({ result }: { result: SyncResultJson }) => (
  <>
    <div className="sync-count-groups">
      <Counts title={t.pulled} counts={result.pulled} />
      <Counts title={t.pushed} counts={result.pushed} />
    </div>
    {result.conflicts.length === 0 && result.errors.length === 0 ? (
      <p className="notice notice-success">{t.noSyncIssues}</p>
    ) : null}
    {result.conflicts.length > 0 && (
      <>
        <h3>{t.conflictsWaiting(result.conflicts.length)}</h3>
        <table className="grid compact">
          <thead>
            <tr>
              <th scope="col">{t.dealColumn}</th>
              <th scope="col">{t.syncField}</th>
              <th scope="col">{t.localValue}</th>
              <th scope="col">{t.remoteValue}</th>
            </tr>
          </thead>
          <tbody>
            {result.conflicts.map((c) => (
              <tr key={`${c.deal} ${c.field}`} className="sync-conflict">
                <td className="data">{dealOf(c)}</td>
                <td>{syncedFieldLabel(c.field)}</td>
                <td className="pre data">{syncedValueText(c.field, c.local)}</td>
                <td className="pre data">{syncedValueText(c.field, c.remote)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    )}
    {result.errors.length > 0 && (
      <>
        <h3>{t.syncErrors(result.errors.length)}</h3>
        <table className="grid compact">
          <thead>
            <tr>
              <th scope="col">{t.dealColumn}</th>
              <th scope="col">{t.syncField}</th>
              <th scope="col">{t.problem}</th>
            </tr>
          </thead>
          <tbody>
            {result.errors.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: errors have no id; the list never reorders.
              <tr key={i} className="sync-error">
                <td className="data">{dealOf(e)}</td>
                <td>{e.field ? syncedFieldLabel(e.field) : "—"}</td>
                <td>
                  <span className="data">{e.message}</span> <span className="meta">({e.code})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    )}
  </>
);

const countsText = (c: SyncResultJson["pulled"]) => `${c.created} · ${c.updated} · ${c.unchanged}`;

const SyncHistory = ({ items }: { items: SyncJobJson[] }) => {
  const [open, setOpen] = useState<string | null>(null);
  const shown = items.find((j) => j.id === open);
  return (
    <>
      <table className="grid compact">
        <caption className="sr-only">{t.syncHistory}</caption>
        <thead>
          <tr>
            <th scope="col">{t.startedAt}</th>
            <th scope="col">{t.syncKind}</th>
            <th scope="col">{t.status}</th>
            <th scope="col" title={t.countsLegend}>
              {t.pulled}
            </th>
            <th scope="col" title={t.countsLegend}>
              {t.pushed}
            </th>
            <th scope="col">{t.conflictsColumn}</th>
            <th scope="col">{t.errorsColumn}</th>
            <th scope="col">
              <span className="sr-only">{t.details}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((j) => (
            <tr key={j.id}>
              <td className="nowrap">{formatDateTime(j.startedAt ?? j.createdAt)}</td>
              <td>{j.referrals ? t.webhookSync(j.referrals.length) : t.wholeSync}</td>
              <td>{statusLabel(j.status)}</td>
              <td>{j.result ? countsText(j.result.pulled) : ""}</td>
              <td>{j.result ? countsText(j.result.pushed) : ""}</td>
              <td>{j.result?.conflicts.length ?? ""}</td>
              <td>{j.result?.errors.length ?? (j.error ? 1 : "")}</td>
              <td>
                {(j.result || j.error) && (
                  <button
                    type="button"
                    className="link"
                    aria-expanded={j.id === open}
                    aria-controls="sync-details"
                    onClick={() => setOpen(j.id === open ? null : j.id)}
                  >
                    {t.details}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="meta">{t.countsLegend}</p>
      <div id="sync-details">
        {shown && (
          <section className="card" aria-label={t.details}>
            {shown.error && <p className="error data">{shown.error.message}</p>}
            {shown.result && <SyncResult result={shown.result} />}
          </section>
        )}
      </div>
    </>
  );
};
