/**
 * Jobs as rows: submit (idempotent), claim with a lease, heartbeat, finish, fail, hand
 * back, reap. Every status write names the statuses it may come from (`jobSourcesOf`), so
 * the transition table in core is enforced by the database itself.
 */
import { randomUUID } from "node:crypto";
import { boundJobError, type JobKind, type JobStatus, jobSourcesOf } from "../../core/jobs.js";
import { type Db, inTransaction } from "./db.js";
import { moveImportStatus } from "./imports-repo.js";
import type { JobFileRole, JobRow } from "./schema.js";
import type { Store } from "./store.js";

export interface NewJob {
  kind: JobKind;
  orgId: string;
  userId: string;
  params: unknown;
  total?: number;
  idempotencyKey?: string | null;
  files?: { role: JobFileRole; name: string; contentType: string; data: Uint8Array }[];
}

/** Inserts a queued job (and its input files) in the caller's transaction. */
export const insertJob = async (
  trx: Db,
  job: NewJob,
  now = new Date().toISOString(),
): Promise<string> => {
  const id = randomUUID();
  await trx
    .insertInto("jobs")
    .values({
      id,
      kind: job.kind,
      org_id: job.orgId,
      user_id: job.userId,
      status: "queued",
      params: JSON.stringify(job.params),
      progress_total: job.total ?? 0,
      result: null,
      error_code: null,
      error_message: null,
      idempotency_key: job.idempotencyKey ?? null,
      lease_owner: null,
      lease_expires_at: null,
      created_at: now,
      started_at: null,
      finished_at: null,
    })
    .execute();
  for (const f of job.files ?? []) {
    await putJobFile(trx, id, f.role, f.name, f.contentType, f.data, now);
  }
  return id;
};

export const findJobByIdempotencyKey = (db: Db, userId: string, key: string) =>
  db
    .selectFrom("jobs")
    .selectAll()
    .where("user_id", "=", userId)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();

export const putJobFile = async (
  db: Db,
  jobId: string,
  role: JobFileRole,
  name: string,
  contentType: string,
  data: Uint8Array,
  now = new Date().toISOString(),
): Promise<void> => {
  await db
    .insertInto("job_files")
    .values({ job_id: jobId, role, name, content_type: contentType, data, created_at: now })
    .onConflict((oc) => oc.columns(["job_id", "role"]).doUpdateSet({ data, name, created_at: now }))
    .execute();
};

/** SQLite (libsql) hands a blob back as an ArrayBuffer, PostgreSQL a bytea as a Buffer. */
const asBytes = (data: unknown): Uint8Array => {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError("A job file's data is not bytes");
};

export const getJobFile = async (db: Db, jobId: string, role: JobFileRole) => {
  const file = await db
    .selectFrom("job_files")
    .selectAll()
    .where("job_id", "=", jobId)
    .where("role", "=", role)
    .executeTakeFirst();
  return file && { ...file, data: asBytes(file.data) };
};

/** A job of this organisation (jobs of others are simply not found). */
export const getJob = (db: Db, orgId: string, id: string): Promise<JobRow | undefined> =>
  db
    .selectFrom("jobs")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst();

/** A job by its id alone: for the worker's and the reaper's own work, never a request's (not scoped). */
export const jobById = (db: Db, id: string): Promise<JobRow | undefined> =>
  db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();

const leaseUntil = (leaseMs: number) => new Date(Date.now() + leaseMs).toISOString();

/** Takes the oldest queued job, if any, under a lease held by `owner`. */
export const claimJob = async (
  store: Store,
  owner: string,
  leaseMs: number,
): Promise<JobRow | undefined> => {
  const now = new Date().toISOString();
  return store.db.transaction().execute(async (trx) => {
    let next = trx
      .selectFrom("jobs")
      .select("id")
      .where("status", "in", jobSourcesOf("running"))
      .orderBy("created_at")
      .limit(1);
    // Several workers on PostgreSQL must never take the same job; SQLite has one writer anyway.
    if (store.dialect === "postgres") next = next.forUpdate().skipLocked();
    const candidate = await next.executeTakeFirst();
    if (!candidate) return undefined;
    const claimed = await trx
      .updateTable("jobs")
      .set((eb) => ({
        status: "running",
        lease_owner: owner,
        lease_expires_at: leaseUntil(leaseMs),
        attempts: eb("attempts", "+", 1),
        // What the reaper compares with, should this attempt's worker die.
        claimed_done: eb.ref("progress_done"),
        started_at: eb.fn.coalesce("started_at", eb.val(now)),
      }))
      .where("id", "=", candidate.id)
      .where("status", "in", jobSourcesOf("running"))
      .returningAll()
      .executeTakeFirst();
    // An import record follows its job from the claim on, so that a worker dying before it
    // has done anything still leaves the two in step for the reaper to move (or give up).
    if (claimed) await moveImportStatus(trx, claimed.id, "running");
    return claimed;
  });
};

export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Job ${jobId} is no longer ours (its lease expired and it was taken back)`);
    this.name = "LeaseLostError";
  }
}

/** Records progress and extends the lease; throws `LeaseLostError` if another worker has the job now. */
export const heartbeat = async (
  db: Db,
  jobId: string,
  owner: string,
  leaseMs: number,
  progress?: { done: number; total: number },
): Promise<void> => {
  const result = await db
    .updateTable("jobs")
    .set({
      lease_expires_at: leaseUntil(leaseMs),
      ...(progress ? { progress_done: progress.done, progress_total: progress.total } : {}),
    })
    .where("id", "=", jobId)
    .where("lease_owner", "=", owner)
    .where("status", "=", "running")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new LeaseLostError(jobId);
};

/** Moves a job this worker holds to a final or queued status, through the transition table. */
export const settleJob = async (
  db: Db,
  jobId: string,
  owner: string,
  to: Exclude<JobStatus, "running">,
  outcome: { result?: unknown; errorCode?: string; errorMessage?: string } = {},
): Promise<boolean> => {
  const done = to !== "queued";
  const result = await db
    .updateTable("jobs")
    .set({
      status: to,
      lease_owner: null,
      lease_expires_at: null,
      ...(outcome.result !== undefined ? { result: JSON.stringify(outcome.result) } : {}),
      ...(outcome.errorCode ? { error_code: outcome.errorCode } : {}),
      ...(outcome.errorMessage ? { error_message: boundJobError(outcome.errorMessage) } : {}),
      ...(done ? { finished_at: new Date().toISOString() } : {}),
    })
    .where("id", "=", jobId)
    .where("lease_owner", "=", owner)
    .where("status", "in", jobSourcesOf(to))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
};

/** Cancels a job that has not started yet. */
export const cancelQueuedJob = async (db: Db, orgId: string, jobId: string): Promise<boolean> => {
  const result = await db
    .updateTable("jobs")
    .set({ status: "canceled", finished_at: new Date().toISOString() })
    .where("id", "=", jobId)
    .where("org_id", "=", orgId)
    .where("status", "=", "queued")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
};

/**
 * Jobs whose worker died (lease expired) go back to the queue to be resumed. A job whose
 * workers keep dying is given up on (failed) after `maxAttempts` attempts in a row that made no
 * progress — committed nothing between their claim and their death — so a job that crashes its
 * worker cannot loop forever, and one that moves on at every attempt is never abandoned.
 * `givenUp` runs in the same transaction for each job given up on (an import's results file).
 */
export const reapStuckJobs = (
  db: Db,
  maxAttempts: number,
  givenUp: (trx: Db, job: { id: string; kind: JobKind }) => Promise<void> = async () => {},
): Promise<{ requeued: number; failed: number }> =>
  inTransaction(db, async (trx) => {
    const now = new Date().toISOString();
    const failed = await trx
      .updateTable("jobs")
      .set({
        status: "failed",
        lease_owner: null,
        lease_expires_at: null,
        error_code: "gave_up",
        error_message: gaveUp(maxAttempts),
        finished_at: now,
      })
      .where("status", "=", "running")
      .where("lease_expires_at", "<", now)
      .where((eb) => eb("progress_done", "<=", eb.ref("claimed_done")))
      .where("stalled_attempts", ">=", maxAttempts - 1)
      .returning(["id", "kind"])
      .execute();
    const requeued = await trx
      .updateTable("jobs")
      .set((eb) => ({
        status: "queued",
        lease_owner: null,
        lease_expires_at: null,
        stalled_attempts: eb
          .case()
          .when("progress_done", ">", eb.ref("claimed_done"))
          .then(0)
          .else(eb("stalled_attempts", "+", 1))
          .end(),
      }))
      .where("status", "in", jobSourcesOf("queued"))
      .where("lease_expires_at", "<", now)
      .returning("id")
      .execute();
    // Their import records follow them, through the same table.
    for (const job of failed) {
      await moveImportStatus(trx, job.id, "failed", {
        code: "gave_up",
        message: gaveUp(maxAttempts),
      });
      await givenUp(trx, job);
    }
    for (const { id } of requeued) await moveImportStatus(trx, id, "queued");
    return { requeued: requeued.length, failed: failed.length };
  });

const gaveUp = (maxAttempts: number): string =>
  `Stopped after ${maxAttempts} attempts in a row that made no progress: its worker kept stopping before it got any further`;

/** Removes job files (and import results files) older than the retention. */
export const removeOldFiles = async (db: Db, retentionMs: number): Promise<number> => {
  const cutoff = new Date(Date.now() - retentionMs).toISOString();
  const removed = await db
    .deleteFrom("job_files")
    .where("created_at", "<", cutoff)
    .executeTakeFirst();
  await db
    .updateTable("imports")
    .set({ results_csv: null })
    .where("finished_at", "<", cutoff)
    .where("results_csv", "is not", null)
    .execute();
  await db
    .deleteFrom("import_result_parts")
    .where("import_id", "in", (eb) =>
      eb.selectFrom("imports").select("id").where("finished_at", "<", cutoff),
    )
    .execute();
  return Number(removed.numDeletedRows);
};
