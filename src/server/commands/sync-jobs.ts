/**
 * Syncs as background jobs: on demand (an admin's "Sync now"), on the schedule
 * (`COSELL_SYNC_MS`) and from webhooks; their progress, and the history of runs.
 * A connection never has two sync jobs waiting: a new request joins the one queued.
 */
import { RequestError } from "../../core/errors.js";
import { isRecord } from "../../core/json.js";
import type { Store } from "../db/store.js";
import { insertJob } from "../db/jobs-repo.js";
import type { UserActor } from "../../core/actor.js";
import { connectionForAdmin } from "./connections.js";

export interface SyncJobView {
  id: string;
  connectionId: string;
  status: string;
  progress: { done: number; total: number };
  result: unknown;
  error: { code: string; message: string } | null;
  createdAt: string;
  finishedAt: string | null;
}

async function queuedSync(store: Store, connectionId: string): Promise<string | null> {
  const rows = await store.db
    .selectFrom("jobs")
    .select(["id", "params"])
    .where("kind", "=", "sync")
    .where("status", "=", "queued")
    .execute();
  for (const r of rows) {
    const p: unknown = JSON.parse(r.params);
    if (isRecord(p) && p.connectionId === connectionId && !Array.isArray(p.referralIds))
      return r.id;
  }
  return null;
}

async function enqueue(
  store: Store,
  input: { orgId: string; userId: string; connectionId: string; referralIds?: string[] },
): Promise<string> {
  if (!input.referralIds) {
    const waiting = await queuedSync(store, input.connectionId);
    if (waiting) return waiting;
  }
  return store.db.transaction().execute((trx) =>
    insertJob(trx, {
      kind: "sync",
      orgId: input.orgId,
      userId: input.userId,
      params: { connectionId: input.connectionId, referralIds: input.referralIds ?? null },
    }),
  );
}

/** "Sync now": a Referrals admin queues a sync of one of their organisation's connections. */
export async function submitSync(
  store: Store,
  actor: UserActor,
  connectionId: string,
): Promise<string> {
  const connection = await connectionForAdmin(store, actor, connectionId);
  return enqueue(store, { orgId: connection.orgId, userId: actor.userId, connectionId });
}

/** Who a job the system starts runs as: the organisation's first active Referrals admin. */
async function orgAdminId(store: Store, orgId: string): Promise<string | null> {
  const row = await store.db
    .selectFrom("users")
    .select("id")
    .where("org_id", "=", orgId)
    .where("role", "=", "admin")
    .where("active", "=", 1)
    .orderBy("created_at")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The schedule: a sync job for every connection that has none waiting. */
export async function enqueueScheduledSyncs(store: Store): Promise<number> {
  const connections = await store.db.selectFrom("connections").select(["id", "org_id"]).execute();
  let queued = 0;
  for (const c of connections) {
    const userId = await orgAdminId(store, c.org_id);
    if (!userId) continue;
    await enqueue(store, { orgId: c.org_id, userId, connectionId: c.id });
    queued++;
  }
  return queued;
}

/** A webhook's event: a sync of that referral only. */
export async function enqueueReferralSync(
  store: Store,
  connectionId: string,
  referralId: string,
): Promise<string> {
  const c = await store.db
    .selectFrom("connections")
    .select(["id", "org_id"])
    .where("id", "=", connectionId)
    .executeTakeFirst();
  if (!c) throw new RequestError("not_found", "No such connection");
  const userId = await orgAdminId(store, c.org_id);
  if (!userId)
    throw new RequestError("forbidden", "The organisation has no active Referrals admin");
  return enqueue(store, { orgId: c.org_id, userId, connectionId, referralIds: [referralId] });
}

export async function getSyncJob(store: Store, actor: UserActor, id: string): Promise<SyncJobView> {
  const row = await store.db
    .selectFrom("jobs")
    .selectAll()
    .where("id", "=", id)
    .where("kind", "=", "sync")
    .where("org_id", "=", actor.orgId)
    .executeTakeFirst();
  if (!row || actor.role !== "admin") throw new RequestError("not_found", `No sync job '${id}'`);
  const p: unknown = JSON.parse(row.params);
  return {
    id: row.id,
    connectionId: isRecord(p) && typeof p.connectionId === "string" ? p.connectionId : "",
    status: row.status,
    progress: { done: row.progress_done, total: row.progress_total },
    result: row.result ? JSON.parse(row.result) : null,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? "" } : null,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

export interface SyncRunView {
  id: string;
  jobId: string | null;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  result: unknown;
}

/** The history of a connection's syncs, newest first. */
export async function listSyncRuns(
  store: Store,
  actor: UserActor,
  connectionId: string,
  limit = 20,
): Promise<SyncRunView[]> {
  await connectionForAdmin(store, actor, connectionId);
  const rows = await store.db
    .selectFrom("sync_runs")
    .selectAll()
    .where("connection_id", "=", connectionId)
    .orderBy("started_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    jobId: r.job_id,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    result: r.result ? JSON.parse(r.result) : null,
  }));
}
