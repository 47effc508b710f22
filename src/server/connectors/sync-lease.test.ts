/**
 * One sync at a time per connection (the lease of migration 0014), against the real simulator
 * and the real store: two syncs started together both succeed — the second waits — with the
 * rotating refresh token spent by one at a time and nothing duplicated on either side.
 */
import { describe, expect, it } from "vitest";
import { setupTestStore } from "../../test-support/db.js";
import { makeWorld, newDealInput } from "../../test-support/deals.js";
import { connectToSimulator, setupSimulator } from "../../test-support/partner-center.js";
import { takeSyncLease } from "../db/sync-lease.js";
import { createDeal } from "../commands/deals.js";
import { SyncBusyError, syncOne } from "./sync-organization.js";

const getStore = setupTestStore();
const getSim = setupSimulator();

const setup = async () => {
  const world = await makeWorld(getStore());
  const connectionId = await connectToSimulator(getStore(), world, getSim());
  return { world, connectionId };
};

describe("one sync at a time per connection", () => {
  it("makes a second sync wait for the first: both succeed and nothing is duplicated", async () => {
    const { world, connectionId } = await setup();
    await createDeal(getStore(), world.admin, newDealInput({ name: "Créée une seule fois" }));
    const [a, b] = await Promise.all([
      syncOne(getStore(), connectionId),
      syncOne(getStore(), connectionId),
    ]);
    for (const r of [a, b]) {
      expect(r.reachable).toBe(true);
      expect(r.errors).toEqual([]);
    }
    expect(a.pulled.created + b.pulled.created).toBe(12);
    expect(a.pushed.created + b.pushed.created).toBe(1);
    expect(
      getSim()
        .hooks.referrals()
        .filter((x) => x.name === "Créée une seule fois"),
    ).toHaveLength(1);
    expect((await getStore().db.selectFrom("deals").select("id").execute()).length).toBe(13);
    // The lease is given back: the next sync starts at once.
    const row = await getStore()
      .db.selectFrom("connections")
      .select(["sync_holder", "sync_until"])
      .where("id", "=", connectionId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ sync_holder: null, sync_until: null });
  });

  it("gives up while another holds a live lease, and takes one its holder left to expire", async () => {
    const { connectionId } = await setup();
    expect(await takeSyncLease(getStore().db, connectionId, "crashed-worker", 60_000)).toBe(true);
    expect(await takeSyncLease(getStore().db, connectionId, "another", 60_000)).toBe(false);
    await expect(syncOne(getStore(), connectionId, { waitMs: 300 })).rejects.toBeInstanceOf(
      SyncBusyError,
    );
    // The holder crashed: its lease runs out, and the next sync takes it.
    await takeSyncLease(getStore().db, connectionId, "crashed-worker", -1000);
    const result = await syncOne(getStore(), connectionId, { waitMs: 300 });
    expect(result.pulled.created).toBe(12);
  });
});
