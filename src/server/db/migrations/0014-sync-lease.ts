/**
 * One sync at a time per connection: a lease on the connection's row (who holds it, until
 * when), taken and renewed by a conditional UPDATE, so two workers — or a worker and the CLI —
 * never sync the same connection at once (they would spend the same rotating refresh token
 * and race to create the same deal). An expired lease is free: a crashed holder blocks no one
 * for longer than the lease.
 */
import type { Kysely } from "kysely";
import type { VersionedMigration } from "./versioned-migration.js";

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("connections").addColumn("sync_holder", "text").execute();
  await db.schema.alterTable("connections").addColumn("sync_until", "text").execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("connections").dropColumn("sync_until").execute();
  await db.schema.alterTable("connections").dropColumn("sync_holder").execute();
}

export const syncLease: VersionedMigration = { up, down };
