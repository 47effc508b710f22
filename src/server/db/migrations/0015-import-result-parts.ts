/**
 * The results file of a streamed import (issue 13), stored in parts of about a thousand rows
 * each, in order: a 100,000-row file's results are tens of megabytes, which no process should
 * have to hold as one string to store or to serve. An import whose results fit one string
 * keeps them in `imports.results_csv` as before; the download reads whichever is there.
 */
import type { Kysely } from "kysely";
import type { VersionedMigration } from "./versioned-migration.js";

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("import_result_parts")
    .addColumn("import_id", "text", (c) => c.notNull().references("imports.id").onDelete("cascade"))
    .addColumn("part", "integer", (c) => c.notNull())
    .addColumn("csv", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("import_result_parts_pk", ["import_id", "part"])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("import_result_parts").execute();
}

export const importResultParts: VersionedMigration = { up, down };
