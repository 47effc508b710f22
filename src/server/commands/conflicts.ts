/**
 * A deal's Partner Center link and sync state, and the conflicts a sync left on it: a person
 * chooses `local` (the next sync sends this side's value) or `remote` (Partner Center's value
 * is applied here now, audited as theirs). Nothing is resolved without that choice.
 */
import { headerOf, isFieldKey } from "../../core/columns.js";
import type { Deal } from "../../core/deal.js";
import { RequestError } from "../../core/errors.js";
import { formatPair } from "../../core/lifecycle.js";
import {
  applyValue,
  isSyncedField,
  type JsonValue,
  pairOf,
  type SyncedField,
} from "../../core/sync/partner-center-mapping.js";
import { transitionPath } from "../../core/sync/remote-transition.js";
import { bumpDealListVersion } from "../db/deal-list-version.js";
import { findDealsByIds, updateDeals } from "../db/deals-repo.js";
import type { Store } from "../db/store.js";
import { canSee, type UserActor } from "../../core/actor.js";
import { type AuditOrigin, auditContext, auditEvent, insertAuditEvents } from "./audit.js";

export interface DealConflict {
  field: SyncedField;
  local: JsonValue;
  remote: JsonValue;
  detectedAt: string;
}

export interface DealSyncState {
  linked: boolean;
  connectionId: string | null;
  referralId: string | null;
  engagementId: string | null;
  eTag: string | null;
  remoteUpdatedAt: string | null;
  syncedAt: string | null;
  errors: { field: string | null; code: string; message: string }[];
  conflicts: DealConflict[];
}

async function visibleDeal(store: Store, actor: UserActor, id: string): Promise<Deal> {
  const [deal] = await findDealsByIds(store.db, actor.orgId, [id]);
  if (!deal || !canSee(actor, deal)) {
    throw new RequestError("not_found", `Deal '${id}' was not found among the deals you can see`);
  }
  return deal;
}

function parseErrors(text: string | null): DealSyncState["errors"] {
  if (!text) return [];
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) return [];
  return value.flatMap((e: unknown) =>
    typeof e === "object" && e !== null && "code" in e && "message" in e
      ? [
          {
            field: "field" in e && typeof e.field === "string" ? e.field : null,
            code: String(e.code),
            message: String(e.message),
          },
        ]
      : [],
  );
}

export async function dealSyncState(
  store: Store,
  actor: UserActor,
  dealId: string,
): Promise<DealSyncState> {
  const deal = await visibleDeal(store, actor, dealId);
  const link = await store.db
    .selectFrom("deal_links")
    .selectAll()
    .where("deal_id", "=", deal.id)
    .executeTakeFirst();
  const rows = await store.db
    .selectFrom("deal_conflicts")
    .selectAll()
    .where("deal_id", "=", deal.id)
    .orderBy("field")
    .execute();
  return {
    linked: Boolean(link?.referral_id),
    connectionId: link?.connection_id ?? null,
    referralId: link?.referral_id ?? null,
    engagementId: link?.engagement_id ?? null,
    eTag: link?.etag ?? null,
    remoteUpdatedAt: link?.remote_updated_at ?? null,
    syncedAt: link?.synced_at ?? null,
    errors: parseErrors(link?.errors ?? null),
    conflicts: rows.flatMap((r) =>
      isSyncedField(r.field)
        ? [
            {
              field: r.field,
              local: JSON.parse(r.local_value),
              remote: JSON.parse(r.remote_value),
              detectedAt: r.detected_at,
            },
          ]
        : [],
    ),
  };
}

/** The ids of the deals with a conflict waiting, among those the actor can see (the list's badge). */
export async function dealsWithConflicts(store: Store, actor: UserActor): Promise<string[]> {
  const rows = await store.db
    .selectFrom("deal_conflicts")
    .innerJoin("deals", "deals.id", "deal_conflicts.deal_id")
    .select("deal_conflicts.deal_id")
    .distinct()
    .where("deals.org_id", "=", actor.orgId)
    .execute();
  const ids = rows.map((r) => r.deal_id);
  if (actor.role === "admin" || ids.length === 0) return ids;
  const deals = await findDealsByIds(store.db, actor.orgId, ids);
  return deals.filter((d) => canSee(actor, d)).map((d) => d.id);
}

const cell = (v: JsonValue): string | null =>
  v === null ? null : typeof v === "string" ? v : JSON.stringify(v);

/** Resolves one conflict of a deal the actor can see. */
export async function resolveConflict(
  store: Store,
  actor: UserActor,
  input: { dealId: string; field: string; choice: "local" | "remote"; origin: AuditOrigin },
  now = new Date(),
): Promise<DealSyncState> {
  const deal = await visibleDeal(store, actor, input.dealId);
  const conflict = await store.db
    .selectFrom("deal_conflicts")
    .selectAll()
    .where("deal_id", "=", deal.id)
    .where("field", "=", input.field)
    .executeTakeFirst();
  const field = input.field;
  if (!conflict || !isSyncedField(field)) {
    throw new RequestError("not_found", `Deal '${deal.id}' has no conflict on '${input.field}'`);
  }
  const link = await store.db
    .selectFrom("deal_links")
    .select("base")
    .where("deal_id", "=", deal.id)
    .executeTakeFirst();
  const remote: JsonValue = JSON.parse(conflict.remote_value);
  const base: unknown = link?.base ? JSON.parse(link.base) : null;
  const at = now.toISOString();
  await store.db.transaction().execute(async (trx) => {
    if (input.choice === "remote") {
      const next: Deal = { ...deal, updatedAt: at, version: deal.version + 1 };
      const ctx = auditContext(actor, actor.orgId, input.origin, at);
      const label = isFieldKey(field) ? headerOf(field, "en") : field;
      const events = [];
      if (field === "status") {
        const to = pairOf(remote);
        const path = transitionPath(deal, to);
        if (!path) {
          throw new RequestError(
            "conflict",
            `The deal is ${formatPair(deal)}: the lifecycle does not allow ${formatPair(to)}`,
          );
        }
        for (const t of path) {
          events.push(
            auditEvent(ctx, deal.id, "update", {
              header: headerOf("status", "en"),
              from: formatPair(next),
              to: formatPair(t.to),
            }),
          );
          next.status = t.to.status;
          next.substatus = t.to.substatus;
          if (t.salesStage !== undefined) next.salesStage = t.salesStage;
        }
      } else {
        applyValue(next, field, remote);
        events.push(
          auditEvent(ctx, deal.id, "update", {
            header: label,
            from: conflict.local_value,
            to: cell(remote),
          }),
        );
      }
      const stale = await updateDeals(trx, [{ before: deal, after: next }]);
      if (stale.length > 0)
        throw new RequestError("conflict", "The deal changed meanwhile; try again");
      await insertAuditEvents(trx, events);
    }
    // Either way both sides now agree the remote value was the last synced one: on `local`
    // the next sync sees this side changed and sends it; on `remote` there is nothing to send.
    if (typeof base === "object" && base !== null && "values" in base) {
      const values: unknown = base.values;
      if (typeof values === "object" && values !== null) Reflect.set(values, field, remote);
      await trx
        .updateTable("deal_links")
        .set({ base: JSON.stringify(base) })
        .where("deal_id", "=", deal.id)
        .execute();
    }
    await trx
      .deleteFrom("deal_conflicts")
      .where("deal_id", "=", deal.id)
      .where("field", "=", field)
      .execute();
    await bumpDealListVersion(trx, actor.orgId);
  });
  return dealSyncState(store, actor, deal.id);
}
