/**
 * How the bulk SQL (bulk-write.ts, bulk-read.ts) runs its statements: SQL text handed to
 * Kysely already compiled, and published to whoever listens, since Kysely's plugins do not see
 * such statements. One runner, so both halves are profiled the same way.
 */
import { channel } from "node:diagnostics_channel";
import { CompiledQuery } from "kysely";
import type { Db } from "./db.js";

/** A value as the tables hold it: text, a number (booleans as 0/1) or null. */
export type Cell = string | number | null;

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

/** Runs SQL text with its parameters, published on `bulkStatements` when someone listens. */
export async function runText<R>(db: Db, text: string, params: readonly unknown[]) {
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
}
