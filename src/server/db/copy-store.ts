/**
 * `cosell db copy`: moves everything from the embedded store into an empty PostgreSQL
 * database, so a team that started on SQLite grows without re-entering data. The tables are
 * read from the schema itself (whatever migrations added, the copy includes), in foreign-key
 * order, with every value and id kept — password hashes, tokens, files, the audit trail —
 * so exports from both stores are identical and people sign in with the same passwords.
 * One transaction on the target: a failed copy leaves it as empty as it was.
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import { RequestError } from "../../core/errors.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

export interface CopyProgress {
  table: string;
  copied: number;
  total: number;
}

export interface CopyOptions {
  /** The target already has cosell's tables (all empty): copy into them anyway. */
  force?: boolean;
  onProgress?: (progress: CopyProgress) => void;
  /** Rows per INSERT at most (the parameter limit may lower it). */
  batchRows?: number;
}

export interface CopiedTable {
  name: string;
  rows: number;
}

/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 65_535;

/** Kysely's own bookkeeping: the target has its own, written by its migrations. */
const isBookkeeping = (name: string): boolean => name.startsWith("kysely_");

interface SourceTable {
  name: string;
  columns: string[];
  /** Tables this one's foreign keys point at. */
  references: string[];
}

const rowsOf = async <T>(db: Kysely<Database>, query: RawBuilder<T>): Promise<T[]> =>
  (await query.execute(db)).rows;

/**
 * The source's tables with their columns, without FTS5's virtual tables and the shadow
 * tables behind them: the target keeps its search index its own way (migration 0010).
 */
async function sourceTables(db: Kysely<Database>): Promise<SourceTable[]> {
  const all = await rowsOf(
    db,
    sql<{ name: string; sql: string | null }>`
      select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'
      order by name`,
  );
  const virtual = all
    .filter((t) => /^create\s+virtual\s+table/i.test(t.sql ?? ""))
    .map((t) => t.name);
  const tables = all.filter(
    (t) =>
      !isBookkeeping(t.name) && !virtual.some((v) => t.name === v || t.name.startsWith(`${v}_`)),
  );
  const out: SourceTable[] = [];
  for (const { name } of tables) {
    const columns = await rowsOf(
      db,
      sql<{ name: string }>`select name from pragma_table_info(${name}) order by cid`,
    );
    const keys = await rowsOf(
      db,
      sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`,
    );
    out.push({
      name,
      columns: columns.map((c) => c.name),
      references: [...new Set(keys.map((k) => k.table))].filter((t) => t !== name),
    });
  }
  return out;
}

/** Parents before children, so every foreign key finds its row. */
function inDependencyOrder(tables: readonly SourceTable[]): SourceTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: SourceTable[] = [];
  const visit = (table: SourceTable, path: readonly string[]) => {
    if (done.has(table.name)) return;
    if (path.includes(table.name)) {
      throw new Error(`foreign keys form a cycle: ${[...path, table.name].join(" → ")}`);
    }
    for (const parent of table.references) {
      const next = byName.get(parent);
      if (next) visit(next, [...path, table.name]);
    }
    done.add(table.name);
    out.push(table);
  };
  for (const table of tables) visit(table, []);
  return out;
}

async function targetColumns(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const rows = await rowsOf(
    db,
    sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      order by c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const { table_name, column_name } of rows) {
    if (isBookkeeping(table_name)) continue;
    tables.set(table_name, [...(tables.get(table_name) ?? []), column_name]);
  }
  return tables;
}

async function countRows(db: Kysely<Database>, table: string): Promise<number> {
  const [row] = await rowsOf(
    db,
    sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`,
  );
  return Number(row?.n ?? 0);
}

/** The target schema's tables (cosell's, if it was migrated before) and how many rows each holds. */
export async function inspectTarget(
  target: Kysely<Database>,
): Promise<{ tables: number; rows: CopiedTable[] }> {
  const tables = [...(await targetColumns(target)).keys()];
  const rows: CopiedTable[] = [];
  for (const name of tables) rows.push({ name, rows: await countRows(target, name) });
  return { tables: tables.length, rows };
}

/**
 * Refuses a target that holds data, or (without `force`) one that already has cosell's
 * tables: copying there could meet a half-configured deployment. Run before migrating it.
 */
export async function checkTargetEmpty(target: Kysely<Database>, force: boolean): Promise<void> {
  const { tables, rows } = await inspectTarget(target);
  const holding = rows.filter((t) => t.rows > 0);
  if (holding.length > 0) {
    throw new RequestError(
      "conflict",
      `the target database already holds data (${holding.map((t) => `${t.name}: ${t.rows}`).join(", ")}); nothing was copied. Copy into an empty database or schema`,
    );
  }
  if (tables > 0 && !force) {
    throw new RequestError(
      "conflict",
      "the target schema already has tables (all of them empty); nothing was copied. Pass --force to copy into them, or use an empty database or schema",
    );
  }
}

/**
 * Copies every table of `source` (SQLite) into `target` (PostgreSQL, migrated to the same
 * version and empty: see `checkTargetEmpty`), then compares the row counts of every table.
 */
export async function copyStore(
  source: Store,
  target: Store,
  options: CopyOptions = {},
): Promise<CopiedTable[]> {
  if (source.dialect !== "sqlite" || target.dialect !== "postgres") {
    throw new RequestError(
      "invalid_argument",
      "db copy copies the embedded store (SQLite) into PostgreSQL",
    );
  }
  await checkTargetEmpty(target.db, true);
  const tables = inDependencyOrder(await sourceTables(source.db));
  const targets = await targetColumns(target.db);
  const mismatch = [
    ...tables
      .filter((t) => {
        const columns = targets.get(t.name);
        return !columns || [...columns].sort().join() !== [...t.columns].sort().join();
      })
      .map((t) => t.name),
    ...[...targets.keys()].filter((name) => !tables.some((t) => t.name === name)),
  ];
  if (mismatch.length > 0) {
    throw new RequestError(
      "conflict",
      `the two stores' tables differ (${mismatch.join(", ")}): run the same cosell version on both`,
    );
  }

  const copied: CopiedTable[] = [];
  await target.db.transaction().execute(async (trx) => {
    for (const table of tables) {
      const total = await countRows(source.db, table.name);
      const batch = Math.max(
        1,
        Math.min(options.batchRows ?? 2000, Math.floor(MAX_PARAMETERS / table.columns.length)),
      );
      const columns = sql.join(table.columns.map((c) => sql.ref(c)));
      let done = 0;
      let after: number | null = null;
      options.onProgress?.({ table: table.name, copied: 0, total });
      for (;;) {
        // By rowid, which every cosell table has: each batch starts where the last ended.
        const rows: Record<string, unknown>[] = await rowsOf(
          source.db,
          sql<
            Record<string, unknown>
          >`select rowid as "__rowid", ${columns} from ${sql.table(table.name)}
            ${after === null ? sql`` : sql`where rowid > ${after}`} order by rowid limit ${batch}`,
        );
        const last = rows.at(-1)?.__rowid;
        if (rows.length === 0 || typeof last !== "number") break;
        await sql`insert into ${sql.table(table.name)} (${columns}) values ${sql.join(
          rows.map((row) => sql`(${sql.join(table.columns.map((c) => toPostgres(row[c])))})`),
        )}`.execute(trx);
        done += rows.length;
        after = last;
        options.onProgress?.({ table: table.name, copied: done, total });
      }
      await advanceSequences(trx, table.name, table.columns);
      copied.push({ name: table.name, rows: done });
    }
    for (const table of copied) {
      const there = await countRows(trx, table.name);
      const here = await countRows(source.db, table.name);
      if (there !== here || there !== table.rows) {
        throw new Error(
          `${table.name}: ${here} rows in the embedded store, ${there} in PostgreSQL after the copy; nothing was copied`,
        );
      }
    }
  });
  return copied;
}

/** libsql hands blobs over as ArrayBuffers, which node-pg would send as JSON: bytea wants a Buffer. */
function toPostgres(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value);
  return value;
}

/** Identity columns (the audit trail's id) go on after the highest id copied, not from 1. */
async function advanceSequences(
  db: Kysely<Database>,
  table: string,
  columns: readonly string[],
): Promise<void> {
  for (const column of columns) {
    const [row] = await rowsOf(
      db,
      sql<{ seq: string | null }>`select pg_get_serial_sequence(${`"${table}"`}, ${column}) as seq`,
    );
    if (!row?.seq) continue;
    await sql`select setval(${row.seq}, coalesce((select max(${sql.ref(column)}) from ${sql.table(
      table,
    )}), 0) + 1, false)`.execute(db);
  }
}
