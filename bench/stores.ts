/**
 * The two stores the benchmark runs on: SQLite in a new temp directory, and PostgreSQL in a
 * new schema. Both are removed on close, so a run leaves nothing behind.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../src/server/db/connect.js";
import { SQLITE_FILE_NAME } from "../src/server/db/open-sqlite.js";
import type { Store, StoreDialect } from "../src/server/db/store.js";

export const DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/test";

export interface BenchStore extends Store {
  /** `sqlite` or `postgres`, for the table. */
  label: StoreDialect;
  /** SQLite only: the database file, for experiments that need a raw driver connection. */
  file: string | null;
}

export async function openSqliteBenchStore(): Promise<BenchStore> {
  const dir = await mkdtemp(path.join(tmpdir(), "cosell-bench-"));
  const store = await openDatabase({ dataDir: dir });
  return {
    ...store,
    label: "sqlite",
    file: path.join(dir, SQLITE_FILE_NAME),
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a fresh schema; throws DatabaseOpenError when the server cannot be reached. */
export async function openPostgresBenchStore(url: string): Promise<BenchStore> {
  const schema = `cosell_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const store = await openDatabase({ databaseUrl: url, schema });
  let closed = false;
  return {
    ...store,
    label: "postgres",
    file: null,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      } finally {
        await store.close();
      }
    },
  };
}
