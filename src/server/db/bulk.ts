/**
 * Bulk reads and writes: hundreds of rows in a few statements whose SQL text is built
 * directly rather than through Kysely's builder (which makes one node per value: ~50,000
 * of them for a 1,000-row import's audit trail).
 *
 * Writes go the way each dialect parses fastest:
 * - SQLite: multi-row `VALUES (?, …), …` in chunks of a fixed size, so the statement text
 *   repeats and the store's statement cache (open-sqlite.ts) prepares it once;
 * - PostgreSQL: inserts as COPY … FROM STDIN (`copyData`, streamed by the pool wrapper of
 *   prepared.ts), which the database parses twice as fast as JSON; updates and deletes with
 *   the whole batch as one JSON parameter, `json_populate_recordset(null::table, $1)`, typed by
 *   the table itself — one short statement instead of tens of thousands of parameters.
 * Values are what the tables hold: text, numbers (booleans as 0/1) or null.
 *
 * Reads come back as one JSON text aggregated by the database (`selectJson`, and `selectArraysOf`
 * on SQLite).
 *
 * `pipeline` sends a transaction's statements back to back: each is built while the database
 * runs the ones before it.
 */
import { channel } from "node:diagnostics_channel";
import { CompiledQuery, sql } from "kysely";
import type { Db } from "./deals-repo.js";

export type Cell = string | number | null;
/** One row to write, by column name; an absent (undefined) value is written as null. */
export type BulkRow = Readonly<Record<string, Cell | undefined>>;

/** Rows per SQLite statement: under its 32,766 parameters for the widest table (deals, ~40). */
const SQLITE_ROWS = 200;

const dialects = new WeakMap<object, boolean>();

/** Whether `db` speaks PostgreSQL (numbered placeholders) — read once from how it compiles. */
export const isPostgres = (db: Db): boolean => {
  const executor = db.getExecutor();
  let pg = dialects.get(executor.adapter);
  if (pg === undefined) {
    pg = sql`${0}`.compile(db).sql !== "?";
    dialects.set(executor.adapter, pg);
  }
  return pg;
};

/**
 * A statement this module ran: its SQL and when it was handed over and when its result was
 * back (`performance.now()`); in a transaction, where statements run one at a time in the
 * order handed over (`pipeline`), it may have waited for the one before.
 */
export interface BulkStatement {
  text: string;
  start: number;
  end: number;
  inTransaction: boolean;
}

/**
 * Every statement run here, published when someone listens (the benchmarks' profile does:
 * Kysely's plugins do not see statements handed over already compiled).
 */
export const bulkStatements = channel("cosell:bulk-statements");

const run = async <R>(db: Db, text: string, params: readonly unknown[]) => {
  const query = CompiledQuery.raw(text, [...params]);
  if (!bulkStatements.hasSubscribers) return db.executeQuery<R>(query);
  const start = performance.now();
  const result = await db.executeQuery<R>(query);
  const done: BulkStatement = {
    text,
    start,
    end: performance.now(),
    inTransaction: db.isTransaction,
  };
  bulkStatements.publish(done);
  return result;
};

/** One statement (or a few, for SQLite's chunks) to send when `pipeline` says so. */
export type Step = () => Promise<unknown>;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `steps` in order. In a transaction on PostgreSQL, without waiting for each to finish:
 * a step builds its statement (JSON of up to thousands of rows, milliseconds of JavaScript)
 * and hands it over, the event loop turns so that it leaves on the connection, and the next
 * step is built while the database runs it. Kysely's transaction has one connection and sends
 * its statements one at a time, in the order they were handed over, so the order holds. A
 * failed statement stops the building of the rest (PostgreSQL refuses them anyway: the
 * transaction is aborted) and its error is the one thrown. Elsewhere — SQLite answers
 * synchronously, and outside a transaction statements could take different connections —
 * each step waits for the one before.
 */
export async function pipeline(db: Db, steps: readonly Step[]): Promise<void> {
  if (!db.isTransaction || !isPostgres(db)) {
    for (const step of steps) await step();
    return;
  }
  const sent: Promise<unknown>[] = [];
  let failed = false;
  for (const step of steps) {
    if (failed) break;
    const statement = step();
    statement.catch(() => {
      failed = true;
    });
    sent.push(statement);
    await nextTurn();
  }
  await Promise.all(sent);
}

/**
 * Rows as one JSON parameter for `json_populate_recordset`, already encoded: a Buffer goes
 * out in binary format, which for `json` is the UTF-8 text itself. Encoded here, the work is
 * done while the statement before it runs (`pipeline`), not when the driver sends it.
 */
const jsonParam = (records: readonly BulkRow[]): Buffer => Buffer.from(JSON.stringify(records));

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
};
const copyEscape = (ch: string): string => COPY_ESCAPES[ch] ?? ch;

/** A value in COPY's text format: `\N` for null, backslash, tab and line breaks escaped. */
const copyValue = (v: Cell | undefined): string => {
  if (v === null || v === undefined) return "\\N";
  if (typeof v === "number") return String(v);
  return COPY_SPECIAL.test(v) ? v.replace(COPY_SPECIALS, copyEscape) : v;
};

/**
 * Rows in COPY's text format, already encoded (done while the statement before runs, as
 * for `jsonParam`): one line per row, values in `columns` order separated by tabs. A number
 * prints as JavaScript prints it, which PostgreSQL reads back to the same double.
 */
export const copyData = (records: readonly BulkRow[], columns: readonly string[]): Buffer => {
  const lines: string[] = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i] ?? {};
    let line = "";
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c] ?? "";
      line += c === 0 ? copyValue(r[column]) : `\t${copyValue(r[column])}`;
    }
    lines[i] = line;
  }
  return Buffer.from(`${lines.join("\n")}\n`);
};

/** `(?, ?, …), (?, ?, …)`: `rows` tuples of `width` placeholders. */
const tuples = (rows: number, width: number): string => {
  const tuple = `(${new Array<string>(width).fill("?").join(",")})`;
  return new Array<string>(rows).fill(tuple).join(",");
};

/**
 * Runs `statement` on SQLite for each chunk of `records`: its text for the chunk's size
 * (`tuples` of `width` placeholders) and the chunk's values in `columns` order.
 */
async function eachSqliteChunk<R>(
  db: Db,
  records: readonly BulkRow[],
  columns: readonly string[],
  statement: (tuples: string) => string,
): Promise<R[]> {
  const rows: R[] = [];
  for (let i = 0; i < records.length; i += SQLITE_ROWS) {
    const part = records.slice(i, i + SQLITE_ROWS);
    const text = statement(tuples(part.length, columns.length));
    rows.push(...(await run<R>(db, text, flatten(part, columns))).rows);
  }
  return rows;
}

/** The values of `records` in `columns` order, one flat list. */
const flatten = (records: readonly BulkRow[], columns: readonly string[]): Cell[] => {
  const out: Cell[] = [];
  for (const r of records) for (const c of columns) out.push(r[c] ?? null);
  return out;
};

/** Inserts `records` (each holding every one of `columns`) into `table`. */
export async function insertMany(
  db: Db,
  table: string,
  columns: readonly string[],
  records: readonly BulkRow[],
): Promise<void> {
  if (records.length === 0) return;
  const list = columns.join(",");
  if (isPostgres(db)) {
    await run(db, `copy ${table} (${list}) from stdin`, [copyData(records, columns)]);
    return;
  }
  await eachSqliteChunk(
    db,
    records,
    columns,
    (values) => `insert into ${table} (${list}) values ${values}`,
  );
}

/**
 * Updates rows of `table` found by `keys` (all of them must match), setting `columns` from
 * each record; `guard` adds one more condition on the current row, written against the
 * table as `t` and the new values as `v` (e.g. an expected version). Returns the first key
 * of each row written.
 */
export async function updateMany(
  db: Db,
  table: string,
  keys: readonly string[],
  columns: readonly string[],
  records: readonly BulkRow[],
  guard?: string,
): Promise<string[]> {
  if (records.length === 0) return [];
  const [first] = keys;
  if (!first) throw new Error("updateMany needs a key");
  const set = columns.map((c) => `${c} = v.${c}`).join(",");
  const where = [...keys.map((k) => `t.${k} = v.${k}`), ...(guard ? [guard] : [])].join(" and ");
  if (isPostgres(db)) {
    const result = await run<{ k: string }>(
      db,
      `update ${table} as t set ${set} from json_populate_recordset(null::${table}, $1) as v
       where ${where} returning t.${first} as k`,
      [jsonParam(records)],
    );
    return result.rows.map((r) => r.k);
  }
  // SQLite's RETURNING sees the updated table alone, by its name: hence `${first}` unqualified.
  const fields = [...keys, ...columns];
  const written = await eachSqliteChunk<{ k: string }>(
    db,
    records,
    fields,
    (values) => `with v (${fields.join(",")}) as (values ${values})
       update ${table} as t set ${set} from v where ${where} returning ${first} as k`,
  );
  return written.map((r) => r.k);
}

/** Deletes the rows of `table` found by `keys` (e.g. deal and position), one record each. */
export async function deleteMany(
  db: Db,
  table: string,
  keys: readonly string[],
  records: readonly BulkRow[],
): Promise<void> {
  if (records.length === 0) return;
  const list = keys.join(",");
  if (isPostgres(db)) {
    await run(
      db,
      `delete from ${table} where (${list}) in (select ${list} from json_populate_recordset(null::${table}, $1))`,
      [jsonParam(records)],
    );
    return;
  }
  await eachSqliteChunk(
    db,
    records,
    keys,
    (values) => `delete from ${table} where (${list}) in (values ${values})`,
  );
}

/** Values per SQLite `IN (…)` list: well under its 32,766 parameters. */
const SQLITE_IN = 10_000;

/** `?` placeholders numbered `$1, $2, …` for PostgreSQL. */
const numbered = (text: string): string => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** A column to read, and whether it holds a REAL (double) — see `jsonValue`. */
export interface ReadColumn {
  name: string;
  real?: boolean;
}

/**
 * SQLite's JSON prints a REAL with 15 significant digits, which does not always give the
 * same double back; `%!.17g` always does. Null stays null. (PostgreSQL's JSON prints the
 * shortest exact form by itself.)
 */
const jsonValue = (c: ReadColumn): string =>
  c.real ? `iif(${c.name} is null, null, printf('%!.17g', ${c.name}))` : c.name;

/** A JSON array text read from the database (or one already parsed), as an array. */
export const jsonArray = (json: unknown): unknown[] => {
  const parsed: unknown = typeof json === "string" ? JSON.parse(json) : json;
  if (!Array.isArray(parsed)) throw new Error("expected a JSON array from the database");
  return parsed;
};

/** Rows of another table to nest in each row, as one JSON array of `columns`. */
export interface NestedRows {
  from: string;
  columns: readonly ReadColumn[];
  /** How a nested row meets its parent, e.g. `deal_id = d.id`. */
  on: string;
  orderBy: string;
}

export interface JsonQuery {
  columns: readonly ReadColumn[];
  /** A table, with an alias when `children` refer to it. */
  from: string;
  /**
   * The condition, with `?` placeholders for `params`, given how to say "is one of `values`"
   * (`match`: `= any(?)` or `in (?, …)`), e.g. ``(match) => `org_id = ? and id ${match}` ``.
   */
  where: (match: string) => string;
  params?: readonly Cell[];
  values: readonly string[];
  children?: readonly NestedRows[];
  orderBy?: string;
}

/** `json_array(…)` / `json_build_array(…)` of these columns and extra expressions. */
const jsonTuple = (pg: boolean, columns: readonly ReadColumn[], extra: readonly string[] = []) =>
  `${pg ? "json_build_array" : "json_array"}(${[...columns.map((c) => (pg ? c.name : jsonValue(c))), ...extra].join(", ")})`;

/** The aggregate of JSON values into one array, `[]` when there are none. */
const jsonAgg = (pg: boolean, value: string, orderBy: string | undefined) => {
  const order = orderBy ? ` order by ${orderBy}` : "";
  return pg
    ? `coalesce(json_agg(${value}${order}), '[]'::json)`
    : `json_group_array(${value}${order})`;
};

/** `select <the rows as one JSON array> as j from …`: text on PostgreSQL, so both dialects agree. */
const jsonSelect = (
  pg: boolean,
  columns: readonly ReadColumn[],
  nested: readonly string[],
  orderBy: string | undefined,
): string =>
  `select ${jsonAgg(pg, jsonTuple(pg, columns, nested), orderBy)}${pg ? "::text" : ""} as j`;

/**
 * The rows of `select <columns> from <from> where <where>`, each one JSON
 * array of its columns followed by one array per `children` entry, read as one JSON text
 * that the database aggregates and `JSON.parse` reads here. The drivers build a JavaScript
 * object per row and per column slowly (1,000 deals: 12 ms of rows against 4 ms of JSON on
 * SQLite, 13.5 against 8.6 ms on PostgreSQL); `JSON.parse` is fast. PostgreSQL gets the
 * list as one array parameter; SQLite gets `IN` lists of up to 10,000. (json_build_array
 * takes at most 100 arguments: a deal's 37 columns fit.)
 */
export async function selectJson(db: Db, query: JsonQuery): Promise<unknown[]> {
  const { values } = query;
  if (values.length === 0) return [];
  const pg = isPostgres(db);
  const select = `${selectOf(pg, query)} where`;
  const params = query.params ?? [];
  if (pg) {
    const text = numbered(`${select} ${query.where("= any(?::text[])")}`);
    const result = await run<{ j: unknown }>(db, text, [...params, textArray(values)]);
    return jsonArray(result.rows[0]?.j);
  }
  const rows: unknown[] = [];
  for (let i = 0; i < values.length; i += SQLITE_IN) {
    const part = values.slice(i, i + SQLITE_IN);
    const list = new Array<string>(part.length).fill("?").join(",");
    const text = `${select} ${query.where(`in (${list})`)}`;
    const result = await run<{ j: unknown }>(db, text, [...params, ...part]);
    rows.push(...jsonArray(result.rows[0]?.j));
  }
  return rows;
}

/** `select <the rows as one JSON array> as j from <from>`, with its nested children. */
const selectOf = (pg: boolean, query: JsonQuery): string => {
  const nested = (query.children ?? []).map(
    (c) =>
      `(select ${jsonAgg(pg, jsonTuple(pg, c.columns), c.orderBy)} from ${c.from} where ${c.on})`,
  );
  return `${jsonSelect(pg, query.columns, nested, query.orderBy)} from ${query.from}`;
};

const arrayTexts = new WeakMap<readonly string[], string>();

/**
 * A text[] parameter as PostgreSQL's array literal, written once per list: the import's
 * look-ups send one list of 1,000 ids to three statements, which node-pg would escape three
 * times (1 ms each).
 */
const textArray = (values: readonly string[]): string => {
  let text = arrayTexts.get(values);
  if (text === undefined) {
    text = `{${values.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;
    arrayTexts.set(values, text);
  }
  return text;
};

/**
 * The rows of a query built elsewhere (compiled by Kysely), each an array of `columns`
 * (which it must select), in `orderBy` order. SQLite aggregates them into one JSON text, for
 * the same reason as `selectJson`; PostgreSQL sends rows, which for a sorted page of 5,000
 * deals measured faster than the JSON it would build (171 against 194 ms with children).
 */
export async function selectArraysOf(
  db: Db,
  inner: CompiledQuery,
  columns: readonly ReadColumn[],
  orderBy: string,
): Promise<unknown[]> {
  if (isPostgres(db)) {
    const result = await run<Record<string, unknown>>(db, inner.sql, inner.parameters);
    return result.rows.map((row) => columns.map((c) => row[c.name]));
  }
  const text = `${jsonSelect(false, columns, [], orderBy)} from (${inner.sql}) as q`;
  const result = await run<{ j: unknown }>(db, text, inner.parameters);
  return jsonArray(result.rows[0]?.j);
}
