/**
 * Reading the audit trail: one organisation's entries, newest first, by keyset on the id (which
 * grows with every entry), filtered by deal, actor, source, import and time. Nothing here writes:
 * entries are only ever added, by `commands/audit.ts`.
 */
import type { AuditSource } from "../../core/audit.js";
import type { Db } from "./db.js";
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
