/**
 * One sync at a time per connection, across workers, servers and the CLI: a lease on the
 * connection's row (migration 0014), taken by a conditional UPDATE — free, expired, or already
 * ours — so exactly one caller wins however many try at once, on SQLite and PostgreSQL alike.
 */
import type { Db } from "./db.js";

const until = (ms: number, now: Date) => new Date(now.getTime() + ms).toISOString();

/** Takes (or extends) the lease for `holder`; false when someone else holds a live one. */
export async function takeSyncLease(
  db: Db,
  connectionId: string,
  holder: string,
  ms: number,
  now = new Date(),
): Promise<boolean> {
  const result = await db
    .updateTable("connections")
    .set({ sync_holder: holder, sync_until: until(ms, now) })
    .where("id", "=", connectionId)
    .where((eb) =>
      eb.or([
        eb("sync_holder", "is", null),
        eb("sync_holder", "=", holder),
        eb("sync_until", "<", now.toISOString()),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives the lease back, if `holder` still has it. */
export async function releaseSyncLease(
  db: Db,
  connectionId: string,
  holder: string,
): Promise<void> {
  await db
    .updateTable("connections")
    .set({ sync_holder: null, sync_until: null })
    .where("id", "=", connectionId)
    .where("sync_holder", "=", holder)
    .execute();
}
