import { NO_MIGRATIONS, sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import {
  newSchemaName,
  setupTestStore,
  storeSchema,
  testDatabaseUrl,
} from "../../test-support/db.js";
import { openDatabase } from "./connect.js";
import { createMigrator, migrateToLatest } from "./migrate.js";
import { MIGRATIONS } from "./migrations/index.js";
import type { VersionedMigration } from "./migrations/versioned-migration.js";
import type { Store } from "./store.js";

/** Every table's columns in order; `?` marks a nullable one. Both dialects must match. */
const EXPECTED_COLUMNS: Record<string, string[]> = {
  organizations: ["id", "name", "created_at"],
  users: ["id", "org_id", "email", "name?", "role", "password_hash?", "active", "created_at"],
  deals: [
    "id",
    "org_id",
    "engagement_id",
    "direction",
    "name",
    "customer_name",
    "customer_address1",
    "customer_address2?",
    "customer_city",
    "customer_state?",
    "customer_postal_code?",
    "customer_country",
    "customer_duns?",
    "contact_first_name?",
    "contact_last_name?",
    "contact_phone?",
    "contact_email?",
    "status",
    "substatus",
    "microsoft_status?",
    "close_reason?",
    "sales_stage?",
    "value",
    "currency",
    "close_date",
    "crm_id?",
    "campaign_id?",
    "notes?",
    "help_required",
    "help_type?",
    "share_with_microsoft",
    "notes_to_microsoft?",
    "consent",
    "created_at",
    "updated_at",
    "received_at?",
    "version",
    "search_text",
  ],
  deal_solutions: ["deal_id", "position", "solution_id", "currency?", "price?", "quantity?"],
  deal_team_members: [
    "deal_id",
    "position",
    "first_name",
    "last_name",
    "phone?",
    "email",
    "email_key",
  ],
  favorites: ["user_id", "deal_id", "created_at"],
  deal_list_versions: ["org_id", "version"],
  imports: [
    "id",
    "org_id",
    "user_id",
    "file_name?",
    "file_hash",
    "dry_run",
    "status",
    "options",
    "total",
    "created",
    "updated",
    "unchanged",
    "not_processed",
    "ignored_columns",
    "results_csv?",
    "error_code?",
    "error_message?",
    "created_at",
    "finished_at?",
  ],
  import_rows: [
    "import_id",
    "row_no",
    "result",
    "referral_id?",
    "engagement_id?",
    "errors",
    "changes",
  ],
  import_result_parts: ["import_id", "part", "csv"],
  audit_events: [
    "id",
    "at",
    "org_id",
    "actor_user_id?",
    "actor",
    "source",
    "import_id?",
    "import_row?",
    "deal_id",
    "action",
    "field?",
    "old_value?",
    "new_value?",
    "actor_role?",
    "origin?",
  ],
  jobs: [
    "id",
    "kind",
    "org_id",
    "user_id",
    "status",
    "params",
    "progress_done",
    "progress_total",
    "result?",
    "error_code?",
    "error_message?",
    "idempotency_key?",
    "attempts",
    "lease_owner?",
    "lease_expires_at?",
    "created_at",
    "started_at?",
    "finished_at?",
    "claimed_done",
    "stalled_attempts",
  ],
  job_files: ["job_id", "role", "name", "content_type", "data", "created_at"],
  sessions: ["id_hash", "user_id", "csrf_token", "created_at", "expires_at"],
  api_tokens: ["id", "user_id", "name", "token_hash", "created_at", "last_used_at?", "revoked_at?"],
  vendor_tokens: ["id", "name", "token_hash", "created_at", "revoked_at?"],
  connections: [
    "id",
    "org_id",
    "vendor",
    "api_url",
    "token_url",
    "client_id",
    "secrets",
    "webhook_secret_hash",
    "pull_cursor?",
    "last_sync_at?",
    "created_at",
    "updated_at",
    "sync_holder?",
    "sync_until?",
  ],
  deal_links: [
    "deal_id",
    "connection_id",
    "referral_id?",
    "engagement_id?",
    "create_key?",
    "etag?",
    "remote_updated_at?",
    "base?",
    "errors?",
    "synced_at?",
  ],
  deal_conflicts: ["deal_id", "field", "local_value", "remote_value", "detected_at", "resolution?"],
  sync_runs: [
    "id",
    "connection_id",
    "job_id?",
    "dry_run",
    "status",
    "result?",
    "started_at",
    "finished_at?",
  ],
  import_presets: ["id", "org_id", "name", "mapping", "created_by", "created_at", "updated_at"],
  import_undos: [
    "import_id",
    "org_id",
    "user_id",
    "job_id?",
    "undone",
    "skipped",
    "report",
    "created_at",
  ],
  sign_in_failures: ["account_key", "attempts", "window_start"],
};

const EXPECTED_INDEXES = [
  "users_org_idx",
  "deals_org_created_idx",
  "deals_org_crm_idx",
  "deals_expiry_idx",
  "deal_solutions_solution_idx",
  "deal_team_members_email_idx",
  "favorites_deal_idx",
  "imports_org_created_idx",
  "audit_events_deal_idx",
  "audit_events_org_at_idx",
  "jobs_claim_idx",
  "jobs_idempotency_idx",
  "deals_org_name_idx",
  "deals_org_country_idx",
  "deals_org_type_idx",
  "sign_in_failures_window_idx",
];

/** SQLite's search index (0010): an FTS5 table and the shadow tables FTS5 keeps for it. */
const SQLITE_SEARCH_TABLES = [
  "deals_search",
  "deals_search_config",
  "deals_search_data",
  "deals_search_docsize",
  "deals_search_idx",
];

/**
 * The store's own tables and columns (PostgreSQL introspection sees every schema), without
 * SQLite's search index, whose tables are FTS5's (checked apart, in "creates the search index").
 */
async function columnsOf(store: Store): Promise<Record<string, string[]>> {
  const schema = await storeSchema(store);
  const tables = await store.db.introspection.getTables();
  return Object.fromEntries(
    tables
      .filter((t) => schema === undefined || t.schema === schema)
      .filter((t) => !SQLITE_SEARCH_TABLES.includes(t.name))
      .map((t) => [t.name, t.columns.map((c) => `${c.name}${c.isNullable ? "?" : ""}`)]),
  );
}

async function indexesOf(store: Store): Promise<string[]> {
  const { rows } =
    store.dialect === "sqlite"
      ? await sql<{ name: string }>`
          select name from sqlite_master where type = 'index' and name not like 'sqlite_%'`.execute(
          store.db,
        )
      : await sql<{ name: string }>`
          select indexname as name from pg_indexes where schemaname = current_schema()`.execute(
          store.db,
        );
  return rows.map((r) => r.name);
}

async function appliedMigrations(store: Store): Promise<string[]> {
  const schema = await storeSchema(store);
  const infos = await createMigrator(store.db, store.dialect, { schema }).getMigrations();
  return infos.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}

describe("the migration list", () => {
  it("is named NNNN-words, in order, without duplicates", () => {
    const names = MIGRATIONS.map(([name]) => name);
    for (const name of names) expect(name).toMatch(/^\d{4}-[a-z0-9]+(-[a-z0-9]+)*$/);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("migrations on the store under test", () => {
  describe("on a fresh store", () => {
    const current = setupTestStore();
    let store: Store;
    beforeEach(() => {
      store = current();
    });

    it("creates every table with its columns", async () => {
      expect(await columnsOf(store)).toEqual(EXPECTED_COLUMNS);
    });

    it("creates the indexes", async () => {
      const indexes = await indexesOf(store);
      expect(indexes).toEqual(expect.arrayContaining(EXPECTED_INDEXES));
      // The tabs' index serves SQLite only: PostgreSQL's planner does as well without it (0007).
      expect(indexes.includes("deals_org_direction_created_idx")).toBe(store.dialect === "sqlite");
    });

    it("creates the search index: FTS5 with triggers on SQLite, pg_trgm GIN on PostgreSQL", async () => {
      if (store.dialect === "sqlite") {
        const { rows } = await sql<{ type: string; name: string }>`
          select type, name from sqlite_master where name like 'deals_search%' order by name`.execute(
          store.db,
        );
        expect(rows.filter((r) => r.type === "table").map((r) => r.name)).toEqual(
          SQLITE_SEARCH_TABLES,
        );
        expect(rows.filter((r) => r.type === "trigger").map((r) => r.name)).toEqual([
          "deals_search_delete",
          "deals_search_insert",
          "deals_search_update",
        ]);
      } else {
        expect(await indexesOf(store)).toEqual(
          expect.arrayContaining(["deals_search_trgm_idx", "deals_customer_trgm_idx"]),
        );
      }
    });

    it("keeps the stored files compressed with LZ4 on a PostgreSQL built with it", async () => {
      if (store.dialect !== "postgres") return;
      const { rows } = await sql<{ column: string; method: string; lz4: boolean }>`
        select attname as column, attcompression as method,
          (select 'lz4' = any(enumvals) from pg_settings where name = 'default_toast_compression') as lz4
        from pg_attribute
        where attrelid in ('imports'::regclass, 'job_files'::regclass)
          and attname in ('results_csv', 'data')
        order by attname`.execute(store.db);
      const want = rows[0]?.lz4 ? "l" : "";
      expect(rows.map((r) => [r.column, r.method])).toEqual([
        ["data", want],
        ["results_csv", want],
      ]);
    });

    it("records every migration as applied", async () => {
      expect(await appliedMigrations(store)).toEqual(MIGRATIONS.map(([name]) => name));
    });

    it("migrates all the way down and back up", async () => {
      const schema = await storeSchema(store);
      const migrator = createMigrator(store.db, store.dialect, { schema });
      const down = await migrator.migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      expect(await columnsOf(store)).toEqual({});

      await migrateToLatest(store.db, store.dialect, { schema });
      expect(await columnsOf(store)).toEqual(EXPECTED_COLUMNS);
    });

    it("does nothing when run again", async () => {
      const schema = await storeSchema(store);
      await migrateToLatest(store.db, store.dialect, { schema });
      expect(await appliedMigrations(store)).toEqual(MIGRATIONS.map(([name]) => name));
    });
  });

  describe("on an empty store", () => {
    const current = setupTestStore({ migrate: false });

    it("applies all or nothing: a failing migration leaves no trace of the run", async () => {
      const store = current();
      const schema = await storeSchema(store);
      const broken: ReadonlyArray<readonly [string, VersionedMigration]> = [
        ...MIGRATIONS,
        [
          "9999-broken",
          {
            up: async (db) => {
              await db.schema.createTable("half_done").addColumn("x", "integer").execute();
              throw new Error("boom");
            },
            down: async () => {},
          },
        ],
      ];

      await expect(
        migrateToLatest(store.db, store.dialect, { schema, migrations: broken }),
      ).rejects.toThrow("Database migration 9999-broken failed: boom");
      expect(await columnsOf(store)).toEqual({});
      expect(await appliedMigrations(store)).toEqual([]);
    });
  });
});

const pgUrl = testDatabaseUrl();

describe.runIf(pgUrl)("PostgreSQL instances starting together", () => {
  it("migrate a fresh schema once, and all open", async () => {
    const url = pgUrl ?? "";
    const schema = newSchemaName();
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openDatabase({ databaseUrl: url, schema })),
    );
    try {
      const [first] = stores;
      if (!first) throw new Error("no store");
      expect(await appliedMigrations(first)).toEqual(MIGRATIONS.map(([name]) => name));
      const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(
        first.db,
      );
      expect(rows).toEqual([{ n: MIGRATIONS.length }]);
      for (const store of stores) {
        await expect(store.db.selectFrom("deals").select("id").execute()).resolves.toEqual([]);
      }
    } finally {
      const [first] = stores;
      if (first) await sql`drop schema ${sql.id(schema)} cascade`.execute(first.db);
      for (const store of stores) await store.close();
    }
  });
});
