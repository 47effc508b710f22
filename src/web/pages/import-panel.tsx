/**
 * The import panel: template (CSV or workbook), file, the mapping step for a file with
 * headers of its own, a check in the browser with the server's own core code (encoding,
 * delimiter, headers, row errors) where an error cell is corrected in place, a dry run that
 * shows what each row would do — field by field for updates — then one click to apply it for
 * real, progress, the last processed file card, and the history with undo.
 */
import { type DragEvent, useCallback, useEffect, useMemo, useState } from "react";
import { suggestedValues } from "../../core/codecs/index.js";
import type { RowError } from "../../core/errors.js";
import { describeIgnored } from "../../core/header-map.js";
import type { ImportFile } from "../../core/import/read-import-file.js";
import { LANGS } from "../../core/columns.js";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import {
  ApiError,
  downloadBlob,
  downloadResponse,
  getJson,
  localMessage,
  request,
} from "../api.js";
import {
  Accepted,
  ImportJob,
  ImportList,
  type ImportRow,
  ImportRows,
  parse,
} from "../api-types.js";
import { Drawer } from "../components/drawer.js";
import { type FileFormat, FormatChoice } from "../components/format-choice.js";
import {
  type Checked,
  checkSource,
  type Edits,
  editKey,
  errorCell,
  failedRowsFile,
  failedRowsName,
  needsMappingStep,
  readSource,
  type Source,
} from "../import-check.js";
import { currentLang, formatDateTime, type Lang } from "../locale.js";
import { t } from "../messages.js";
import { serverLimits } from "../server-limits.js";
import { type ChosenMapping, MappingStep } from "./import-mapping.js";
import { UndoFlow } from "./import-undo.js";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

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

/** A template's link text in the interface's language (a language without one does not compile). */
const templateName = (lang: Lang): string => {
  const names: Record<Lang, string> = { en: t.templateEn, fr: t.templateFr };
  return names[lang];
};

export const ImportPanel = ({ onClose }: { onClose: () => void }) => {
  const [source, setSource] = useState<Source | null>(null);
  const [limits, setLimits] = useState<Limits | null>(null);
  const [mapping, setMapping] = useState<ChosenMapping | null>(null);
  const [mappingStep, setMappingStep] = useState(false);
  const [edits, setEdits] = useState<Edits>(new Map());
  const [templateFormat, setTemplateFormat] = useState<FileFormat>("csv");
  const [undoing, setUndoing] = useState<ImportJob | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [rows, setRows] = useState<ImportRow[]>([]);
  const [phase, setPhase] = useState<"pick" | "dry" | "dryDone" | "apply" | "done">("pick");
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<ImportJob[]>([]);
  const [dragging, setDragging] = useState(false);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [upsertByCrmId, setUpsertByCrmId] = useState(false);
  const [inputKey, setInputKey] = useState(0);
  // What the intro says is the server's own limit, once it has said it.
  const [maxRows, setMaxRows] = useState(DEFAULT_LIMITS.importRows);
  useEffect(() => {
    let live = true;
    serverLimits().then((limits) => live && setMaxRows(limits.importRows));
    return () => {
      live = false;
    };
  }, []);

  const loadHistory = useCallback(async () => {
    setHistory(parse(ImportList, await getJson("/api/imports?limit=20")).items);
  }, []);
  useEffect(() => {
    loadHistory().catch(() => {});
  }, [loadHistory]);

  // Checked again whenever a cell is corrected: the row's errors go the moment they are fixed.
  const picked: Checked | null = useMemo(
    () =>
      source && limits && !mappingStep
        ? checkSource(source, limits, mapping?.mapping ?? {}, edits)
        : null,
    [source, limits, mappingStep, mapping, edits],
  );

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setJob(null);
    setRows([]);
    setPhase("pick");
    setUndoing(null);
    setKey(crypto.randomUUID());
    const serverSide = await serverLimits();
    const read = readSource(file.name, new Uint8Array(await file.arrayBuffer()), serverSide);
    setLimits(serverSide);
    setEdits(new Map());
    setMapping(null);
    setMappingStep(read.xlsx || needsMappingStep(read));
    setSource(read);
  };

  const fix = (row: number, column: number, value: string) =>
    setEdits((m) => new Map(m).set(editKey(row, column), value));

  const downloadFailed = (rowNumbers: Iterable<number>) => {
    if (!source) return;
    downloadBlob(failedRowsFile(source, edits, new Set(rowNumbers)), failedRowsName(source.name));
  };

  const run = async (dryRun: boolean) => {
    if (!picked || !source) return;
    setError(null);
    setPhase(dryRun ? "dry" : "apply");
    try {
      const form = new FormData();
      if (upsertByCrmId) form.append("upsertByCrmId", "true");
      if (mapping?.preset) form.append("preset", mapping.preset);
      else if (mapping && Object.keys(mapping.mapping).length > 0) {
        form.append("mapping", JSON.stringify(mapping.mapping));
      }
      if (picked.corrections.length > 0) {
        form.append("corrected", JSON.stringify(picked.corrections));
      }
      form.append(
        "file",
        new Blob([new Uint8Array(picked.bytes)], { type: source.xlsx ? XLSX_TYPE : "text/csv" }),
        source.name,
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
      <p>{t.importIntro(maxRows)}</p>

      {last?.summary && phase !== "dryDone" && phase !== "done" && <LastFileCard job={last} />}

      <section className="templates" aria-label={t.template}>
        <strong>{t.template}:</strong>{" "}
        {[currentLang(), ...LANGS.filter((l) => l !== currentLang())].map((l, i) => (
          <span key={l}>
            {i > 0 && " · "}
            <a href={`/api/template?lang=${l}&format=${templateFormat}`}>{templateName(l)}</a> (
            <a href={`/api/template?lang=${l}&example=true&format=${templateFormat}`}>
              {t.withExample}
            </a>
            )
          </span>
        ))}{" "}
        <FormatChoice
          label={t.templateFormat}
          value={templateFormat}
          onChange={setTemplateFormat}
        />
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
          accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          className="sr-only"
          onChange={(e) => void pick(e.target.files?.[0])}
        />
        {source && <strong className="file-name">{source.name}</strong>}
      </label>

      {picked?.rejected && (
        <div className="notice notice-error" role="alert">
          <strong>{t.fileRejected}</strong>
          <p>{picked.rejected}</p>
        </div>
      )}

      {source && mappingStep && phase === "pick" && (
        <MappingStep
          source={source}
          onDone={(chosen) => {
            setMapping(chosen);
            setEdits(new Map());
            setMappingStep(false);
          }}
        />
      )}

      {picked && !picked.rejected && !mappingStep && phase === "pick" && (
        <section aria-label={t.problem}>
          {mapping && Object.keys(mapping.mapping).length > 0 && (
            <p>
              {t.mappingInUse(Object.keys(mapping.mapping).length)}{" "}
              <button type="button" className="link" onClick={() => setMappingStep(true)}>
                {t.mappingChange}
              </button>
            </p>
          )}
          {picked.file && picked.file.map.ignored.length > 0 && (
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
          {picked.corrections.length > 0 && (
            <p className="notice notice-info">{t.cellsCorrected(picked.corrections.length)}</p>
          )}
          {!picked.file ? (
            <p className="notice notice-info">{t.workbookOnServer}</p>
          ) : picked.problems.length > 0 ? (
            <>
              <p className="notice notice-warning">{t.problemsFound(picked.problems.length)}</p>
              <ProblemTable
                problems={picked.problems}
                file={picked.file}
                names={rowNames(picked.file)}
                onFix={fix}
              />
              <button
                type="button"
                className="link"
                onClick={() => downloadFailed(picked.problems.map((p) => p.row))}
              >
                {t.downloadFailedRows}
              </button>
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
          {source?.csv && rows.some((r) => r.result === "Not processed") && (
            <button
              type="button"
              className="link"
              onClick={() =>
                downloadFailed(rows.filter((r) => r.result === "Not processed").map((r) => r.row))
              }
            >
              {t.downloadFailedRows}
            </button>
          )}
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
                setSource(null);
                setMapping(null);
                setEdits(new Map());
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

      {undoing && (
        <UndoFlow
          key={undoing.id}
          job={undoing}
          onClose={() => setUndoing(null)}
          onUndone={() => void loadHistory().catch(() => {})}
        />
      )}

      <section aria-labelledby="history-title">
        <h3 id="history-title">{t.history}</h3>
        {history.length === 0 ? (
          <p>{t.noImports}</p>
        ) : (
          <History items={history} onUndo={setUndoing} />
        )}
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

/** A cell corrected in place: committed on Enter or when the focus leaves it. */
const FixCell = ({
  value,
  label,
  onCommit,
}: {
  value: string;
  label: string;
  onCommit: (value: string) => void;
}) => (
  <input
    className="fix-cell"
    aria-label={label}
    defaultValue={value}
    onKeyDown={(e) => {
      if (e.key === "Enter") onCommit(e.currentTarget.value);
    }}
    onBlur={(e) => {
      if (e.currentTarget.value !== value) onCommit(e.currentTarget.value);
    }}
  />
);

const ProblemTable = ({
  problems,
  file,
  names,
  onFix,
}: {
  problems: { row: number; errors: RowError[] }[];
  file: ImportFile;
  names: Map<number, RowName>;
  onFix: (row: number, column: number, value: string) => void;
}) => (
  <>
    <LinesHint />
    <p className="meta">{t.fixHint}</p>
    <table className="grid compact problems">
      <thead>
        <tr>
          <th scope="col">{t.line}</th>
          <th scope="col">{t.dealColumn}</th>
          <th scope="col">{t.column}</th>
          <th scope="col">{t.valueColumn}</th>
          <th scope="col">{t.problem}</th>
        </tr>
      </thead>
      <tbody>
        {problems.flatMap((p) =>
          p.errors.map((e) => {
            const line = names.get(p.row)?.line ?? p.row + 1;
            const column = errorCell(file, e);
            const value = column === null ? null : (file.records[p.row - 1]?.cells[column] ?? "");
            return (
              <tr key={`${p.row}-${e.column}-${e.code}`}>
                <td>{line}</td>
                <td>{names.get(p.row)?.deal || "—"}</td>
                <td>{e.column}</td>
                <td>
                  {column !== null && value !== null ? (
                    <FixCell
                      key={`${p.row}:${column}:${value}`}
                      value={value}
                      label={t.fixCell(e.column, line)}
                      onCommit={(v) => onFix(p.row, column, v)}
                    />
                  ) : (
                    "—"
                  )}
                </td>
                <td>
                  {localMessage(e)}
                  {column !== null &&
                    suggestedValues(e.message).map((suggestion) => (
                      <button
                        key={suggestion}
                        type="button"
                        className="link suggestion"
                        onClick={() => onFix(p.row, column, suggestion)}
                      >
                        {t.takeSuggestion(suggestion)}
                      </button>
                    ))}
                </td>
              </tr>
            );
          }),
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
                      <li key={e.message}>{e.message}</li>
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

const History = ({ items, onUndo }: { items: ImportJob[]; onUndo: (job: ImportJob) => void }) => {
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
              {!dryRuns && (
                <th scope="col">
                  <span className="sr-only">{t.undo}</span>
                </th>
              )}
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
                  {/* A stopped import has one too: its applied rows and the ones to send again. */}
                  {h.resultsReady && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => void downloadResults(h.id)}
                    >
                      {t.downloadDetails}
                    </button>
                  )}
                </td>
                {!dryRuns && (
                  <td className="nowrap">
                    {h.undoneAt ? (
                      t.undoneOn(formatDateTime(h.undoneAt))
                    ) : h.status === "succeeded" ? (
                      <button
                        type="button"
                        className="link"
                        aria-label={t.undoImport(h.fileName ?? "", formatDateTime(h.createdAt))}
                        onClick={() => onUndo(h)}
                      >
                        {t.undo}
                      </button>
                    ) : null}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
