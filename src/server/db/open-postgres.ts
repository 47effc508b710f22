import { CompiledQuery, Kysely, PostgresDialect, sql } from "kysely";
import { DatabaseError, Pool, TypeOverrides, types } from "pg";
import { DEFAULT_POOL_SIZE } from "./store-options.js";
import { migrateToLatest } from "./migrate.js";
import { withPreparedStatements } from "./prepared.js";
import type { Database } from "./schema.js";
import { DatabaseOpenError, messageOf, type Store } from "./store.js";

export interface PostgresOptions {
  /** Tables live in this schema (created if missing); overrides a search_path in the URL. */
  schema?: string;
  migrate?: boolean;
  /** Connections in the pool (`COSELL_DB_POOL_SIZE`). */
  poolSize?: number;
}

/** A CLI should say "unreachable" within seconds, not hang on a dead host. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Plain identifiers only, so the name needs no escaping anywhere and means the same to every tool. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * pg returns int8 (count(*), sum(integer), bigint ids) and numeric (avg) as strings, where
 * SQLite gives numbers. Parse them here, per pool rather than globally, so results look the
 * same in both dialects. No column is int8 beyond 2^53 or numeric, so nothing is lost;
 * an int8 that does not fit fails the query rather than returning a wrong number.
 */
const pgTypes = new TypeOverrides();
pgTypes.setTypeParser(types.builtins.INT8, (text: string) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} exceeds 2^53`);
  return value;
});
pgTypes.setTypeParser(types.builtins.NUMERIC, (text: string) => Number(text));

/** Opens a pool on the URL, checks it answers, and migrates. */
export async function openPostgres(
  databaseUrl: string,
  options: PostgresOptions = {},
): Promise<Store> {
  const where = describeDatabaseUrl(databaseUrl);
  const { schema, migrate = true, poolSize = DEFAULT_POOL_SIZE } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new DatabaseOpenError(
      `Invalid PostgreSQL schema name "${schema}": use letters, digits and _ (at most 63, not starting with a digit).`,
    );
  }

  const pool = new Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    max: poolSize,
    types: pgTypes,
  });
  pool.on("error", () => {
    // An idle client whose server went away reports here; without a listener Node would
    // crash the process. The pool drops that client; the next query reconnects or fails.
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: withPreparedStatements(pool),
      onCreateConnection:
        schema === undefined
          ? undefined
          : async (connection) => {
              await connection.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
            },
    }),
  });

  try {
    // Always one round trip, so a bad server or URL fails here with a clear message.
    const found = await currentSchema(db);
    const target = schema ?? found.schema;
    if (target === undefined) {
      throw new DatabaseOpenError(
        `no schema of the search_path (${found.searchPath}) exists; create it first (CREATE SCHEMA name), or fix options=-c search_path=… in DATABASE_URL.`,
      );
    }
    if (migrate) await migrateToLatest(db, "postgres", { schema: target });
  } catch (error) {
    await db.destroy();
    // Errors from the server (auth, missing database) speak for themselves; others are network.
    const hint =
      error instanceof DatabaseError || error instanceof DatabaseOpenError
        ? ""
        : " (is the server running and reachable, and is DATABASE_URL right?)";
    throw new DatabaseOpenError(
      `Cannot open the PostgreSQL database at ${where}: ${messageOf(error)}${hint}`,
      { cause: error },
    );
  }

  let closed = false;
  return {
    db,
    dialect: "postgres",
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** The schema unqualified tables go to (none when the search_path names no existing one). */
async function currentSchema(
  db: Kysely<Database>,
): Promise<{ schema: string | undefined; searchPath: string }> {
  const { rows } = await sql<{
    schema: unknown;
    search_path: unknown;
  }>`select current_schema() as schema, current_setting('search_path') as search_path`.execute(db);
  const row = rows[0];
  return {
    schema: typeof row?.schema === "string" ? row.schema : undefined,
    searchPath: String(row?.search_path),
  };
}

/**
 * Checks the URL's shape before pg sees it (pg would read "not a url" as a host name) and
 * returns `host:port/database` for messages — never the password.
 */
export function describeDatabaseUrl(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new DatabaseOpenError(
      "DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database",
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new DatabaseOpenError("DATABASE_URL must start with postgres:// or postgresql://");
  }
  const host = url.hostname || url.searchParams.get("host") || "localhost";
  const port = url.port || "5432";
  return `${host}:${port}${decodeURIComponent(url.pathname)}`;
}
