/**
 * The files kept in the database — an import's results (`imports.results_csv`, ~0.5 MB for
 * 1,000 rows) and a job's files (`job_files.data`: the upload, the results, an export of up to
 * 5,000 deals) — compressed with LZ4 on PostgreSQL rather than its default pglz: storing a
 * 480 KB results file took 5–8 ms with pglz, 3 ms with LZ4, on every import. Only where the
 * server was built with LZ4 (`default_toast_compression` lists it); elsewhere nothing changes.
 * SQLite stores them as they are.
 */
import { type Kysely, sql } from "kysely";
import type { StoreDialect } from "../store.js";
import type { VersionedMigration } from "./versioned-migration.js";

const FILE_COLUMNS = [
  ["imports", "results_csv"],
  ["job_files", "data"],
] as const;

const hasLz4 = async (db: Kysely<unknown>): Promise<boolean> => {
  const { rows } = await sql<{ lz4: boolean }>`
    select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(
    db,
  );
  return rows[0]?.lz4 === true;
};

const setCompression = async (db: Kysely<unknown>, method: "lz4" | "default") => {
  for (const [table, column] of FILE_COLUMNS) {
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set compression ${sql.raw(method)}`.execute(
      db,
    );
  }
};

async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect === "postgres" && (await hasLz4(db))) await setCompression(db, "lz4");
}

async function down(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect === "postgres") await setCompression(db, "default");
}

export const lz4Files: VersionedMigration = { up, down };
