/**
 * The PostgreSQL pool as Kysely sees it, with what Kysely cannot say itself: prepared (named)
 * statements for the statements that opt in, and COPY … FROM STDIN for bulk.ts's inserts.
 *
 * node-pg sends every statement unnamed, so PostgreSQL parses and plans it on every call. For
 * the credential look-up that every request runs (a three-table join on unique keys), planning
 * costs several times the execution: ~130 µs of the database's CPU per call unnamed, ~45 µs
 * named, measured on this machine. A named statement is parsed and planned once per connection.
 *
 * Only statements whose best plan does not depend on their parameters may opt in — look-ups by
 * a unique key. After five runs PostgreSQL may switch a named statement to a generic plan, one
 * chosen without the parameters' values: for the list's filtered count that was a sequential
 * scan, 5 ms → 37 ms (measured). Hence an explicit opt-in, not a cache of every statement.
 */
import { createHash } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { type PostgresPool, type PostgresPoolClient, sql } from "kysely";
import type { Pool, PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";

const MARKER = "/* prepared */";

/**
 * Appended to a query (`.modifyEnd(PREPARED)`) to run it as a named statement on PostgreSQL.
 * A comment: SQLite runs the same text (it prepares every statement anyway).
 */
export const PREPARED = sql.raw(MARKER);

const nameOf = (text: string): string =>
  `cosell_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;

/**
 * `copy <table> (<columns>) from stdin` with one parameter, the rows in COPY's text format
 * (bulk.ts, `copyData`): PostgreSQL's fastest way in, which Kysely cannot express.
 */
const isCopy = (text: string, values: readonly unknown[]): values is [Buffer] =>
  text.startsWith("copy ") && values.length === 1 && Buffer.isBuffer(values[0]);

/** Streams `data` into a COPY … FROM STDIN; resolves as a query result once the server took it. */
const copyIn = async (client: PoolClient, text: string, data: Buffer) => {
  const stream = client.query(copyFrom(text));
  await pipeline(async function* () {
    yield data;
  }, stream);
  return { command: "COPY", rowCount: stream.rowCount, rows: [] };
};

/**
 * The pool as Kysely sees it: statements that end with the PREPARED marker go out named (one
 * name per text, so their number is that of the opted-in queries), and COPY statements
 * (`isCopy`) stream their data. The same wrapper is returned for the same connection each
 * time, as Kysely keys its connections by client.
 */
export const withPreparedStatements = (pool: Pool): PostgresPool => {
  const wrappers = new WeakMap<PoolClient, PostgresPoolClient>();
  const names = new Map<string, string>();
  const named = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = nameOf(text);
      names.set(text, name);
    }
    return name;
  };
  const wrap = (client: PoolClient): PostgresPoolClient => {
    // Kysely calls query(sql, parameters) only: its cursor form needs a `cursor` in the dialect.
    const query = (text: string, parameters: readonly unknown[]) => {
      const values = [...parameters];
      if (isCopy(text, values)) return copyIn(client, text, values[0]);
      return text.endsWith(MARKER)
        ? client.query({ name: named(text), text, values })
        : client.query(text, values);
    };
    // pg's result is Kysely's PostgresQueryResult with `command` typed wider (string); Kysely's
    // own dialect takes pg's clients as they are, so this one is passed the same way.
    return {
      query: query as unknown as PostgresPoolClient["query"],
      release: () => client.release(),
    };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
};
