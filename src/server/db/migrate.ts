import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from "kysely";
import { MIGRATIONS } from "./migrations/index.js";
import type { VersionedMigration } from "./migrations/versioned-migration.js";
import type { Database } from "./schema.js";
import { DatabaseOpenError, messageOf, type StoreDialect } from "./store.js";

export interface MigrateOptions {
  /** PostgreSQL: the schema that holds the tables and Kysely's bookkeeping tables. */
  schema?: string;
  /** Replaces the real list; for tests only. */
  migrations?: ReadonlyArray<readonly [string, VersionedMigration]>;
}

/** A Kysely Migrator over the static list (no filesystem scan), each migration told its dialect. */
export function createMigrator(
  db: Kysely<Database>,
  dialect: StoreDialect,
  options: MigrateOptions = {},
): Migrator {
  const list = options.migrations ?? MIGRATIONS;
  const migrations: Record<string, Migration> = Object.fromEntries(
    list.map(([name, m]) => [
      name,
      { up: (kdb) => m.up(kdb, dialect), down: (kdb) => m.down(kdb, dialect) } satisfies Migration,
    ]),
  );
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Without it, Kysely looks for its tables in every schema and may find another store's.
    migrationTableSchema: options.schema,
    // Numbers are reserved ahead and land in any order (0009 before 0008): a store that already
    // ran a later one still gets the earlier one, instead of refusing to open.
    allowUnorderedMigrations: true,
  });
}

/**
 * Brings the database up to the latest migration; all or nothing.
 * PostgreSQL: Kysely takes an advisory lock and runs everything in one transaction, so
 * instances starting together are safe. SQLite: Kysely takes no lock, so the run is wrapped
 * in BEGIN IMMEDIATE, which makes a second process wait (busy_timeout) and then find nothing to do.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  dialect: StoreDialect,
  options: MigrateOptions = {},
): Promise<void> {
  const migrator = createMigrator(db, dialect, options);
  if (dialect === "postgres") return check(await migrator.migrateToLatest());

  // Reopening an up-to-date store must not wait for another process's write transaction.
  const pending = (await migrator.getMigrations()).some((m) => m.executedAt === undefined);
  if (!pending) return check(await migrator.migrateToLatest());

  await sql`begin immediate`.execute(db);
  let committed = false;
  try {
    check(await migrator.migrateToLatest());
    await sql`commit`.execute(db);
    committed = true;
  } finally {
    if (!committed) await sql`rollback`.execute(db);
  }
}

function check({ error, results }: MigrationResultSet): void {
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === "Error")?.migrationName;
  const message = failed
    ? `Database migration ${failed} failed: ${messageOf(error)}`
    : `Could not migrate the database: ${messageOf(error)}`;
  throw new DatabaseOpenError(message, { cause: error });
}
