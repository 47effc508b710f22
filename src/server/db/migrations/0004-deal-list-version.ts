/**
 * One counter per organisation that every write to what its deal list shows (deals, their
 * solutions and team, favourites) increments in its own transaction. A cached list page or
 * count is keyed by it, so a cache can never serve a page older than the last committed write,
 * even when several server processes share one PostgreSQL. No row yet reads as version 0.
 */
import type { Kysely } from "kysely";
import type { VersionedMigration } from "./versioned-migration.js";

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("deal_list_versions")
    .addColumn("org_id", "text", (c) =>
      c.notNull().primaryKey().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("version", "integer", (c) => c.notNull())
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("deal_list_versions").execute();
}

export const dealListVersion: VersionedMigration = { up, down };
