/**
 * Connections to vendor APIs (Partner Center first) and what a sync keeps per deal: the link
 * to its referral (ids, last eTag and updatedDateTime, the values both sides agreed on last),
 * the conflicts waiting for a person, and a history of sync runs. Secrets are stored
 * encrypted (AES-256-GCM, `src/server/auth/secret-box.ts`), never in clear.
 */
import type { Kysely } from "kysely";
import type { VersionedMigration } from "./versioned-migration.js";

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("connections")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("org_id", "text", (c) =>
      c.notNull().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("vendor", "text", (c) => c.notNull())
    .addColumn("api_url", "text", (c) => c.notNull())
    .addColumn("token_url", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    // JSON {clientSecret, refreshToken}, sealed with the store's secret key.
    .addColumn("secrets", "text", (c) => c.notNull())
    // SHA-256 of the secret the webhook URL carries, hex.
    .addColumn("webhook_secret_hash", "text", (c) => c.notNull())
    // The highest updatedDateTime pulled so far: the next pull starts there, minus an overlap.
    .addColumn("pull_cursor", "text")
    .addColumn("last_sync_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("connections_org_vendor_idx")
    .on("connections")
    .columns(["org_id", "vendor"])
    .unique()
    .execute();

  await db.schema
    .createTable("deal_links")
    .addColumn("deal_id", "text", (c) =>
      c.notNull().primaryKey().references("deals.id").onDelete("cascade"),
    )
    .addColumn("connection_id", "text", (c) =>
      c.notNull().references("connections.id").onDelete("cascade"),
    )
    // Null while a create is under way: the intent is recorded before the POST.
    .addColumn("referral_id", "text")
    .addColumn("engagement_id", "text")
    // The externalReferenceId the create sent: how a resumed sync finds what it created.
    .addColumn("create_key", "text")
    .addColumn("etag", "text")
    .addColumn("remote_updated_at", "text")
    // JSON: the synced fields as both sides had them after the last sync (the merge's base).
    .addColumn("base", "text")
    // JSON array of {field, code, message}: why the last push or pull of this deal failed.
    .addColumn("errors", "text")
    .addColumn("synced_at", "text")
    .execute();
  await db.schema
    .createIndex("deal_links_referral_idx")
    .on("deal_links")
    .columns(["connection_id", "referral_id"])
    .unique()
    .execute();

  await db.schema
    .createTable("deal_conflicts")
    .addColumn("deal_id", "text", (c) => c.notNull().references("deals.id").onDelete("cascade"))
    .addColumn("field", "text", (c) => c.notNull())
    // JSON values of the field: here, and on the vendor's side.
    .addColumn("local_value", "text", (c) => c.notNull())
    .addColumn("remote_value", "text", (c) => c.notNull())
    .addColumn("detected_at", "text", (c) => c.notNull())
    // Set when a person chose: "local" (the next sync sends it) or "remote" (kept from there).
    .addColumn("resolution", "text")
    .addPrimaryKeyConstraint("deal_conflicts_pk", ["deal_id", "field"])
    .execute();

  await db.schema
    .createTable("sync_runs")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("connection_id", "text", (c) =>
      c.notNull().references("connections.id").onDelete("cascade"),
    )
    .addColumn("job_id", "text")
    .addColumn("dry_run", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    // JSON: the run's summary (pulled, pushed, conflicts, errors).
    .addColumn("result", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  await db.schema
    .createIndex("sync_runs_connection_idx")
    .on("sync_runs")
    .columns(["connection_id", "started_at"])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("sync_runs").execute();
  await db.schema.dropTable("deal_conflicts").execute();
  await db.schema.dropTable("deal_links").execute();
  await db.schema.dropTable("connections").execute();
}

export const connections: VersionedMigration = { up, down };
