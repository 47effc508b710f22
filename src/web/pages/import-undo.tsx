/**
 * Undo of an import from the history: a dry run first (the undo job run with `dryRun`, shown
 * like an import's — counts, then deal by deal what would be set back or why it is left
 * alone), then one click to confirm, which runs the real undo job.
 */
import { useEffect, useState } from "react";
import { headerOf } from "../../core/columns.js";
import { isJobFinished } from "../../core/jobs.js";
import { getJson, sendJson, storedMessage } from "../api.js";
import { Accepted, type ImportJob, parse, UndoJob, type UndoSummary } from "../api-types.js";
import { currentLang, formatDateTime } from "../locale.js";
import { t } from "../messages.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Submits the undo job and follows it to its end; its summary, or the error it ended with. */
const runUndo = async (importId: string, dryRun: boolean): Promise<UndoSummary> => {
  const { id } = parse(
    Accepted,
    await sendJson(`/api/imports/${importId}/undo`, "POST", { dryRun }),
  );
  for (;;) {
    const job = parse(UndoJob, await getJson(`/api/undos/${id}`));
    if (isJobFinished(job.status)) {
      if (job.status === "succeeded" && job.result) return job.result;
      throw new Error(job.error ? storedMessage(job.error.code, job.error.message) : job.status);
    }
    await sleep(300);
  }
};

export const UndoFlow = ({
  job,
  onClose,
  onUndone,
}: {
  job: ImportJob;
  onClose: () => void;
  onUndone: () => void;
}) => {
  const [phase, setPhase] = useState<"checking" | "dry" | "running" | "done">("checking");
  const [summary, setSummary] = useState<UndoSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    runUndo(job.id, true)
      .then((s) => {
        if (!live) return;
        setSummary(s);
        setPhase("dry");
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [job.id]);

  const confirm = async () => {
    setError(null);
    setPhase("running");
    try {
      setSummary(await runUndo(job.id, false));
      setPhase("done");
      onUndone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setPhase("dry");
    }
  };

  const file = job.fileName ?? formatDateTime(job.createdAt);
  return (
    <section aria-labelledby="undo-title" className="card undo">
      <h3 id="undo-title">{t.undoTitle(file)}</h3>
      <p>{t.undoIntro}</p>
      {(phase === "checking" || phase === "running") && !error && (
        <p role="status">{phase === "checking" ? t.undoChecking : t.undoRunning}</p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {summary && phase !== "checking" && (
        <>
          <h4>{phase === "done" ? t.undoDone : t.undoDryRunTitle}</h4>
          {phase !== "done" && <p>{t.dryRunNothingWritten}</p>}
          <dl className="counts">
            <div>
              <dt>{t.undone}</dt>
              <dd>{summary.undone}</dd>
            </div>
            <div className={summary.notUndone > 0 ? "bad" : undefined}>
              <dt>{t.notUndone}</dt>
              <dd>{summary.notUndone}</dd>
            </div>
          </dl>
          <UndoTable rows={summary.rows} />
        </>
      )}
      <div className="actions">
        {phase === "dry" && summary && (
          <button type="button" className="button primary-danger" onClick={() => void confirm()}>
            {t.undoConfirm(summary.undone, summary.notUndone)}
          </button>
        )}{" "}
        <button type="button" className="button secondary" onClick={onClose}>
          {phase === "done" ? t.close : t.undoKeep}
        </button>
      </div>
    </section>
  );
};

const UndoTable = ({ rows }: { rows: UndoSummary["rows"] }) => (
  <table className="grid compact">
    <caption className="sr-only">{t.details}</caption>
    <thead>
      <tr>
        <th scope="col">{t.line}</th>
        <th scope="col">{headerOf("referralId", currentLang())}</th>
        <th scope="col">{t.result}</th>
        <th scope="col">{t.details}</th>
      </tr>
    </thead>
    <tbody>
      {rows.map((r) => (
        <tr key={r.row} className={r.result === "Undone" ? "result-undone" : "result-not-undone"}>
          <td>{r.row + 1}</td>
          <td className="mono">{r.referralId}</td>
          <td>{r.result === "Undone" ? t.undone : t.notUndone}</td>
          <td>
            {r.result === "Not undone" ? (
              r.reasonCode === "changed_since" ? (
                t.undoChangedSince
              ) : r.reasonCode === "gone" ? (
                t.undoGone
              ) : (
                r.reason
              )
            ) : (
              <ul className="plain">
                {r.action === "close" && <li>{t.undoActionClose}</li>}
                {r.changes.map((c) => (
                  <li key={c.header}>
                    <strong>{c.column}</strong>: <del>{c.from ?? "∅"}</del> →{" "}
                    <ins>{c.to ?? "∅"}</ins>
                  </li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);
