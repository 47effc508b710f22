/**
 * Free-text search and the customer-name filter through an index instead of a `LIKE '%…%'`
 * over every deal (docs/decisions/0010-search-index.md has the measurements).
 *
 * SQLite: an FTS5 table with the trigram tokenizer over `search_text` and `customer_name`,
 * external content (the text stays in `deals`, the index holds trigrams only) keyed by the
 * deals' rowid, kept in step by triggers — so every statement that writes a deal, in whatever
 * module, updates the index in its own transaction. A later migration that rebuilds `deals`
 * (new rowids) must end with the `rebuild` command below.
 *
 * PostgreSQL: `pg_trgm` GIN indexes on the same two expressions the query already filters
 * on, so its `LIKE` uses them unchanged. The extension is created in `public` (never in a
 * store's own schema, whose drop would take every other schema's indexes with it). Where it
 * cannot be created (not installed on the server, or a user without the right), the
 * migration still succeeds without the indexes: search stays correct, as slow as before.
 */
import { type Kysely, sql } from "kysely";
import type { StoreDialect } from "../store.js";
import type { VersionedMigration } from "./versioned-migration.js";

/** The schema pg_trgm lives in, or null when the server does not have it installed. */
export async function trigramSchema(db: Kysely<unknown>): Promise<string | null> {
  const { rows } = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pg_trgm'`.execute(db);
  return rows[0]?.schema ?? null;
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  if ((await trigramSchema(db)) === null) {
    // In a block of its own: a refusal (no such extension, no privilege, a concurrent
    // creation) is caught there, and the migration's transaction goes on.
    await sql`do $$ begin
      create extension if not exists pg_trgm with schema public;
    exception when others then
      raise notice 'pg_trgm is not available (%): search runs without an index', sqlerrm;
    end $$`.execute(db);
  }
  const schema = await trigramSchema(db);
  if (schema === null) return;
  const ops = sql`${sql.id(schema)}.gin_trgm_ops`;
  await sql`create index deals_search_trgm_idx on deals using gin (search_text ${ops})`.execute(db);
  await sql`create index deals_customer_trgm_idx on deals using gin (lower(customer_name) ${ops})`.execute(
    db,
  );
}

async function upSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`create virtual table deals_search using fts5(
    search_text, customer_name, content = 'deals', content_rowid = 'rowid', tokenize = 'trigram'
  )`.execute(db);
  await sql`insert into deals_search (deals_search) values ('rebuild')`.execute(db);
  await sql`create trigger deals_search_insert after insert on deals begin
    insert into deals_search (rowid, search_text, customer_name)
      values (new.rowid, new.search_text, new.customer_name);
  end`.execute(db);
  await sql`create trigger deals_search_delete after delete on deals begin
    insert into deals_search (deals_search, rowid, search_text, customer_name)
      values ('delete', old.rowid, old.search_text, old.customer_name);
  end`.execute(db);
  // Only when the indexed text changes: most updates (status, value, dates) leave it alone.
  await sql`create trigger deals_search_update after update of search_text, customer_name on deals
  when old.search_text is not new.search_text or old.customer_name is not new.customer_name begin
    insert into deals_search (deals_search, rowid, search_text, customer_name)
      values ('delete', old.rowid, old.search_text, old.customer_name);
    insert into deals_search (rowid, search_text, customer_name)
      values (new.rowid, new.search_text, new.customer_name);
  end`.execute(db);
}

async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect === "postgres") await upPostgres(db);
  else await upSqlite(db);
}

async function down(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect === "postgres") {
    await sql`drop index if exists deals_search_trgm_idx`.execute(db);
    await sql`drop index if exists deals_customer_trgm_idx`.execute(db);
    return;
  }
  for (const trigger of ["deals_search_insert", "deals_search_delete", "deals_search_update"]) {
    await sql`drop trigger if exists ${sql.id(trigger)}`.execute(db);
  }
  await sql`drop table if exists deals_search`.execute(db);
}

export const searchIndex: VersionedMigration = { up, down };
