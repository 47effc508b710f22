/**
 * Sign-in attempts per account in a fixed window (migration 0013), shared by every server
 * process on the database. One statement counts an attempt and answers the count, so two
 * processes counting at once never both read the old value.
 */
import { sql } from "kysely";
import type { Db } from "./db.js";

export interface AttemptCount {
  attempts: number;
  /** When the window began (UTC ISO). */
  windowStart: string;
}

/**
 * Counts one attempt on `accountKey`: a new window starting `now` when there is none or the
 * last one began at or before `windowEndedBefore`; else one more in the current window.
 */
export async function countSignInAttempt(
  db: Db,
  accountKey: string,
  now: string,
  windowEndedBefore: string,
): Promise<AttemptCount> {
  const ended = sql<boolean>`sign_in_failures.window_start <= ${windowEndedBefore}`;
  const row = await db
    .insertInto("sign_in_failures")
    .values({ account_key: accountKey, attempts: 1, window_start: now })
    .onConflict((oc) =>
      oc.column("account_key").doUpdateSet({
        attempts: sql<number>`case when ${ended} then 1 else sign_in_failures.attempts + 1 end`,
        window_start: sql<string>`case when ${ended} then excluded.window_start else sign_in_failures.window_start end`,
      }),
    )
    .returning(["attempts", "window_start"])
    .executeTakeFirstOrThrow();
  return { attempts: Number(row.attempts), windowStart: row.window_start };
}

/** Forgets an account's attempts (after a successful sign-in). */
export async function clearSignInAttempts(db: Db, accountKey: string): Promise<void> {
  await db.deleteFrom("sign_in_failures").where("account_key", "=", accountKey).execute();
}

/** Removes the windows that began at or before `windowEndedBefore`: they count for nothing. */
export async function removeEndedSignInWindows(db: Db, windowEndedBefore: string): Promise<void> {
  await db.deleteFrom("sign_in_failures").where("window_start", "<=", windowEndedBefore).execute();
}
