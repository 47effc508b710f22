/**
 * The audit trail people read: each entry also keeps the actor's role at the time (`admin`,
 * `user`, `vendor` or `system`) and where the change came from beyond its source kind — the HTTP
 * method and route (`PATCH /api/deals/:id`), the CLI command (`cosell import`), or the system task
 * (`expiry`, `sync`). Entries written before this migration have neither (null: not recorded).
 */
import type { Kysely } from "kysely";
import type { VersionedMigration } from "./versioned-migration.js";

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("audit_events").addColumn("actor_role", "text").execute();
  await db.schema.alterTable("audit_events").addColumn("origin", "text").execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("audit_events").dropColumn("origin").execute();
  await db.schema.alterTable("audit_events").dropColumn("actor_role").execute();
}

export const readableAudit: VersionedMigration = { up, down };
