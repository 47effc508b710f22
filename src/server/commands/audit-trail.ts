/**
 * Reading the audit trail, scoped exactly like the deals: a deal's history is shown to whoever
 * can see the deal (anyone else gets the deal's "not found"), the organisation's whole trail to
 * its Referrals admins only. Nothing can change or remove an entry: there is no such command.
 */
import { RequestError } from "../../core/errors.js";
import { type AuditEventRow, type AuditFilter, findAuditEvents } from "../db/audit-repo.js";
import type { Store } from "../db/store.js";
import type { UserActor } from "../../core/actor.js";
import { visibleDeal } from "./deals.js";

/** An entry of the trail as read, for the presenters (routes never import the db layer). */
export type { AuditEventRow };

export interface AuditPage {
  items: AuditEventRow[];
  /** The id to pass as `before` for the next (older) page; null when this one is the last. */
  nextBefore: number | null;
}

/** The most entries one CSV download holds (newest first). */
export const AUDIT_CSV_MAX = 100_000;
const CSV_PAGE = 5_000;

const pageOf = (rows: AuditEventRow[], limit: number): AuditPage => {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextBefore: rows.length > limit && last ? last.id : null };
};

/** One deal's entries, newest first, if the actor can see the deal. */
export async function dealHistory(
  store: Store,
  actor: UserActor,
  dealId: string,
  page: { limit: number; before?: number | undefined },
): Promise<AuditPage> {
  const deal = await visibleDeal(store.db, actor, dealId);
  const rows = await findAuditEvents(
    store.db,
    actor.orgId,
    { dealId: deal.id },
    { limit: page.limit + 1, before: page.before },
  );
  return pageOf(rows, page.limit);
}

const requireAdmin = (actor: UserActor): void => {
  if (actor.role !== "admin") {
    throw new RequestError("forbidden", "Only a Referrals admin may read the audit trail");
  }
};

/** The time bounds as the trail stores them (ISO 8601 UTC with milliseconds). */
const normalised = (filter: AuditFilter): AuditFilter => {
  const instant = (value: string | undefined, name: string): string | undefined => {
    if (value === undefined) return undefined;
    const time = new Date(value);
    if (Number.isNaN(time.getTime())) {
      throw new RequestError(
        "invalid_argument",
        `${name} '${value}' is not an ISO 8601 time, e.g. 2026-12-01T00:00:00Z`,
      );
    }
    return time.toISOString();
  };
  return {
    ...filter,
    actor: filter.actor?.toLowerCase(),
    from: instant(filter.from, "from"),
    to: instant(filter.to, "to"),
  };
};

/** The organisation's entries matching the filter, newest first (Referrals admins only). */
export async function auditTrail(
  store: Store,
  actor: UserActor,
  filter: AuditFilter,
  page: { limit: number; before?: number | undefined },
): Promise<AuditPage> {
  requireAdmin(actor);
  const rows = await findAuditEvents(store.db, actor.orgId, normalised(filter), {
    limit: page.limit + 1,
    before: page.before,
  });
  return pageOf(rows, page.limit);
}

/** Every matching entry, newest first, up to `AUDIT_CSV_MAX` (Referrals admins only). */
export async function auditTrailForDownload(
  store: Store,
  actor: UserActor,
  filter: AuditFilter,
): Promise<{ items: AuditEventRow[]; truncated: boolean }> {
  requireAdmin(actor);
  const where = normalised(filter);
  const items: AuditEventRow[] = [];
  let before: number | undefined;
  while (items.length < AUDIT_CSV_MAX) {
    const limit = Math.min(CSV_PAGE, AUDIT_CSV_MAX - items.length);
    const rows = await findAuditEvents(store.db, actor.orgId, where, { limit, before });
    items.push(...rows);
    const last = rows.at(-1);
    if (rows.length < limit || !last) return { items, truncated: false };
    before = last.id;
  }
  const more = await findAuditEvents(store.db, actor.orgId, where, { limit: 1, before });
  return { items, truncated: more.length > 0 };
}
