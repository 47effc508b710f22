import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement } from "kysely";
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

/** Prepared statements kept per connection, by SQL text. */
const STATEMENT_CACHE = 200;

/**
 * The connection as Kysely sees it, with its prepared statements kept and reused: the
 * import writes its rows in statements of the same text (bulk.ts), and the list and
 * look-ups repeat theirs, so each is parsed and planned once rather than every time.
 * Kysely runs one statement at a time on this connection, so sharing one is safe.
 */
const withStatementCache = (raw: Sqlite.Database): SqliteDatabase => {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => raw.close(),
    prepare(text) {
      const hit = cache.get(text);
      if (hit) {
        // Most recently used last: the first key is the one to evict.
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const statement = raw.prepare(text);
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement;
    },
  };
};

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
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(raw) }),
  });
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
    dataDir: dir,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
