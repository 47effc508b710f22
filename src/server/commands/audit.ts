/** The append-only audit trail: written in the same transaction as the change it records. */
import { insertMany } from "../db/bulk.js";
import type { Db } from "../db/deals-repo.js";
import type { NewAuditEventRow } from "../db/schema.js";

const COLUMNS = [
  "at",
  "org_id",
  "actor_user_id",
  "actor",
  "source",
  "import_id",
  "import_row",
  "deal_id",
  "action",
  "field",
  "old_value",
  "new_value",
] as const satisfies readonly (keyof NewAuditEventRow)[];

export const insertAuditEvents = (db: Db, events: readonly NewAuditEventRow[]): Promise<void> =>
  insertMany(db, "audit_events", COLUMNS, events);
