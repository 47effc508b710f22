/**
 * Reading the audit trail: one organisation's entries, newest first, by keyset on the id (which
 * grows with every entry), filtered by deal, actor, source, import and time. Nothing here writes:
 * entries are only ever added, by `commands/audit.ts`.
 */
import type { AuditSource } from "../../core/audit.js";
import { chunks, type Db } from "./db.js";
import type { AuditEventsTable } from "./schema.js";
import type { Selectable } from "kysely";

export type AuditEventRow = Selectable<AuditEventsTable>;

export interface AuditFilter {
  dealId?: string | undefined;
  /** Lower case. */
  actor?: string | undefined;
  source?: AuditSource | undefined;
  importId?: string | undefined;
  /** ISO 8601 UTC: at or after. */
  from?: string | undefined;
  /** ISO 8601 UTC: before. */
  to?: string | undefined;
}

/** Up to `limit` entries of the organisation older than `before` (an id), newest first. */
export function findAuditEvents(
  db: Db,
  orgId: string,
  filter: AuditFilter,
  page: { limit: number; before?: number | undefined },
): Promise<AuditEventRow[]> {
  let query = db.selectFrom("audit_events").selectAll().where("org_id", "=", orgId);
  if (filter.dealId !== undefined) query = query.where("deal_id", "=", filter.dealId);
  if (filter.actor !== undefined) query = query.where("actor", "=", filter.actor);
  if (filter.source !== undefined) query = query.where("source", "=", filter.source);
  if (filter.importId !== undefined) query = query.where("import_id", "=", filter.importId);
  if (filter.from !== undefined) query = query.where("at", ">=", filter.from);
  if (filter.to !== undefined) query = query.where("at", "<", filter.to);
  if (page.before !== undefined) query = query.where("id", "<", page.before);
  return query.orderBy("id", "desc").limit(page.limit).execute();
}

/**
 * When each of these deals changed before its last change — the latest entry of its audit
 * trail older than the deal's `updated_at` — for those that did: what the stale-row check needs
 * when a file's `Last Modified` is too coarse to tell two changes apart (plan-row's staleReason).
 */
export async function previousChangeTimes(
  db: Db,
  orgId: string,
  dealIds: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks(dealIds)) {
    const rows = await db
      .selectFrom("audit_events as a")
      .innerJoin("deals as d", "d.id", "a.deal_id")
      .select(["a.deal_id", (eb) => eb.fn.max("a.at").as("at")])
      .where("d.org_id", "=", orgId)
      .where("a.deal_id", "in", part)
      .whereRef("a.at", "<", "d.updated_at")
      .groupBy("a.deal_id")
      .execute();
    for (const r of rows) if (r.at) found.set(r.deal_id, r.at);
  }
  return found;
}
