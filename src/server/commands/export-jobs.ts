/**
 * Export jobs as people and scripts see them: follow one, download its file. A Referrals
 * user sees only their own (an admin's export may hold deals outside the user's scope);
 * another organisation's job is simply "not found".
 */
import type { UserActor } from "../../core/actor.js";
import type { ExportJobJson } from "../../core/api/job-schemas.js";
import { RequestError } from "../../core/errors.js";
import { JOB } from "../../core/messages/jobs.js";
import { parseJsonObject } from "../../core/json.js";
import type { JobKind } from "../../core/jobs.js";
import { getJob, getJobFile } from "../db/jobs-repo.js";
import type { JobRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { type DownloadFile, failure } from "./job-view.js";

/** An export as the API shows it, before its links. */
export type ExportJob = Omit<ExportJobJson, "links">;

/** A job of this kind the actor may see; anything else is "not found". */
export async function visibleJob(
  store: Store,
  actor: UserActor,
  kind: JobKind,
  id: string,
): Promise<JobRow> {
  const job = await getJob(store.db, actor.orgId, id);
  if (!job || job.kind !== kind || (actor.role !== "admin" && job.user_id !== actor.userId)) {
    throw new RequestError("not_found", JOB.noSuch(kind));
  }
  return job;
}

const exportResult = (json: string | null): ExportJob["result"] => {
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

export async function getExportJob(store: Store, actor: UserActor, id: string): Promise<ExportJob> {
  return toExportJob(await visibleJob(store, actor, "export", id));
}

/** The exported file: "conflict" until the export has finished, "not found" once removed. */
export async function exportFile(
  store: Store,
  actor: UserActor,
  id: string,
): Promise<DownloadFile> {
  const job = await visibleJob(store, actor, "export", id);
  if (job.status === "queued" || job.status === "running") {
    throw new RequestError("conflict", JOB.exportNotReady);
  }
  if (job.status !== "succeeded") {
    throw new RequestError("not_found", JOB.exportHasNoFile(job.status));
  }
  const file = await getJobFile(store.db, id, "export");
  if (!file) {
    throw new RequestError("not_found", JOB.exportRemoved);
  }
  return { name: file.name, contentType: file.content_type, data: file.data };
}
