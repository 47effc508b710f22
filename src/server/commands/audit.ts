/** The append-only audit trail: written in the same transaction as the change it records. */
import { chunks, type Db } from "../db/deals-repo.js";
import type { NewAuditEventRow } from "../db/schema.js";

export const insertAuditEvents = async (
  db: Db,
  events: readonly NewAuditEventRow[],
): Promise<void> => {
  for (const part of chunks(events, 1000)) {
    await db.insertInto("audit_events").values(part).execute();
  }
};
