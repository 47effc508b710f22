/**
 * Import and export jobs as people and scripts see them: submit (idempotent, and an import
 * file is checked whole before anything is queued), follow, list, cancel, download.
 *
 * Scope: a job belongs to its organisation — another organisation's job is simply "not
 * found". A Referrals admin sees every import and export of the organisation; a Referrals
 * user sees only their own (an admin's export may hold deals outside the user's scope).
 *
 * The import history is the `imports` table, so imports made with the CLI show in it too;
 * for an import that ran as a job, the job's row is the authority on status and progress.
 */

import type { Lang } from "../../core/columns.js";
import type { DealFilter } from "../../core/deal-filter.js";
import type { ColumnMapping } from "../../core/column-mapping.js";
import { RequestError } from "../../core/errors.js";
import { openImportTable, parseImportRows } from "../../core/import/read-import-file.js";
import { baseFileName } from "../../core/file-name.js";
import { JOB_STATUSES, type JobKind, type JobStatus } from "../../core/jobs.js";
import { parseJsonObject } from "../../core/json.js";
import type { Limits } from "../../core/limits.js";
import type { RowResult } from "../../core/row/plan-row.js";
import { toCount } from "../db/count.js";
import type { Db } from "../db/deals-repo.js";
import type { JobRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { XLSX_TYPE } from "../xlsx/export-workbook.js";
import { readUploadTable } from "../xlsx/open-upload.js";
import { isXlsx } from "../xlsx/read-workbook.js";
import type { ExportFormat } from "./export-deals.js";
import { chooseMapping } from "./import-presets.js";
import {
  cancelQueuedJob,
  findJobByIdempotencyKey,
  getJob,
  getJobFile,
  insertJob,
} from "../jobs/jobs-repo.js";
import type { ExportJobParams, ImportJobParams } from "../jobs/params.js";
import type { UserActor } from "./actor.js";
import { httpOrigin } from "./audit.js";
import { assertSameRequest, REQUEST_HASH, requestFingerprint } from "./idempotency.js";
import { type ImportRequest, insertImportRecord, type RowSummary } from "./import-deals.js";
import { parseStoredChanges, parseStoredErrors } from "./stored-rows.js";

export interface Submitted {
  id: string;
  status: JobStatus;
  /** False when the Idempotency-Key named a job submitted before: nothing new was queued. */
  created: boolean;
}

export interface JobProgress {
  processed: number;
  total: number;
}

export interface JobFailure {
  code: string;
  message: string;
}

/** The same keys as `cosell import --json`, without the rows. */
export interface ImportJobSummary {
  dryRun: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  notProcessed: number;
  ignoredColumns: string[];
}

export interface ImportJob {
  id: string;
  kind: "import";
  status: JobStatus;
  progress: JobProgress;
  dryRun: boolean;
  fileName: string | null;
  /** The email of the person who imported. */
  submittedBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: JobFailure | null;
  /** Set once the import succeeded. */
  summary: ImportJobSummary | null;
  /** The per-row results file can be downloaded (it is removed after the retention period). */
  resultsReady: boolean;
}

export interface ExportJobResult {
  count: number;
  leftOut: number;
  fileName: string;
}

export interface ExportJob {
  id: string;
  kind: "export";
  status: JobStatus;
  progress: JobProgress;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: JobFailure | null;
  /** Set once the export succeeded. */
  result: ExportJobResult | null;
}

export interface DownloadFile {
  name: string;
  contentType: string;
  data: Uint8Array | string;
}

// ---------------------------------------------------------------------------------------
// Submitting

/** The job an earlier request with this key made, if any; refused when it was another request. */
const jobWithKey = async (
  store: Store,
  actor: UserActor,
  kind: JobKind,
  key: string,
  fingerprint: string,
): Promise<Submitted | undefined> => {
  const job = await findJobByIdempotencyKey(store.db, actor.userId, key);
  if (!job) return undefined;
  assertSameRequest(job, kind, fingerprint);
  return { id: job.id, status: job.status, created: false };
};

/** Runs `insert` in one transaction, unless the key names an earlier job — even one that won a race. */
const insertOnce = async (
  store: Store,
  actor: UserActor,
  kind: JobKind,
  key: string | null,
  fingerprint: string,
  insert: (trx: Db, now: string) => Promise<string>,
): Promise<Submitted> => {
  try {
    const id = await store.db.transaction().execute((trx) => insert(trx, new Date().toISOString()));
    return { id, status: "queued", created: true };
  } catch (error) {
    // Two requests with one key at once: the unique index (user, key) let one through.
    const winner = key ? await jobWithKey(store, actor, kind, key, fingerprint) : undefined;
    if (winner) return winner;
    throw error;
  }
};

export interface ImportSubmission {
  actor: UserActor;
  bytes: Uint8Array;
  fileName: string | null;
  dryRun: boolean;
  upsertByCrmId: boolean;
  idempotencyKey: string | null;
  limits: Limits;
  /** A column mapping, or a preset by name (else a preset that fits the file's headers). */
  mapping?: ColumnMapping | null;
  preset?: string | null;
}

/** Import jobs are submitted through the API: their changes are audited as that route's. */
export const IMPORT_JOB_ORIGIN = httpOrigin("POST", "/api/imports");

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Queues an import. The file is read first, so a whole-file rejection (too large, too many
 * rows, a duplicated header…) throws `FileRejectedError` at once and nothing is written.
 * The import record is written with the job, so the history shows it straight away.
 */
export const submitImport = async (store: Store, input: ImportSubmission): Promise<Submitted> => {
  const { actor, idempotencyKey: key } = input;
  const fileName = input.fileName === null ? null : baseFileName(input.fileName) || null;
  const asked = { mapping: input.mapping ?? null, preset: input.preset ?? null };
  const fingerprint = requestFingerprint(
    "import",
    { dryRun: input.dryRun, upsertByCrmId: input.upsertByCrmId, fileName, ...asked },
    input.bytes,
  );
  const earlier = key ? await jobWithKey(store, actor, "import", key, fingerprint) : undefined;
  if (earlier) return earlier;
  // Hashing, reading and parsing a large upload are separate turns of the event loop: others'
  // requests are answered in between.
  await turn();
  const raw = await readUploadTable(input.bytes, input.limits);
  // Chosen once, here: the worker applies this very mapping even if the preset changes meanwhile.
  const mapping = await chooseMapping(store.db, actor, raw.csv.header, asked);
  await turn();
  const file = parseImportRows(
    openImportTable(raw.csv, raw.encoding, input.limits, mapping.mapping),
    input.limits,
  );
  const params: ImportJobParams = {
    dryRun: input.dryRun,
    upsertByCrmId: input.upsertByCrmId,
    fileName,
    mapping: mapping.mapping,
    preset: mapping.preset,
  };
  const request: ImportRequest = {
    actor,
    bytes: input.bytes,
    fileName,
    dryRun: input.dryRun,
    upsertByCrmId: input.upsertByCrmId,
    origin: IMPORT_JOB_ORIGIN,
    limits: input.limits,
  };
  return insertOnce(store, actor, "import", key, fingerprint, async (trx, now) => {
    const id = await insertJob(
      trx,
      {
        kind: "import",
        orgId: actor.orgId,
        userId: actor.userId,
        params: { ...params, [REQUEST_HASH]: fingerprint },
        total: file.rows.length,
        idempotencyKey: key,
        files: [
          {
            role: "input",
            name: fileName ?? (isXlsx(input.bytes) ? "upload.xlsx" : "upload.csv"),
            contentType: isXlsx(input.bytes) ? XLSX_TYPE : "text/csv",
            data: input.bytes,
          },
        ],
      },
      now,
    );
    await insertImportRecord(trx, { request, file, now, mapping }, id, "queued");
    return id;
  });
};

export interface ExportSubmission {
  actor: UserActor;
  filter: DealFilter;
  lang: Lang;
  format?: ExportFormat;
  idempotencyKey: string | null;
}

/** Queues an export of the deals the filter selects in the actor's scope. */
export const submitExport = async (store: Store, input: ExportSubmission): Promise<Submitted> => {
  const { actor, idempotencyKey: key } = input;
  const params: ExportJobParams = {
    filter: input.filter,
    lang: input.lang,
    format: input.format ?? "csv",
  };
  const fingerprint = requestFingerprint("export", { ...params });
  const earlier = key ? await jobWithKey(store, actor, "export", key, fingerprint) : undefined;
  if (earlier) return earlier;
  return insertOnce(store, actor, "export", key, fingerprint, (trx, now) =>
    insertJob(
      trx,
      {
        kind: "export",
        orgId: actor.orgId,
        userId: actor.userId,
        params: { ...params, [REQUEST_HASH]: fingerprint },
        idempotencyKey: key,
      },
      now,
    ),
  );
};

// ---------------------------------------------------------------------------------------
// Imports: follow, list, rows, results, cancel

const selectImports = (db: Db, actor: UserActor) =>
  db
    .selectFrom("imports as i")
    .leftJoin("jobs as j", "j.id", "i.id")
    .innerJoin("users as u", "u.id", "i.user_id")
    .where("i.org_id", "=", actor.orgId)
    .$if(actor.role !== "admin", (qb) => qb.where("i.user_id", "=", actor.userId))
    .select((eb) => [
      "i.id",
      "i.file_name",
      "i.dry_run",
      "i.status",
      "i.total",
      "i.created",
      "i.updated",
      "i.unchanged",
      "i.not_processed",
      "i.ignored_columns",
      "i.error_code",
      "i.error_message",
      "i.created_at",
      "i.finished_at",
      "u.email",
      "j.status as job_status",
      "j.progress_done as job_done",
      "j.progress_total as job_total",
      "j.started_at as job_started_at",
      "j.finished_at as job_finished_at",
      "j.error_code as job_error_code",
      "j.error_message as job_error_message",
      eb.case().when("i.results_csv", "is not", null).then(1).else(0).end().as("has_results"),
    ]);

type ImportRecord = Awaited<ReturnType<ReturnType<typeof selectImports>["execute"]>>[number];

const asJobStatus = (text: string): JobStatus => JOB_STATUSES.find((s) => s === text) ?? "failed";

const strings = (json: string): string[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
};

const failure = (code: string | null, message: string | null): JobFailure | null =>
  code || message ? { code: code ?? "internal", message: message ?? "" } : null;

const toImportJob = (r: ImportRecord): ImportJob => {
  const status = r.job_status ?? asJobStatus(r.status);
  const dryRun = r.dry_run === 1;
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
    summary:
      status === "succeeded"
        ? {
            dryRun,
            total: r.total,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            notProcessed: r.not_processed,
            ignoredColumns: strings(r.ignored_columns),
          }
        : null,
    resultsReady: toCount(r.has_results) === 1,
  };
};

const importRecord = async (store: Store, actor: UserActor, id: string): Promise<ImportRecord> => {
  const r = await selectImports(store.db, actor).where("i.id", "=", id).executeTakeFirst();
  if (!r) throw new RequestError("not_found", "No such import");
  return r;
};

export const getImportJob = async (
  store: Store,
  actor: UserActor,
  id: string,
): Promise<ImportJob> => toImportJob(await importRecord(store, actor, id));

export interface Page {
  limit: number;
  offset: number;
  /** Only dry runs (true) or only real imports (false). */
  dryRun?: boolean | undefined;
}

/** The import history, newest first. */
export const listImportJobs = async (
  store: Store,
  actor: UserActor,
  page: Page,
): Promise<{ items: ImportJob[]; total: number }> => {
  const dryRun = page.dryRun;
  const rows = await selectImports(store.db, actor)
    .$if(dryRun !== undefined, (qb) => qb.where("i.dry_run", "=", dryRun ? 1 : 0))
    .orderBy("i.created_at", "desc")
    .orderBy("i.id", "desc")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const counted = await store.db
    .selectFrom("imports")
    .where("org_id", "=", actor.orgId)
    .$if(actor.role !== "admin", (qb) => qb.where("user_id", "=", actor.userId))
    .$if(dryRun !== undefined, (qb) => qb.where("dry_run", "=", dryRun ? 1 : 0))
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirst();
  return { items: rows.map(toImportJob), total: toCount(counted?.n ?? 0) };
};

const RESULTS: readonly RowResult[] = ["Created", "Updated", "Unchanged", "Not processed"];

/** The per-row results recorded so far, in file order (a dry run's carry the field changes). */
export const listImportRows = async (
  store: Store,
  actor: UserActor,
  id: string,
): Promise<RowSummary[]> => {
  await importRecord(store, actor, id);
  const rows = await store.db
    .selectFrom("import_rows")
    .selectAll()
    .where("import_id", "=", id)
    .orderBy("row_no")
    .execute();
  return rows.map((r) => ({
    row: r.row_no,
    result: RESULTS.find((x) => x === r.result) ?? "Not processed",
    referralId: r.referral_id,
    engagementId: r.engagement_id,
    errors: parseStoredErrors(r.errors),
    changes: parseStoredChanges(r.changes),
  }));
};

const resultsName = (fileName: string | null): string => {
  const base = baseFileName(fileName ?? "")
    .replace(/\.[^.]*$/, "")
    .trim();
  return `${base || "import"}-results.csv`;
};

/**
 * The results file: the uploaded file with Errors and Import Result filled in. "Conflict"
 * until the import has finished; "not found" when it failed, was canceled, or its file was
 * removed after the retention period.
 */
export const importResultsFile = async (
  store: Store,
  actor: UserActor,
  id: string,
): Promise<DownloadFile> => {
  const job = toImportJob(await importRecord(store, actor, id));
  if (job.status === "queued" || job.status === "running") {
    throw new RequestError(
      "conflict",
      `The import is ${job.status === "queued" ? "waiting its turn" : "still running"}; its results file is ready when it ends`,
    );
  }
  if (job.status !== "succeeded") {
    throw new RequestError("not_found", `The import ${job.status}: it has no results file`);
  }
  const row = await store.db
    .selectFrom("imports")
    .select("results_csv")
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row?.results_csv) {
    throw new RequestError(
      "not_found",
      "The results file was removed after the retention period; import the file again (rows already applied come back Unchanged)",
    );
  }
  return {
    name: resultsName(job.fileName),
    contentType: "text/csv; charset=utf-8",
    data: row.results_csv,
  };
};

// ---------------------------------------------------------------------------------------
// Jobs by id (exports), and cancel

/** A job of this kind the actor may see; anything else is "not found". */
const visibleJob = async (
  store: Store,
  actor: UserActor,
  kind: JobKind,
  id: string,
): Promise<JobRow> => {
  const job = await getJob(store.db, actor.orgId, id);
  if (!job || job.kind !== kind || (actor.role !== "admin" && job.user_id !== actor.userId)) {
    throw new RequestError("not_found", `No such ${kind}`);
  }
  return job;
};

const exportResult = (json: string | null): ExportJobResult | null => {
  const r = parseJsonObject(json);
  const { count, leftOut, fileName } = r;
  if (typeof count !== "number" || typeof fileName !== "string") return null;
  return { count, leftOut: typeof leftOut === "number" ? leftOut : 0, fileName };
};

const toExportJob = (job: JobRow): ExportJob => ({
  id: job.id,
  kind: "export",
  status: job.status,
  progress: { processed: job.progress_done, total: job.progress_total },
  createdAt: job.created_at,
  startedAt: job.started_at,
  finishedAt: job.finished_at,
  error: failure(job.error_code, job.error_message),
  result: job.status === "succeeded" ? exportResult(job.result) : null,
});

export const getExportJob = async (
  store: Store,
  actor: UserActor,
  id: string,
): Promise<ExportJob> => toExportJob(await visibleJob(store, actor, "export", id));

/** The exported file: "conflict" until the export has finished, "not found" once removed. */
export const exportFile = async (
  store: Store,
  actor: UserActor,
  id: string,
): Promise<DownloadFile> => {
  const job = await visibleJob(store, actor, "export", id);
  if (job.status === "queued" || job.status === "running") {
    throw new RequestError("conflict", "The export is not ready yet; try again in a moment");
  }
  if (job.status !== "succeeded") {
    throw new RequestError("not_found", `The export ${job.status}: it has no file`);
  }
  const file = await getJobFile(store.db, id, "export");
  if (!file) {
    throw new RequestError(
      "not_found",
      "The exported file was removed after the retention period; export again",
    );
  }
  return { name: file.name, contentType: file.content_type, data: file.data };
};

/** Cancels a job that has not started yet; one that is running or has ended is a conflict. */
export const cancelJob = async (
  store: Store,
  actor: UserActor,
  kind: JobKind,
  id: string,
): Promise<void> => {
  // Also the scope check: a job the actor may not see is "not found".
  const statusNow = async (): Promise<JobStatus> =>
    kind === "import"
      ? (await getImportJob(store, actor, id)).status
      : (await visibleJob(store, actor, kind, id)).status;
  const before = await statusNow();
  const canceled =
    before === "queued" &&
    (await store.db.transaction().execute(async (trx) => {
      if (!(await cancelQueuedJob(trx, actor.orgId, id))) return false;
      // The import record mirrors its job, for the history.
      await trx
        .updateTable("imports")
        .set({ status: "canceled", finished_at: new Date().toISOString() })
        .where("id", "=", id)
        .execute();
      return true;
    }));
  if (!canceled) {
    const status = before === "queued" ? await statusNow() : before;
    throw new RequestError(
      "conflict",
      `The ${kind} has ${status === "running" ? "already started" : `already ended (${status})`}; only a queued ${kind} can be canceled`,
    );
  }
};
