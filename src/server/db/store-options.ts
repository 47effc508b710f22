/** Where the data lives when nothing says otherwise: `./data` under the working directory. */
export const DEFAULT_DATA_DIR = "data";

export type StoreEnv = Readonly<Record<string, string | undefined>>;

/** The store to open: exactly one of the two is set. */
export type StoreOptions =
  | { dataDir: string; databaseUrl?: undefined }
  | { databaseUrl: string; dataDir?: undefined };

/**
 * Picks the store from the command line and the environment, most explicit first:
 * `--data DIR` (SQLite), then `DATABASE_URL` (PostgreSQL), then `COSELL_DATA_DIR`, then `./data`.
 * An explicit flag beats the environment, so `--data` reaches a local store even where
 * DATABASE_URL is set. Empty values count as unset.
 */
export function resolveStoreOptions(
  env: StoreEnv,
  flags: { data?: string | undefined },
): StoreOptions {
  const given = (value: string | undefined) => (value?.trim() ? value : undefined);
  const flagDir = given(flags.data);
  if (flagDir) return { dataDir: flagDir };
  const url = given(env.DATABASE_URL);
  if (url) return { databaseUrl: url };
  return { dataDir: given(env.COSELL_DATA_DIR) ?? DEFAULT_DATA_DIR };
}
