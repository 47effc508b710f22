/**
 * Column-mapping presets per organisation (a CRM export's headers → co-sell columns, saved
 * under a name and picked when a file's headers fit), and the undo of an import: one row per
 * undone import, its primary key the import's id, so an import can never be undone twice.
 */
import type { Kysely } from "kysely";
import type { VersionedMigration } from "./versioned-migration.js";

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("import_presets")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("org_id", "text", (c) =>
      c.notNull().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("name", "text", (c) => c.notNull())
    // JSON object: file header → co-sell header, or null to ignore.
    .addColumn("mapping", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("import_presets_org_name_idx")
    .on("import_presets")
    .columns(["org_id", "name"])
    .unique()
    .execute();

  await db.schema
    .createTable("import_undos")
    .addColumn("import_id", "text", (c) => c.notNull().primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    // The undo job's id (null when run in one go by the CLI).
    .addColumn("job_id", "text")
    .addColumn("undone", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("skipped", "integer", (c) => c.notNull().defaultTo(0))
    // JSON array of {row, referralId, action, changes, reason}: what the undo did per deal.
    .addColumn("report", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("import_undos").execute();
  await db.schema.dropTable("import_presets").execute();
}

export const importPresetsUndo: VersionedMigration = { up, down };
