/**
 * PostgreSQL drops the tab index (`deals_org_direction_created_idx`, org + direction + creation
 * time): measured at 100,000 deals, its planner serves the Inbound and Outbound tabs as fast or
 * faster from the creation-time index (list pages 11 → 11 ms, an inbound export 266 → 253 ms),
 * and every import wrote an entry in it for each deal (~5 ms of a 1,000-row update). SQLite keeps
 * it: there the same pages took 3 → 54 ms and the export 236 → 449 ms without it.
 */
import type { Kysely } from "kysely";
import type { StoreDialect } from "../store.js";
import type { VersionedMigration } from "./versioned-migration.js";

async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect === "postgres")
    await db.schema.dropIndex("deals_org_direction_created_idx").execute();
}

async function down(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect !== "postgres") return;
  await db.schema
    .createIndex("deals_org_direction_created_idx")
    .on("deals")
    .columns(["org_id", "direction", "created_at"])
    .execute();
}

export const pgTabIndex: VersionedMigration = { up, down };
