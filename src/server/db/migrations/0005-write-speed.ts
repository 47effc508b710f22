/**
 * Lighter writes for the import (measured on PostgreSQL, where each of these cost a 1,000-row
 * import milliseconds of row-by-row work):
 * - the audit trail keeps no foreign key to organisations, like the ones to deals and imports
 *   it never had: the trail must outlive whatever it describes, and the key was checked once
 *   per event (4,000 for an update of 4 fields of 1,000 deals: 12 ms);
 * - the expiry sweep's index holds only what the sweep looks for, inbound deals still New, so
 *   the deals a partner creates and edits never enter it.
 * SQLite cannot drop a foreign key: the audit table is rebuilt without it, ids kept.
 */
import { type Kysely, sql } from "kysely";
import type { StoreDialect } from "../store.js";
import type { VersionedMigration } from "./versioned-migration.js";

const AUDIT_COLUMNS =
  "id, at, org_id, actor_user_id, actor, source, import_id, import_row, deal_id, action, field, old_value, new_value";

/** SQLite: the audit table again, its org_id referencing organisations or not. */
async function rebuildSqliteAudit(db: Kysely<unknown>, withKey: boolean): Promise<void> {
  const orgId = withKey
    ? "org_id text not null references organizations (id)"
    : "org_id text not null";
  await sql
    .raw(`create table audit_events_next (
      id integer not null primary key autoincrement,
      at text not null,
      ${orgId},
      actor_user_id text,
      actor text not null,
      source text not null,
      import_id text,
      import_row integer,
      deal_id text not null,
      action text not null,
      field text,
      old_value text,
      new_value text)`)
    .execute(db);
  // Ids copied as they are: AUTOINCREMENT then goes on from the highest.
  await sql
    .raw(
      `insert into audit_events_next (${AUDIT_COLUMNS}) select ${AUDIT_COLUMNS} from audit_events`,
    )
    .execute(db);
  await sql`drop table audit_events`.execute(db);
  await sql`alter table audit_events_next rename to audit_events`.execute(db);
  await db.schema
    .createIndex("audit_events_deal_idx")
    .on("audit_events")
    .columns(["deal_id", "id"])
    .execute();
  await db.schema
    .createIndex("audit_events_org_at_idx")
    .on("audit_events")
    .columns(["org_id", "at"])
    .execute();
}

async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect === "postgres") {
    await sql`alter table audit_events drop constraint if exists audit_events_org_id_fkey`.execute(
      db,
    );
  } else {
    await rebuildSqliteAudit(db, false);
  }
  await db.schema.dropIndex("deals_expiry_idx").execute();
  await db.schema
    .createIndex("deals_expiry_idx")
    .on("deals")
    .column("received_at")
    .where(sql.ref("direction"), "=", sql.lit("inbound"))
    .where(sql.ref("status"), "=", sql.lit("New"))
    .execute();
}

async function down(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await db.schema.dropIndex("deals_expiry_idx").execute();
  await db.schema
    .createIndex("deals_expiry_idx")
    .on("deals")
    .columns(["status", "direction", "received_at"])
    .execute();
  if (dialect === "postgres") {
    await sql`alter table audit_events add constraint audit_events_org_id_fkey foreign key (org_id) references organizations (id)`.execute(
      db,
    );
  } else {
    await rebuildSqliteAudit(db, true);
  }
}

export const writeSpeed: VersionedMigration = { up, down };
