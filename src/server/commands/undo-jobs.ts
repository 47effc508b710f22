/**
 * Undos as background jobs: submitted through the API (checked first, so a refusal — not
 * yours, a dry run, past the window, already undone — is an answer, not a failed job),
 * followed like any job, and the history of applied undos (`import_undos`) with what each
 * did deal by deal. Scope as for imports: a Referrals admin sees the organisation's, a
 * Referrals user their own.
 */
import type { UserActor } from "../../core/actor.js";
import type { UndoJobJson, UndoRecordJson } from "../../core/api/job-schemas.js";
import { RequestError } from "../../core/errors.js";
import { parseUndoParams, type UndoJobParams } from "../../core/job-params.js";
import { toCount } from "../db/count.js";
import { insertJob } from "../db/jobs-repo.js";
import type { JobRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { visibleJob } from "./export-jobs.js";
import type { Submitted } from "./job-submit.js";
import { failure } from "./job-view.js";
import { checkUndoable, parseUndoReport, parseUndoSummary, undoTotal } from "./undo-import.js";

export type UndoJob = Omit<UndoJobJson, "links">;

export interface UndoSubmission {
  actor: UserActor;
  importId: string;
  dryRun: boolean;
  undoDays: number;
}

/** A real undo of this import waiting or running: a second one would only fail. */
async function pendingUndo(store: Store, orgId: string, importId: string): Promise<string | null> {
  const jobs = await store.db
    .selectFrom("jobs")
    .select(["id", "params"])
    .where("org_id", "=", orgId)
    .where("kind", "=", "undo")
    .where("status", "in", ["queued", "running"])
    .execute();
  const pending = jobs.find((j) => {
    const p = parseUndoParams(j.params);
    return p.importId === importId && !p.dryRun;
  });
  return pending?.id ?? null;
}

/** Queues an undo (or its dry run) of an import the actor may undo. */
export async function submitUndo(store: Store, input: UndoSubmission): Promise<Submitted> {
  const { actor, importId, dryRun, undoDays } = input;
  await checkUndoable(store, actor, importId, undoDays, new Date());
  if (!dryRun) {
    const pending = await pendingUndo(store, actor.orgId, importId);
    if (pending) {
      throw new RequestError(
        "conflict",
        `Import ${importId} is being undone already (job ${pending}); an import is undone once`,
      );
    }
  }
  const params: UndoJobParams = { importId, dryRun, undoDays };
  const total = await undoTotal(store, importId);
  const id = await store.db
    .transaction()
    .execute((trx) =>
      insertJob(trx, { kind: "undo", orgId: actor.orgId, userId: actor.userId, params, total }),
    );
  return { id, status: "queued", created: true };
}

const toUndoJob = (job: JobRow): UndoJob => {
  const params = parseUndoParams(job.params);
  return {
    id: job.id,
    kind: "undo",
    status: job.status,
    progress: { processed: job.progress_done, total: job.progress_total },
    undoOf: params.importId,
    dryRun: params.dryRun,
    createdAt: job.created_at,
    startedAt: job.started_at,
    finishedAt: job.finished_at,
    error: failure(job.error_code, job.error_message),
    result: job.status === "succeeded" ? parseUndoSummary(job.result) : null,
  };
};

export async function getUndoJob(store: Store, actor: UserActor, id: string): Promise<UndoJob> {
  return toUndoJob(await visibleJob(store, actor, "undo", id));
}

/** The applied undos, newest first, each with what it did deal by deal. */
export async function listUndos(
  store: Store,
  actor: UserActor,
  page: { limit: number; offset: number; importId?: string | undefined },
): Promise<{ items: UndoRecordJson[]; total: number }> {
  const scoped = store.db
    .selectFrom("import_undos as un")
    .where("un.org_id", "=", actor.orgId)
    .$if(actor.role !== "admin", (qb) => qb.where("un.user_id", "=", actor.userId))
    .$if(page.importId !== undefined, (qb) => qb.where("un.import_id", "=", page.importId ?? ""));
  const rows = await scoped
    .innerJoin("users as u", "u.id", "un.user_id")
    .select([
      "un.import_id",
      "un.job_id",
      "un.undone",
      "un.skipped",
      "un.report",
      "un.created_at",
      "u.email",
    ])
    .orderBy("un.created_at", "desc")
    .orderBy("un.import_id", "desc")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const counted = await scoped.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst();
  return {
    items: rows.map((r) => {
      const report = parseUndoReport(r.report);
      return {
        undoOf: r.import_id,
        importId: report.importId,
        jobId: r.job_id,
        undoneBy: r.email,
        createdAt: r.created_at,
        undone: r.undone,
        notUndone: r.skipped,
        rows: report.rows,
      };
    }),
    total: toCount(counted?.n ?? 0),
  };
}
