/**
 * A job whose worker keeps dying is given up on only after attempts that made no progress, not
 * after any attempts: `claimed_done` is the rows done when the job was last claimed (compared with
 * `progress_done` when its lease runs out), `stalled_attempts` the attempts in a row that died
 * without committing anything.
 */
import type { Kysely } from "kysely";
import type { VersionedMigration } from "./versioned-migration.js";

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("jobs")
    .addColumn("claimed_done", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("jobs")
    .addColumn("stalled_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("jobs").dropColumn("stalled_attempts").execute();
  await db.schema.alterTable("jobs").dropColumn("claimed_done").execute();
}

export const stalledAttempts: VersionedMigration = { up, down };
