/**
 * Failed sign-ins per account, shared by every server process on the database: counted here
 * rather than in each process's memory, N processes no longer give an attacker N times the
 * limit. One row per account key (the SHA-256 of the email as typed, trimmed and lower-cased:
 * emails nobody has are counted too, and are not kept in clear), for the current window only.
 */
import type { Kysely } from "kysely";
import type { VersionedMigration } from "./versioned-migration.js";

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("sign_in_failures")
    .addColumn("account_key", "text", (c) => c.notNull().primaryKey())
    // Attempts in the window, the one under way included (counted before the password is checked).
    .addColumn("attempts", "integer", (c) => c.notNull())
    // When the window began (UTC ISO): it ends COSELL_SIGN_IN_ACCOUNT_WINDOW_MINUTES later.
    .addColumn("window_start", "text", (c) => c.notNull())
    .execute();
  // The sweep of ended windows.
  await db.schema
    .createIndex("sign_in_failures_window_idx")
    .on("sign_in_failures")
    .column("window_start")
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("sign_in_failures").execute();
}

export const signInFailures: VersionedMigration = { up, down };
