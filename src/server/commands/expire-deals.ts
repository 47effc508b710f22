/**
 * The 14-day expiry (SPEC §6): an inbound deal still New 14 days after it was received
 * becomes Closed/Expired — through the lifecycle table, with its audit entry.
 */
import { sql } from "kysely";
import { planTransition, type StatusPair } from "../../core/lifecycle.js";
import { EXPIRY_DAYS } from "../../core/limits.js";
import { bumpDealListVersion } from "../db/deal-list-version.js";
import { chunks, type Db } from "../db/db.js";
import type { Store } from "../db/store.js";
import { auditContext, auditEvent, insertAuditEvents, systemOrigin } from "./audit.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRED: StatusPair = { status: "Closed", substatus: "Expired" };
const SYSTEM = { kind: "system" } as const;
const EXPIRY = systemOrigin("expiry");

/** Inbound deals still New, received at or before `cutoff`: what the sweep expires. */
export const dueForExpiry = (db: Db, cutoff: string) =>
  db
    .selectFrom("deals")
    .select(["id", "org_id", "status", "substatus", "version"])
    // Literals, as the partial index (migration 0005) says them: a planner matches an
    // index's condition with the query's terms, which a parameter may not prove (a PostgreSQL
    // generic plan cannot).
    .where("direction", "=", sql.lit("inbound"))
    .where("status", "=", sql.lit("New"))
    .where("received_at", "<=", cutoff);

export const expireDeals = async (store: Store, now = new Date()): Promise<{ expired: number }> => {
  const cutoff = new Date(now.getTime() - EXPIRY_DAYS * DAY_MS).toISOString();
  const at = now.toISOString();
  return store.db.transaction().execute(async (trx) => {
    const due = await dueForExpiry(trx, cutoff).execute();
    const expiring = due.filter((d) => planTransition(d, EXPIRED, "system").ok);
    for (const part of chunks(expiring)) {
      for (const d of part) {
        await trx
          .updateTable("deals")
          .set({ ...EXPIRED, updated_at: at, version: d.version + 1 })
          .where("id", "=", d.id)
          .where("version", "=", d.version)
          .execute();
      }
      await insertAuditEvents(
        trx,
        part.map((d) =>
          auditEvent(auditContext(SYSTEM, d.org_id, EXPIRY, at), d.id, "expire", {
            header: "Partner Referral Substatus",
            from: `${d.status}/${d.substatus}`,
            to: `${EXPIRED.status}/${EXPIRED.substatus}`,
          }),
        ),
      );
    }
    await bumpDealListVersion(
      trx,
      expiring.map((d) => d.org_id),
    );
    return { expired: expiring.length };
  });
};
