/**
 * Syncs as background jobs: on demand (an admin's "Sync now"), on the schedule
 * (`COSELL_SYNC_MS`) and from webhooks; their progress, and the history of runs.
 * A connection never has two sync jobs waiting: a new request joins the one queued.
 */
import { Value } from "typebox/value";
import type { UserActor } from "../../core/actor.js";
import {
  type SyncJobJson,
  SyncResultSchema,
  type SyncResultJson,
} from "../../core/api/sync-schemas.js";
import { RequestError } from "../../core/errors.js";
import { parseSyncParams } from "../../core/job-params.js";
import { isRecord } from "../../core/json.js";
import { insertJob } from "../db/jobs-repo.js";
import type { JobRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { connectionForAdmin } from "./connections.js";

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

/** The deals a stored result names by id, by name as they are now (for a person to read). */
async function withDealNames(
  store: Store,
  orgId: string,
  result: unknown,
): Promise<SyncResultJson | null> {
  if (!Value.Check(SyncResultSchema, result)) return null;
  const ids = [
    ...new Set(
      [...result.conflicts.map((c) => c.deal), ...result.errors.map((e) => e.deal)].filter(
        (id): id is string => id !== null,
      ),
    ),
  ];
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await store.db
      .selectFrom("deals")
      .select(["id", "name"])
      .where("org_id", "=", orgId)
      .where("id", "in", ids.slice(i, i + 500))
      .execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  return {
    ...result,
    conflicts: result.conflicts.map((c) => ({ ...c, dealName: nameOf(c.deal) })),
    errors: result.errors.map((e) => ({ ...e, dealName: nameOf(e.deal) })),
  };
}

async function syncJobView(store: Store, row: JobRow): Promise<SyncJobJson> {
  const params = parseSyncParams(row.params);
  return {
    id: row.id,
    connectionId: params.connectionId,
    status: row.status,
    referrals: params.referralIds,
    progress: { done: row.progress_done, total: row.progress_total },
    result: row.result ? await withDealNames(store, row.org_id, JSON.parse(row.result)) : null,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? "" } : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export async function getSyncJob(store: Store, actor: UserActor, id: string): Promise<SyncJobJson> {
  const row = await store.db
    .selectFrom("jobs")
    .selectAll()
    .where("id", "=", id)
    .where("kind", "=", "sync")
    .where("org_id", "=", actor.orgId)
    .executeTakeFirst();
  if (!row || actor.role !== "admin") throw new RequestError("not_found", `No sync job '${id}'`);
  return syncJobView(store, row);
}

/**
 * The organisation's sync jobs, newest first (the history the page shows): every run with
 * its status, queued and failed ones included, optionally of one connection only.
 */
export async function listSyncJobs(
  store: Store,
  actor: UserActor,
  options: { connectionId?: string; limit: number },
): Promise<SyncJobJson[]> {
  if (actor.role !== "admin") {
    throw new RequestError("forbidden", "Only a Referrals admin sees the sync history");
  }
  const { connectionId, limit } = options;
  if (connectionId) await connectionForAdmin(store, actor, connectionId);
  const out: SyncJobJson[] = [];
  // Pages of the org's sync jobs by the (org_id, kind, created_at) index; a connection's are
  // picked out of them, as an organisation has one connection per vendor.
  const page = Math.max(limit, 50);
  for (let offset = 0; out.length < limit; offset += page) {
    const rows = await store.db
      .selectFrom("jobs")
      .selectAll()
      .where("org_id", "=", actor.orgId)
      .where("kind", "=", "sync")
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(page)
      .offset(offset)
      .execute();
    for (const row of rows) {
      if (out.length >= limit) break;
      if (connectionId && parseSyncParams(row.params).connectionId !== connectionId) continue;
      out.push(await syncJobView(store, row));
    }
    if (rows.length < page) break;
  }
  return out;
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
