/**
 * The import history: one `imports` row per import (CLI or job), its rows' results in
 * `import_rows`, and its results file. Every query on those two tables is here, so the
 * commands that drive an import never hold SQL. An import that runs as a job takes its
 * status from the job (`selectImports` joins it); status writes name the statuses they may
 * come from, as the job's do.
 */
import { createHash } from "node:crypto";
import type { UserActor } from "../../core/actor.js";
import { ENDED_EARLY, type JobStatus, jobSourcesOf } from "../../core/jobs.js";
import type { CellCorrection } from "../../core/import/corrections.js";
import {
  countsOf,
  type ImportCounts,
  parseRowResult,
  type RowSummary,
} from "../../core/import/row-summary.js";
import { insertMany } from "./bulk-write.js";
import { toCount } from "./count.js";
import type { Db } from "./db.js";
import { parseStoredChanges, parseStoredErrors } from "./stored-rows.js";

/** An import as first recorded, before any of its rows. */
export interface NewImportRecord {
  id: string;
  orgId: string;
  userId: string;
  fileName: string | null;
  /** The file's SHA-256, hex (`fileHashOf`). */
  fileHash: string;
  dryRun: boolean;
  upsertByCrmId: boolean;
  /** The column mapping the file was read with, when there was one. */
  mapping: { mapping: Readonly<Record<string, string | null>>; preset: string | null } | null;
  /** Cells corrected in the browser before the upload. */
  corrections: readonly CellCorrection[];
  total: number;
  ignoredColumns: readonly string[];
  status: "queued" | "running";
  now: string;
}

/** What an import record keeps of its file: its SHA-256, hex. */
export function fileHashOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const HASH_SLICE = 4 * 1024 * 1024;

/**
 * `fileHashOf`, a few MB at a time with a turn of the event loop in between: hashing a 55 MB
 * upload in one go would hold a server's other requests for a tenth of a second.
 */
export async function fileHashInTurns(bytes: Uint8Array): Promise<string> {
  if (bytes.length <= HASH_SLICE) return fileHashOf(bytes);
  const hash = createHash("sha256");
  for (let at = 0; at < bytes.length; at += HASH_SLICE) {
    hash.update(bytes.subarray(at, at + HASH_SLICE));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return hash.digest("hex");
}

/** Records an import (once: a second insert of the same id does nothing). */
export async function insertImportRecord(db: Db, record: NewImportRecord): Promise<void> {
  await db
    .insertInto("imports")
    .values({
      id: record.id,
      org_id: record.orgId,
      user_id: record.userId,
      file_name: record.fileName,
      file_hash: record.fileHash,
      dry_run: record.dryRun ? 1 : 0,
      status: record.status,
      options: JSON.stringify({
        upsertByCrmId: record.upsertByCrmId,
        ...(record.mapping
          ? { mapping: record.mapping.mapping, preset: record.mapping.preset }
          : {}),
        ...(record.corrections.length > 0 ? { corrected: record.corrections } : {}),
      }),
      total: record.total,
      ignored_columns: JSON.stringify(record.ignoredColumns),
      results_csv: null,
      error_code: null,
      error_message: null,
      created_at: record.now,
      finished_at: null,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** Records rows' results against the import (a second recording of a row is refused by its key). */
export function recordImportRows(
  trx: Db,
  importId: string,
  rows: readonly RowSummary[],
): Promise<void> {
  return insertMany(
    trx,
    "import_rows",
    ["import_id", "row_no", "result", "referral_id", "engagement_id", "errors", "changes"],
    rows.map((r) => ({
      import_id: importId,
      row_no: r.row,
      result: r.result,
      referral_id: r.referralId,
      engagement_id: r.engagementId,
      errors: JSON.stringify(r.errors),
      changes: JSON.stringify(r.changes),
    })),
  );
}

/** The rows' results recorded against an import, in row order (only rows `first`–`last`, if given). */
export async function recordedImportRows(
  db: Db,
  importId: string,
  range?: { first: number; last: number },
): Promise<RowSummary[]> {
  const recorded = await db
    .selectFrom("import_rows")
    .selectAll()
    .where("import_id", "=", importId)
    .$if(range !== undefined, (qb) =>
      qb.where("row_no", ">=", range?.first ?? 0).where("row_no", "<=", range?.last ?? 0),
    )
    .orderBy("row_no")
    .execute();
  return recorded.map(
    (r): RowSummary => ({
      row: r.row_no,
      result: parseRowResult(r.result),
      referralId: r.referral_id,
      engagementId: r.engagement_id,
      errors: parseStoredErrors(r.errors),
      changes: parseStoredChanges(r.changes),
    }),
  );
}

/** How many rows an import recorded, by result: a streamed import's totals, counted by the database. */
export async function countImportRows(db: Db, importId: string): Promise<ImportCounts> {
  const rows = await db
    .selectFrom("import_rows")
    .select((eb) => ["result", eb.fn.countAll().as("n")])
    .where("import_id", "=", importId)
    .groupBy("result")
    .execute();
  return countsOf(rows.map((r) => ({ result: parseRowResult(r.result), n: toCount(r.n) })));
}

/** The numbers of the rows already recorded: what a resumed job skips. */
export async function recordedRowNumbers(db: Db, importId: string): Promise<Set<number>> {
  const rows = await db
    .selectFrom("import_rows")
    .select("row_no")
    .where("import_id", "=", importId)
    .execute();
  return new Set(rows.map((r) => r.row_no));
}

/**
 * Moves an import's status, from only the statuses the job transition table allows, so the
 * record can never leave a final status nor disagree with the path its job took.
 */
export async function moveImportStatus(
  db: Db,
  importId: string,
  to: JobStatus,
  failure: { code: string; message: string } | null = null,
): Promise<void> {
  const finished = to !== "queued" && to !== "running";
  await db
    .updateTable("imports")
    .set({
      status: to,
      ...(failure ? { error_code: failure.code, error_message: failure.message } : {}),
      ...(finished ? { finished_at: new Date().toISOString() } : {}),
    })
    .where("id", "=", importId)
    .where("status", "in", jobSourcesOf(to))
    .execute();
}

/**
 * Stores parts of a streamed import's results file, numbered from `from` (0: the header);
 * `clearResultParts` first, for a job that writes them again after a crash.
 */
export async function putResultParts(
  db: Db,
  importId: string,
  from: number,
  parts: readonly string[],
): Promise<void> {
  if (parts.length === 0) return;
  await db
    .insertInto("import_result_parts")
    .values(parts.map((csv, i) => ({ import_id: importId, part: from + i, csv })))
    .execute();
}

/** Removes whatever parts of a results file an earlier attempt stored. */
export async function clearResultParts(db: Db, importId: string): Promise<void> {
  await db.deleteFrom("import_result_parts").where("import_id", "=", importId).execute();
}

/**
 * The import record's totals and results file (null: stored in parts, `putResultParts`): with
 * `succeeded`, and that it succeeded; with `stopped`, of an import that ended early (failed,
 * given up on, canceled), whose status its job's transition already moved.
 */
export async function recordImportSummary(
  trx: Db,
  importId: string,
  summary: ImportCounts & { resultsCsv: string | null },
  end: "succeeded" | "stopped" = "succeeded",
): Promise<void> {
  const succeeded = end === "succeeded";
  await trx
    .updateTable("imports")
    .set({
      ...(succeeded ? { status: "succeeded", finished_at: new Date().toISOString() } : {}),
      total: summary.total,
      created: summary.created,
      updated: summary.updated,
      unchanged: summary.unchanged,
      not_processed: summary.notProcessed,
      results_csv: summary.resultsCsv,
    })
    .where("id", "=", importId)
    .where("status", "in", succeeded ? jobSourcesOf("succeeded") : ENDED_EARLY)
    .execute();
}

/** Imports of the actor's organisation they may see (an admin: all; a user: their own). */
function selectImports(db: Db, actor: UserActor) {
  return db
    .selectFrom("imports as i")
    .leftJoin("jobs as j", "j.id", "i.id")
    .innerJoin("users as u", "u.id", "i.user_id")
    .leftJoin("import_undos as un", "un.import_id", "i.id")
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
      "i.options",
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
      "un.created_at as undone_at",
      eb
        .case()
        .when(
          eb.or([
            eb("i.results_csv", "is not", null),
            eb.exists(
              eb
                .selectFrom("import_result_parts as p")
                .select("p.part")
                .whereRef("p.import_id", "=", "i.id"),
            ),
          ]),
        )
        .then(1)
        .else(0)
        .end()
        .as("has_results"),
    ]);
}

/** An import record with its job's status and progress, as the history shows it. */
export type ImportRecord = Awaited<ReturnType<ReturnType<typeof selectImports>["execute"]>>[number];

/** One import the actor may see, if any. */
export function findImportRecord(
  db: Db,
  actor: UserActor,
  id: string,
): Promise<ImportRecord | undefined> {
  return selectImports(db, actor).where("i.id", "=", id).executeTakeFirst();
}

export interface ImportPage {
  limit: number;
  offset: number;
  /** Only dry runs (true) or only real imports (false). */
  dryRun?: boolean | undefined;
}

/** A page of the import history, newest first, and how many there are in all. */
export async function listImportRecords(
  db: Db,
  actor: UserActor,
  page: ImportPage,
): Promise<{ items: ImportRecord[]; total: number }> {
  const dryRun = page.dryRun;
  const items = await selectImports(db, actor)
    .$if(dryRun !== undefined, (qb) => qb.where("i.dry_run", "=", dryRun ? 1 : 0))
    .orderBy("i.created_at", "desc")
    .orderBy("i.id", "desc")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const counted = await db
    .selectFrom("imports")
    .where("org_id", "=", actor.orgId)
    .$if(actor.role !== "admin", (qb) => qb.where("user_id", "=", actor.userId))
    .$if(dryRun !== undefined, (qb) => qb.where("dry_run", "=", dryRun ? 1 : 0))
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirst();
  return { items, total: toCount(counted?.n ?? 0) };
}

/**
 * The stored results file, piece by piece (one piece, or a streamed import's parts read a few
 * at a time, so serving it never holds it whole), or null once removed after the retention
 * period.
 */
export async function importResultsCsv(db: Db, id: string): Promise<AsyncIterable<string> | null> {
  const row = await db
    .selectFrom("imports")
    .select("results_csv")
    .where("id", "=", id)
    .executeTakeFirst();
  const whole = row?.results_csv;
  if (whole != null)
    return (async function* () {
      yield whole;
    })();
  const first = await db
    .selectFrom("import_result_parts")
    .select("part")
    .where("import_id", "=", id)
    .where("part", "=", 0)
    .executeTakeFirst();
  return first ? resultParts(db, id) : null;
}

const PARTS_PER_READ = 8;

async function* resultParts(db: Db, id: string): AsyncGenerator<string, void, undefined> {
  for (let from = 0; ; from += PARTS_PER_READ) {
    const parts = await db
      .selectFrom("import_result_parts")
      .select("csv")
      .where("import_id", "=", id)
      .where("part", ">=", from)
      .where("part", "<", from + PARTS_PER_READ)
      .orderBy("part")
      .execute();
    for (const p of parts) yield p.csv;
    if (parts.length < PARTS_PER_READ) return;
  }
}
