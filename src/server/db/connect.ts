import { DatabaseOpenError, type Store } from "./store.js";
import { DEFAULT_DATA_DIR } from "./store-options.js";

export interface OpenDatabaseOptions {
  /** SQLite: the folder that holds `cosell.db`, created if missing. Default `./data`. */
  dataDir?: string;
  /** PostgreSQL: a `postgres://` URL; `?options=-c search_path=name` picks a schema. */
  databaseUrl?: string;
  /** PostgreSQL only: the schema to use (created if missing); wins over the URL's search_path. */
  schema?: string;
  /** PostgreSQL only: connections in this process's pool (default `DEFAULT_POOL_SIZE`). */
  poolSize?: number;
  /** Run pending migrations on open (default). Off only for tests of the migrations themselves. */
  migrate?: boolean;
}

/**
 * Opens the store — SQLite by default, PostgreSQL when a URL is given — and brings its
 * schema up to date. Failures throw a DatabaseOpenError whose message can be shown as is.
 */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Store> {
  const { dataDir, databaseUrl, schema, poolSize, migrate = true } = opts;
  if (databaseUrl !== undefined) {
    if (dataDir !== undefined) {
      throw new DatabaseOpenError("Give a data directory or a database URL, not both.");
    }
    // Each driver is loaded only when chosen: pg adds ~35 ms to every start of a CLI on
    // SQLite, and a PostgreSQL deployment should not need libsql's native binary.
    const { openPostgres } = await import("./open-postgres.js");
    return openPostgres(databaseUrl, { schema, migrate, ...(poolSize ? { poolSize } : {}) });
  }
  if (schema !== undefined) {
    throw new DatabaseOpenError("A schema applies to PostgreSQL only; SQLite has none.");
  }
  const { openSqlite } = await import("./open-sqlite.js");
  return openSqlite(dataDir ?? DEFAULT_DATA_DIR, migrate);
}
