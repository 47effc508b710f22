/**
 * Bulk writes: hundreds of rows in a few statements whose SQL text is built directly rather
 * than through Kysely's builder (which makes one node per value: ~50,000 of them for a
 * 1,000-row import's audit trail).
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
 * `pipeline` sends a transaction's statements back to back: each is built while the database
 * runs the ones before it. The reads are in bulk-read.ts.
 */
import { type Cell, runText } from "./bulk-statements.js";
import { type Db, isPostgres } from "./db.js";

/** One row to write, by column name; an absent (undefined) value is written as null. */
export type BulkRow = Readonly<Record<string, Cell | undefined>>;

/** Rows per SQLite statement: under its 32,766 parameters for the widest table (deals, ~40). */
const SQLITE_ROWS = 200;

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
    rows.push(...(await runText<R>(db, text, flatten(part, columns))).rows);
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
    await runText(db, `copy ${table} (${list}) from stdin`, [copyData(records, columns)]);
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
    const result = await runText<{ k: string }>(
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
    await runText(
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
