/**
 * The store's query handle and the few helpers every repository shares. It lives apart from
 * any repository so that the bulk SQL, the repositories and the commands all lean on it
 * rather than on each other.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "./schema.js";

/** The database, or a transaction on it: what every repository function takes. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Rows per multi-row statement: under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const CHUNK = 400;

/** `items` in slices of `size`, in order. */
export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const dialects = new WeakMap<object, boolean>();

/** Whether `db` speaks PostgreSQL (numbered placeholders) — read once from how it compiles. */
export function isPostgres(db: Db): boolean {
  const executor = db.getExecutor();
  let pg = dialects.get(executor.adapter);
  if (pg === undefined) {
    pg = sql`${0}`.compile(db).sql !== "?";
    dialects.set(executor.adapter, pg);
  }
  return pg;
}

/** Runs `work` in the caller's transaction, or in a new one when `db` is not one. */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
