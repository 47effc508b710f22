/**
 * The service's tables: background jobs with leases (and their files), browser sessions,
 * API tokens and vendor credentials. Files are bytes: blob in SQLite, bytea in PostgreSQL.
 */
import type { Kysely } from "kysely";
import type { StoreDialect } from "../store.js";
import type { VersionedMigration } from "./versioned-migration.js";

async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("org_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("status", "text", (c) => c.notNull())
    // JSON: what to do (import options, export filter and language).
    .addColumn("params", "text", (c) => c.notNull())
    .addColumn("progress_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("progress_total", "integer", (c) => c.notNull().defaultTo(0))
    // JSON: the outcome (import summary counts, export count and left-out).
    .addColumn("result", "text")
    .addColumn("error_code", "text")
    .addColumn("error_message", "text")
    .addColumn("idempotency_key", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("lease_owner", "text")
    .addColumn("lease_expires_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .execute();
  await db.schema
    .createIndex("jobs_claim_idx")
    .on("jobs")
    .columns(["status", "created_at"])
    .execute();
  await db.schema
    .createIndex("jobs_org_kind_idx")
    .on("jobs")
    .columns(["org_id", "kind", "created_at"])
    .execute();
  // The same key from the same user returns the same job.
  await db.schema
    .createIndex("jobs_idempotency_idx")
    .on("jobs")
    .columns(["user_id", "idempotency_key"])
    .unique()
    .execute();

  const bytes = dialect === "postgres" ? "bytea" : "blob";
  await db.schema
    .createTable("job_files")
    .addColumn("job_id", "text", (c) => c.notNull().references("jobs.id").onDelete("cascade"))
    // "input" (the uploaded file), "results" (import results), "export" (the exported file).
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("data", bytes, (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("job_files_pk", ["job_id", "role"])
    .execute();

  await db.schema
    .createTable("sessions")
    // SHA-256 of the cookie value: a leaked table does not leak sessions.
    .addColumn("id_hash", "text", (c) => c.notNull().primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_idx").on("sessions").columns(["user_id"]).execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema
    .createIndex("api_tokens_user_idx")
    .on("api_tokens")
    .columns(["user_id"])
    .execute();

  await db.schema
    .createTable("vendor_tokens")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["vendor_tokens", "api_tokens", "sessions", "job_files", "jobs"]) {
    await db.schema.dropTable(table).execute();
  }
}

export const service: VersionedMigration = { up, down };
