/** Where the data lives when nothing says otherwise: `./data` under the working directory. */
export const DEFAULT_DATA_DIR = "data";

export type StoreEnv = Readonly<Record<string, string | undefined>>;

import { parsePositive } from "../limits-env.js";

/** The store to open: exactly one of the two is set (with PostgreSQL's pool size, if set). */
export type StoreOptions =
  | { dataDir: string; databaseUrl?: undefined }
  | { databaseUrl: string; dataDir?: undefined; poolSize?: number };

/** Connections each process keeps to PostgreSQL when `COSELL_DB_POOL_SIZE` is unset (node-pg's own). */
export const DEFAULT_POOL_SIZE = 10;

/**
 * Picks the store from the command line and the environment, most explicit first:
 * `--data DIR` (SQLite), then `DATABASE_URL` (PostgreSQL), then `COSELL_DATA_DIR`, then `./data`.
 * An explicit flag beats the environment, so `--data` reaches a local store even where
 * DATABASE_URL is set. Empty values count as unset. `COSELL_DB_POOL_SIZE` sizes PostgreSQL's
 * connection pool per process (default 10); a value that is not a positive whole number is
 * refused here, at start.
 */
export function resolveStoreOptions(
  env: StoreEnv,
  flags: { data?: string | undefined },
): StoreOptions {
  const given = (value: string | undefined) => (value?.trim() ? value : undefined);
  const flagDir = given(flags.data);
  if (flagDir) return { dataDir: flagDir };
  const url = given(env.DATABASE_URL);
  const pool = given(env.COSELL_DB_POOL_SIZE);
  // Read (and refused if bad) even where it does not apply yet, so a typo never waits for a move.
  const poolSize = pool ? parsePositive("COSELL_DB_POOL_SIZE", pool) : undefined;
  if (url) return { databaseUrl: url, ...(poolSize ? { poolSize } : {}) };
  return { dataDir: given(env.COSELL_DATA_DIR) ?? DEFAULT_DATA_DIR };
}
