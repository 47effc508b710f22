import type { Kysely } from "kysely";
import type { StoreDialect } from "../store.js";

/**
 * A migration that is told its dialect, so the rare place where SQLite and PostgreSQL
 * differ branches explicitly instead of guessing from the connection.
 * It must not open its own transaction: the runner wraps the whole run in one.
 */
export interface VersionedMigration {
  up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void>;
  down(db: Kysely<unknown>, dialect: StoreDialect): Promise<void>;
}
