import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach } from "vitest";
import { openDatabase } from "../server/db/connect.js";
import type { Store } from "../server/db/store.js";

/** Set it to run every store-backed test on PostgreSQL instead of SQLite. */
export const TEST_DATABASE_URL_VAR = "COSELL_TEST_DATABASE_URL";

export const testDatabaseUrl = (): string | undefined =>
  process.env[TEST_DATABASE_URL_VAR] || undefined;

export interface TestStoreOptions {
  /** Leave the store empty, for tests of the migrations themselves. */
  migrate?: boolean;
}

/**
 * Registers a fresh store per test (opened before each, closed after each) and returns a
 * getter for it. A store that failed to open fails the test; closing then has nothing to do.
 */
export function setupTestStore(options: TestStoreOptions = {}): () => Store {
  let store: Store | undefined;
  beforeEach(async () => {
    store = await openTestStore(options);
  });
  afterEach(async () => {
    const open = store;
    store = undefined;
    await open?.close();
  });
  return () => {
    if (!store) throw new Error("setupTestStore(): the store is open only inside a test");
    return store;
  };
}

/**
 * A fresh, isolated, migrated store, removed on close. PostgreSQL when
 * COSELL_TEST_DATABASE_URL is set (a new schema, dropped on close), else SQLite in a new
 * temp directory. An unreachable server throws: a PostgreSQL run never falls back silently.
 */
export async function openTestStore(options: TestStoreOptions = {}): Promise<Store> {
  const url = testDatabaseUrl();
  return url ? openPostgresTestStore(url, options) : openSqliteTestStore(options);
}

async function openSqliteTestStore({ migrate }: TestStoreOptions): Promise<Store> {
  const dir = await mkdtemp(path.join(tmpdir(), "cosell-test-"));
  let store: Store;
  try {
    store = await openDatabase({ dataDir: dir, migrate });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgresTestStore(url: string, { migrate }: TestStoreOptions): Promise<Store> {
  const schema = newSchemaName();
  const store = await openDatabase({ databaseUrl: url, schema, migrate });
  // Without migrations nothing has created the schema yet, and search_path needs it.
  await sql`create schema if not exists ${sql.id(schema)}`.execute(store.db);
  let closed = false;
  return {
    ...store,
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

/** Unique across parallel workers and runs; sorts by creation time for whoever cleans up. */
export const newSchemaName = (): string =>
  `cosell_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;

/** The PostgreSQL schema a store's tables live in; undefined for SQLite, which has none. */
export async function storeSchema(store: Store): Promise<string | undefined> {
  if (store.dialect === "sqlite") return undefined;
  const { rows } = await sql<{ schema: unknown }>`select current_schema() as schema`.execute(
    store.db,
  );
  const schema = rows[0]?.schema;
  if (typeof schema !== "string") throw new Error("The store's search_path names no schema");
  return schema;
}
