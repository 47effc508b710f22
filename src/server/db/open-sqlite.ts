import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Kysely, SqliteDialect } from "kysely";
import Sqlite from "libsql";
import { migrateToLatest } from "./migrate.js";
import type { Database } from "./schema.js";
import { DatabaseOpenError, messageOf, type Store } from "./store.js";

export const SQLITE_FILE_NAME = "cosell.db";

/**
 * Per-connection settings. busy_timeout comes first so the others (journal_mode needs a
 * lock) wait for another process instead of failing. WAL lets readers run beside a writer;
 * NORMAL is durable in WAL mode except for the last commits on power loss, and much faster.
 */
const PRAGMAS = [
  "busy_timeout = 5000",
  "journal_mode = WAL",
  "synchronous = NORMAL",
  "foreign_keys = ON",
];

/** Opens (creating if needed) `<dataDir>/cosell.db` and migrates it. */
export async function openSqlite(dataDir: string, migrate = true): Promise<Store> {
  const dir = path.resolve(dataDir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new DatabaseOpenError(`Cannot create the data directory ${dir}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const file = path.join(dir, SQLITE_FILE_NAME);

  let raw: Sqlite.Database;
  try {
    raw = new Sqlite(file);
  } catch (error) {
    throw new DatabaseOpenError(`Cannot open the database file ${file}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    for (const pragma of PRAGMAS) raw.pragma(pragma);
    if (migrate) await migrateToLatest(db, "sqlite");
  } catch (error) {
    await db.destroy();
    // e.g. "file is not a database", "database is locked" after busy_timeout, a failed migration.
    throw new DatabaseOpenError(`Cannot open the database file ${file}: ${messageOf(error)}`, {
      cause: error,
    });
  }

  let closed = false;
  return {
    db,
    dialect: "sqlite",
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
