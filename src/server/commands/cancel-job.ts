/**
 * Cancelling a job that has not started yet, import or export; the import record is moved
 * in the same transaction, through the same transition table, so the two agree. A queued
 * import may have run in part (handed back at a shutdown, or requeued after its worker died):
 * its record and results file then say which rows were applied (`recordStoppedImport`).
 */
import type { UserActor } from "../../core/actor.js";
import { RequestError } from "../../core/errors.js";
import { JOB } from "../../core/messages/jobs.js";
import type { JobKind, JobStatus } from "../../core/jobs.js";
import type { Limits } from "../../core/limits.js";
import { moveImportStatus } from "../db/imports-repo.js";
import { cancelQueuedJob } from "../db/jobs-repo.js";
import type { Store } from "../db/store.js";
import { visibleJob } from "./export-jobs.js";
import { getImportJob } from "./import-jobs.js";
import { recordStoppedImport } from "./import-stopped.js";

/** Cancels a job that has not started yet; one that is running or has ended is a conflict. */
export async function cancelJob(
  store: Store,
  actor: UserActor,
  kind: JobKind,
  id: string,
  limits: Limits,
): Promise<void> {
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
      if (kind === "import") {
        await moveImportStatus(trx, id, "canceled");
        await recordStoppedImport(trx, id, limits);
      }
      return true;
    }));
  if (!canceled) {
    const status = before === "queued" ? await statusNow() : before;
    throw new RequestError("conflict", JOB.notQueued(kind, status));
  }
}
