/**
 * The version of an organisation's deal list (table `deal_list_versions`): what a cached list
 * page or count is keyed by. Every transaction that changes what the list shows — deals, their
 * solutions and team, favourites — bumps it before it commits, so the new version and the new
 * rows become visible together: a reader that sees version N gets data at least as new as N,
 * and a page cached under an older version is never served again. Several server processes
 * on one PostgreSQL agree, because each reads the version from the database on every request.
 */
import type { Db } from "./db.js";

/** The organisation's current version (0 before its first write). One primary-key lookup. */
export const readDealListVersion = async (db: Db, orgId: string): Promise<number> => {
  const row = await db
    .selectFrom("deal_list_versions")
    .select("version")
    .where("org_id", "=", orgId)
    .executeTakeFirst();
  return row?.version ?? 0;
};

/**
 * Bumps the version of these organisations, inside the transaction that wrote to their deals.
 * Call it after the transaction's last write to deals: on PostgreSQL the bump locks the
 * organisation's row until COMMIT, and taking that lock last keeps it short and keeps a
 * transaction from waiting on it while holding deal rows another one is waiting for.
 */
export const bumpDealListVersion = async (
  trx: Db,
  orgIds: string | readonly string[],
): Promise<void> => {
  if (!trx.isTransaction) {
    throw new Error("bumpDealListVersion must run in the transaction that writes the deals");
  }
  // One order for every transaction, so two that bump the same organisations cannot deadlock.
  const ids = [...new Set(typeof orgIds === "string" ? [orgIds] : orgIds)].sort();
  for (const orgId of ids) {
    await trx
      .insertInto("deal_list_versions")
      .values({ org_id: orgId, version: 1 })
      .onConflict((oc) =>
        oc
          .column("org_id")
          .doUpdateSet((eb) => ({ version: eb("deal_list_versions.version", "+", 1) })),
      )
      .execute();
  }
};
