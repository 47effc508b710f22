/**
 * The import history as people and scripts see it: follow one import, list them, read its
 * rows' results, download its results file. The history is the `imports` table, so imports
 * made with the CLI show in it too; for an import that ran as a job, the job's row is the
 * authority on status and progress.
 *
 * Scope: a Referrals admin sees every import of the organisation; a Referrals user only
 * their own. Anything else is "not found".
 */
import type { UserActor } from "../../core/actor.js";
import type { ImportJobJson } from "../../core/api/job-schemas.js";
import { RequestError } from "../../core/errors.js";
import { type CellCorrection, parseCorrections } from "../../core/import/corrections.js";
import { parseJsonObject } from "../../core/json.js";
import { JOB } from "../../core/messages/jobs.js";
import { baseFileName } from "../../core/file-name.js";
import type { RowSummary } from "../../core/import/row-summary.js";
import { endedEarly, JOB_STATUSES, type JobStatus } from "../../core/jobs.js";
import { toCount } from "../db/count.js";
import {
  findImportRecord,
  type ImportPage,
  type ImportRecord,
  importResultsCsv,
  listImportRecords,
  recordedImportRows,
} from "../db/imports-repo.js";
import type { Store } from "../db/store.js";
import { type DownloadFile, failure } from "./job-view.js";

/** An import as the API shows it, before its links. */
export type ImportJob = Omit<ImportJobJson, "links">;

const asJobStatus = (text: string): JobStatus => JOB_STATUSES.find((s) => s === text) ?? "failed";

const strings = (json: string): string[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
};

/** The corrected cells an import record's options keep (none for most). */
const correctionsOf = (options: string): CellCorrection[] => {
  const { corrected } = parseJsonObject(options);
  return corrected === undefined ? [] : parseCorrections(corrected);
};

const toImportJob = (r: ImportRecord): ImportJob => {
  const status = r.job_status ?? asJobStatus(r.status);
  const dryRun = r.dry_run === 1;
  const hasResults = toCount(r.has_results) === 1;
  return {
    id: r.id,
    kind: "import",
    status,
    // An import made with the CLI has no job: it was whole the moment it was recorded.
    progress:
      r.job_status !== null
        ? { processed: r.job_done ?? 0, total: r.job_total ?? r.total }
        : { processed: r.total, total: r.total },
    dryRun,
    fileName: r.file_name,
    submittedBy: r.email,
    createdAt: r.created_at,
    startedAt: r.job_status !== null ? r.job_started_at : r.created_at,
    finishedAt: r.job_finished_at ?? r.finished_at,
    error: failure(r.job_error_code, r.job_error_message) ?? failure(r.error_code, r.error_message),
    // An import that stopped early has the totals of where it stood (the rows it did not reach
    // count as not processed): partial.
    summary:
      status === "succeeded" || (endedEarly(status) && hasResults)
        ? {
            ...(status === "succeeded" ? {} : { partial: true }),
            dryRun,
            total: r.total,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            notProcessed: r.not_processed,
            ignoredColumns: strings(r.ignored_columns),
          }
        : null,
    resultsReady: hasResults,
    undoneAt: r.undone_at,
    correctedCells: correctionsOf(r.options),
  };
};

const importRecord = async (store: Store, actor: UserActor, id: string): Promise<ImportRecord> => {
  const r = await findImportRecord(store.db, actor, id);
  if (!r) throw new RequestError("not_found", JOB.noSuchImport);
  return r;
};

export async function getImportJob(store: Store, actor: UserActor, id: string): Promise<ImportJob> {
  return toImportJob(await importRecord(store, actor, id));
}

/** The import history, newest first. */
export async function listImportJobs(
  store: Store,
  actor: UserActor,
  page: ImportPage,
): Promise<{ items: ImportJob[]; total: number }> {
  const { items, total } = await listImportRecords(store.db, actor, page);
  return { items: items.map(toImportJob), total };
}

/** The per-row results recorded so far, in file order (a dry run's carry the field changes). */
export async function listImportRows(
  store: Store,
  actor: UserActor,
  id: string,
): Promise<RowSummary[]> {
  await importRecord(store, actor, id);
  return recordedImportRows(store.db, id);
}

const resultsName = (fileName: string | null): string => {
  const base = baseFileName(fileName ?? "")
    .replace(/\.[^.]*$/, "")
    .trim();
  return `${base || "import"}-results.csv`;
};

/**
 * The results file: the uploaded file with Errors and Import Result filled in — also for an
 * import that stopped early (failed, given up on, canceled), whose rows not reached say so.
 * "Conflict" until the import has ended; "not found" when its file was removed after the
 * retention period, or it stopped before its file could be read.
 */
export async function importResultsFile(
  store: Store,
  actor: UserActor,
  id: string,
): Promise<DownloadFile> {
  const job = toImportJob(await importRecord(store, actor, id));
  if (job.status === "queued" || job.status === "running") {
    throw new RequestError("conflict", JOB.importNotEnded(job.status));
  }
  const csv = await importResultsCsv(store.db, id);
  if (!csv && job.status !== "succeeded") {
    throw new RequestError(
      "not_found",
      `The import ended (${job.status}) before its file could be read: it has no results file`,
    );
  }
  if (!csv) {
    throw new RequestError("not_found", JOB.resultsRemoved);
  }
  return { name: resultsName(job.fileName), contentType: "text/csv; charset=utf-8", data: csv };
}
