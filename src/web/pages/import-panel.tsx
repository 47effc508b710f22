/**
 * The import panel: template, file, a check in the browser with the server's own core
 * code (encoding, delimiter, headers, row errors), a dry run that shows what each row
 * would do — field by field for updates — then one click to apply it for real, progress,
 * the last processed file card and the history.
 */
import { type DragEvent, useCallback, useEffect, useState } from "react";
import { FileRejectedError, type RowError } from "../../core/errors.js";
import { describeIgnored } from "../../core/header-map.js";
import { type ImportFile, readImportFile } from "../../core/import/read-import-file.js";
import type { Limits } from "../../core/limits.js";
import { planCreate } from "../../core/row/plan-row.js";
import { ApiError, downloadResponse, getJson, localizedError, request } from "../api.js";
import {
  Accepted,
  ImportJob,
  ImportList,
  type ImportRow,
  ImportRows,
  parse,
} from "../api-types.js";
import { Drawer } from "../components/drawer.js";
import { currentLang, formatDateTime } from "../locale.js";
import { t } from "../messages.js";
import { serverLimits } from "../server-limits.js";

interface Picked {
  name: string;
  bytes: Uint8Array;
  file: ImportFile | null;
  rejected: string | null;
  problems: { row: number; errors: RowError[] }[];
}

/** The same checks the server runs first, without the deals it alone knows. */
const checkInBrowser = (name: string, bytes: Uint8Array, limits: Limits): Picked => {
  try {
    const file = readImportFile(bytes, limits);
    const ctx = {
      map: file.map,
      limits,
      mode: "import" as const,
      requiredMember: null,
    };
    const problems = file.rows.flatMap((row) => {
      const outcome = row.referralId ? null : planCreate(row, ctx);
      const errors = outcome?.result === "Not processed" ? outcome.errors : row.errors;
      return errors.length > 0 ? [{ row: row.row, errors }] : [];
    });
    return { name, bytes, file, rejected: null, problems };
  } catch (error) {
    const rejected =
      error instanceof FileRejectedError
        ? localizedError(error.code, error.message)
        : String(error);
    return { name, bytes, file: null, rejected, problems: [] };
  }
};

const resultLabel = (result: string): string =>
  ({
    Created: t.created,
    Updated: t.updated,
    Unchanged: t.unchanged,
    "Not processed": t.notProcessed,
  })[result] ?? result;

/** What names a row for a person: the deal's name, else its CRM ID or Referral ID; and its line. */
interface RowName {
  deal: string;
  line: number;
}
const rowNames = (file: ImportFile | null): Map<number, RowName> =>
  new Map(
    (file?.rows ?? []).map((r) => {
      const name = r.fields.name ?? r.fields.crmId ?? r.referralId ?? "";
      return [r.row, { deal: typeof name === "string" ? name : "", line: r.line }];
    }),
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const ImportPanel = ({ onClose }: { onClose: () => void }) => {
  const [picked, setPicked] = useState<Picked | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [rows, setRows] = useState<ImportRow[]>([]);
  const [phase, setPhase] = useState<"pick" | "dry" | "dryDone" | "apply" | "done">("pick");
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<ImportJob[]>([]);
  const [dragging, setDragging] = useState(false);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [upsertByCrmId, setUpsertByCrmId] = useState(false);
  const [inputKey, setInputKey] = useState(0);

  const loadHistory = useCallback(async () => {
    setHistory(parse(ImportList, await getJson("/api/imports?limit=20")).items);
  }, []);
  useEffect(() => {
    loadHistory().catch(() => {});
  }, [loadHistory]);

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setJob(null);
    setRows([]);
    setPhase("pick");
    setKey(crypto.randomUUID());
    const limits = await serverLimits();
    setPicked(checkInBrowser(file.name, new Uint8Array(await file.arrayBuffer()), limits));
  };

  const run = async (dryRun: boolean) => {
    if (!picked) return;
    setError(null);
    setPhase(dryRun ? "dry" : "apply");
    try {
      const form = new FormData();
      if (upsertByCrmId) form.append("upsertByCrmId", "true");
      form.append(
        "file",
        new Blob([new Uint8Array(picked.bytes)], { type: "text/csv" }),
        picked.name,
      );
      const res = await request(`/api/imports?dryRun=${dryRun}`, {
        method: "POST",
        body: form,
        headers: dryRun ? {} : { "idempotency-key": key },
      });
      const { id } = parse(Accepted, await res.json());
      let current = parse(ImportJob, await getJson(`/api/imports/${id}`));
      while (current.status === "queued" || current.status === "running") {
        setJob(current);
        await sleep(300);
        current = parse(ImportJob, await getJson(`/api/imports/${id}`));
      }
      setJob(current);
      if (current.status !== "succeeded") throw new Error(current.error?.message ?? current.status);
      setRows(parse(ImportRows, await getJson(`/api/imports/${id}/rows`)).items);
      setPhase(dryRun ? "dryDone" : "done");
      await loadHistory();
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
      setPhase("pick");
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void pick(e.dataTransfer.files[0]);
  };

  const last = history.find((h) => !h.dryRun && h.status === "succeeded");
  const busy = phase === "dry" || phase === "apply";

  return (
    <Drawer title={t.importTitle} onClose={onClose} wide>
      <p>{t.importIntro}</p>

      {last?.summary && phase !== "dryDone" && phase !== "done" && <LastFileCard job={last} />}

      <section className="templates" aria-label={t.template}>
        <strong>{t.template}:</strong>{" "}
        {(currentLang() === "fr" ? (["fr", "en"] as const) : (["en", "fr"] as const)).map(
          (l, i) => (
            <span key={l}>
              {i > 0 && " · "}
              <a href={`/api/template?lang=${l}`}>{l === "fr" ? t.templateFr : t.templateEn}</a> (
              <a href={`/api/template?lang=${l}&example=true`}>{t.withExample}</a>)
            </span>
          ),
        )}
      </section>

      <label
        className={`dropzone${dragging ? " dragging" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <span>
          {t.dropHere} <u>{t.chooseFile}</u>
        </span>
        <input
          key={inputKey}
          type="file"
          accept=".csv,text/csv"
          className="sr-only"
          onChange={(e) => void pick(e.target.files?.[0])}
        />
        {picked && <strong className="file-name">{picked.name}</strong>}
      </label>

      {picked?.rejected && (
        <div className="notice notice-error" role="alert">
          <strong>{t.fileRejected}</strong>
          <p>{picked.rejected}</p>
        </div>
      )}

      {picked?.file && phase === "pick" && (
        <section aria-label={t.problem}>
          {picked.file.map.ignored.length > 0 && (
            <details>
              <summary>
                {t.ignoredColumns} ({picked.file.map.ignored.length})
              </summary>
              <ul>
                {picked.file.map.ignored.map((c) => (
                  <li key={c.index}>{describeIgnored(c)}</li>
                ))}
              </ul>
            </details>
          )}
          {picked.problems.length > 0 ? (
            <>
              <p className="notice notice-warning">{t.problemsFound(picked.problems.length)}</p>
              <ProblemTable problems={picked.problems} names={rowNames(picked.file)} />
            </>
          ) : (
            <p className="notice notice-success">{t.noProblemsFound(picked.file.rows.length)}</p>
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={upsertByCrmId}
              onChange={(e) => setUpsertByCrmId(e.target.checked)}
            />{" "}
            {t.upsertByCrmId}
          </label>
          <button type="button" className="button" onClick={() => void run(true)}>
            {t.runDryRun}
          </button>
        </section>
      )}

      {busy && job && (
        <div role="status" className="progress">
          <span>{phase === "dry" ? t.dryRunning : t.applying}</span>{" "}
          <progress max={job.progress.total || 1} value={job.progress.processed} />{" "}
          {t.progress(job.progress.processed, job.progress.total)}
        </div>
      )}

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      {(phase === "dryDone" || phase === "done") && job?.summary && (
        <section aria-labelledby="outcome-title">
          <h3 id="outcome-title">{phase === "dryDone" ? t.dryRunTitle : t.importDone}</h3>
          {phase === "dryDone" && <p>{t.dryRunNothingWritten}</p>}
          <Counts summary={job.summary} />
          <RowTable rows={rows} names={rowNames(picked?.file ?? null)} />
          {phase === "dryDone" ? (
            <button type="button" className="button primary-danger" onClick={() => void run(false)}>
              {t.applyPlan(
                job.summary.created,
                job.summary.updated,
                job.summary.unchanged,
                job.summary.notProcessed,
              )}
            </button>
          ) : (
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                setPicked(null);
                setJob(null);
                setRows([]);
                setError(null);
                setPhase("pick");
                setInputKey((k) => k + 1);
              }}
            >
              {t.startOver}
            </button>
          )}
        </section>
      )}

      <section aria-labelledby="history-title">
        <h3 id="history-title">{t.history}</h3>
        {history.length === 0 ? <p>{t.noImports}</p> : <History items={history} />}
      </section>
    </Drawer>
  );
};

const Counts = ({ summary }: { summary: NonNullable<ImportJob["summary"]> }) => (
  <dl className="counts">
    {(
      [
        [t.created, summary.created],
        [t.updated, summary.updated],
        [t.unchanged, summary.unchanged],
        [t.notProcessed, summary.notProcessed],
      ] as const
    ).map(([label, n]) => (
      <div key={label} className={n > 0 && label === t.notProcessed ? "bad" : undefined}>
        <dt>{label}</dt>
        <dd>{n}</dd>
      </div>
    ))}
  </dl>
);

const downloadResults = async (id: string) =>
  downloadResponse(await request(`/api/imports/${id}/results`), "import-results.csv");

const LastFileCard = ({ job }: { job: ImportJob }) => (
  <section className="card last-file" aria-labelledby="last-file-title">
    <h3 id="last-file-title">{job.fileName ? `${t.lastFile}: ${job.fileName}` : t.lastFile}</h3>
    {job.summary && <Counts summary={job.summary} />}
    <button type="button" className="link" onClick={() => void downloadResults(job.id)}>
      {t.downloadDetails}
    </button>
  </section>
);

const LinesHint = () => <p className="meta">{t.linesHint}</p>;

const ProblemTable = ({
  problems,
  names,
}: {
  problems: { row: number; errors: RowError[] }[];
  names: Map<number, RowName>;
}) => (
  <>
    <LinesHint />
    <table className="grid compact">
      <thead>
        <tr>
          <th scope="col">{t.line}</th>
          <th scope="col">{t.dealColumn}</th>
          <th scope="col">{t.column}</th>
          <th scope="col">{t.problem}</th>
        </tr>
      </thead>
      <tbody>
        {problems.flatMap((p) =>
          p.errors.map((e) => (
            <tr key={`${p.row}-${e.column}-${e.code}`}>
              <td>{names.get(p.row)?.line ?? p.row + 1}</td>
              <td>{names.get(p.row)?.deal || "—"}</td>
              <td>{e.column}</td>
              <td title={e.message}>{localizedError(e.code, e.message)}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  </>
);

const RowTable = ({ rows, names }: { rows: ImportRow[]; names: Map<number, RowName> }) => {
  const problems = rows.filter((r) => r.result === "Not processed").length;
  const [onlyProblems, setOnlyProblems] = useState(problems > 0);
  const shown = onlyProblems ? rows.filter((r) => r.result === "Not processed") : rows;
  return (
    <>
      <div className="row-table-head">
        <LinesHint />
        <label className="check">
          <input
            type="checkbox"
            checked={onlyProblems}
            onChange={(e) => setOnlyProblems(e.target.checked)}
          />{" "}
          {t.onlyProblems(problems)}
        </label>
      </div>
      <table className="grid compact">
        <thead>
          <tr>
            <th scope="col">{t.line}</th>
            <th scope="col">{t.dealColumn}</th>
            <th scope="col">{t.result}</th>
            <th scope="col">{t.details}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.row} className={`result-${r.result.replace(" ", "-").toLowerCase()}`}>
              <td>{names.get(r.row)?.line ?? r.row + 1}</td>
              <td>{names.get(r.row)?.deal || r.referralId || "—"}</td>
              <td>{resultLabel(r.result)}</td>
              <td>
                {r.errors.length > 0 ? (
                  <ul className="plain">
                    {r.errors.map((e) => (
                      <li key={e.message} title={e.message}>
                        {localizedError(e.code, e.message)}
                      </li>
                    ))}
                  </ul>
                ) : r.changes.length > 0 ? (
                  <ul className="plain">
                    {r.changes.map((c) => (
                      <li key={c.column}>
                        <strong>{c.column}</strong>: <del>{c.from ?? "∅"}</del> →{" "}
                        <ins>{c.to ?? "∅"}</ins>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
};

export const statusLabel = (status: string): string =>
  ({
    queued: t.statusQueued,
    running: t.statusRunning,
    succeeded: t.statusSucceeded,
    failed: t.statusFailed,
    canceled: t.statusCanceled,
  })[status] ?? status;

const History = ({ items }: { items: ImportJob[] }) => {
  const [dryRuns, setDryRuns] = useState(false);
  const shown = items.filter((h) => h.dryRun === dryRuns);
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={dryRuns} onChange={(e) => setDryRuns(e.target.checked)} />{" "}
        {t.showDryRuns}
      </label>
      {shown.length === 0 ? (
        <p>{dryRuns ? t.noDryRuns : t.noImports}</p>
      ) : (
        <table className="grid compact">
          <caption className="sr-only">{dryRuns ? t.dryRunsCaption : t.history}</caption>
          <thead>
            <tr>
              <th scope="col">{t.startedAt}</th>
              <th scope="col">{t.file}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.created}</th>
              <th scope="col">{t.updated}</th>
              <th scope="col">{t.unchanged}</th>
              <th scope="col">{t.notProcessed}</th>
              <th scope="col">
                <span className="sr-only">{t.downloadDetails}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((h) => (
              <tr key={h.id}>
                <td className="nowrap">{formatDateTime(h.createdAt)}</td>
                <td>{h.fileName ?? ""}</td>
                <td>{statusLabel(h.status)}</td>
                <td>{h.summary?.created ?? ""}</td>
                <td>{h.summary?.updated ?? ""}</td>
                <td>{h.summary?.unchanged ?? ""}</td>
                <td>{h.summary?.notProcessed ?? ""}</td>
                <td>
                  {h.status === "succeeded" && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => void downloadResults(h.id)}
                    >
                      {t.downloadDetails}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
