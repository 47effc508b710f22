import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export type StoreDialect = "sqlite" | "postgres";

/** An open, migrated database. Commands use `db` and never need to know the dialect. */
export interface Store {
  db: Kysely<Database>;
  dialect: StoreDialect;
  /** SQLite only: the folder of its file, where the connections' key file is kept too. */
  dataDir?: string;
  /** Closes the file or the connection pool. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The store could not be opened: bad location or URL, server unreachable, migration failed.
 * The message says what to fix and is meant to be shown as is; `cause` keeps the original.
 */
export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseOpenError";
  }
}

/** The message of anything thrown, for wrapping into a DatabaseOpenError. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
