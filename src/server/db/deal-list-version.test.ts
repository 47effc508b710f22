import { describe, expect, it } from "vitest";
import { setupTestStore } from "../../test-support/db.js";
import {
  csvBytes,
  importRows,
  makeWorld,
  newDealInput,
  newDealRow,
} from "../../test-support/deals.js";
import { createDeal, setFavorite, updateDeal } from "../commands/deals.js";
import { expireDeals } from "../commands/expire-deals.js";
import { importDeals } from "../commands/import-deals.js";
import { setMicrosoftStatus } from "../commands/vendor.js";
import { bumpDealListVersion, readDealListVersion } from "./deal-list-version.js";

const store = setupTestStore();

/** Runs `write` and returns by how much it moved the organisation's version. */
const bumps = async (orgId: string, write: () => Promise<unknown>): Promise<number> => {
  const before = await readDealListVersion(store().db, orgId);
  await write();
  return (await readDealListVersion(store().db, orgId)) - before;
};

const receive = (orgId: string, rows: Record<string, string>[], now?: Date) =>
  importDeals(store(), {
    actor: { kind: "vendor", orgId },
    bytes: csvBytes(
      rows.map((r) => ({ ...r, "Partner Referral Status": "", "Partner Referral Substatus": "" })),
    ),
    ...(now ? { now } : {}),
  });

describe("the deal list version", () => {
  it("is 0 before the organisation's first write", async () => {
    const { admin } = await makeWorld(store());
    expect(await readDealListVersion(store().db, admin.orgId)).toBe(0);
  });

  it("moves with every command that changes what the list shows, and only in its organisation", async () => {
    const { admin, stranger } = await makeWorld(store());
    const org = admin.orgId;
    const other = await readDealListVersion(store().db, stranger.orgId);

    let id = "";
    expect(
      await bumps(org, async () => {
        const s = await importRows(store(), admin, [newDealRow()]);
        id = s.rows[0]?.referralId ?? "";
      }),
    ).toBe(1);
    expect(
      await bumps(org, () =>
        importRows(store(), admin, [newDealRow({ "Referral ID": id, "Deal Name": "Renamed" })]),
      ),
    ).toBe(1);
    expect(
      await bumps(org, async () => {
        const w = await createDeal(store(), admin, newDealInput());
        expect(w).toMatchObject({ result: "Created" });
        if (w.result === "Created") id = w.view.deal.id;
      }),
    ).toBe(1);
    expect(
      await bumps(org, async () => {
        const w = await updateDeal(store(), admin, id, null, { name: "Edited" });
        expect(w).toMatchObject({ result: "Updated" });
      }),
    ).toBe(1);
    expect(await bumps(org, () => setFavorite(store(), admin, id, true))).toBe(1);
    expect(await bumps(org, () => setFavorite(store(), admin, id, false))).toBe(1);
    expect(
      await bumps(org, () => setMicrosoftStatus(store(), { dealId: id, status: "Accepted" })),
    ).toBe(1);
    expect(await bumps(org, () => receive(org, [newDealRow()]))).toBe(1);

    expect(await readDealListVersion(store().db, stranger.orgId)).toBe(other);
  });

  it("moves when the expiry closes an organisation's inbound deals", async () => {
    const { admin } = await makeWorld(store());
    await receive(admin.orgId, [newDealRow()], new Date("2026-01-01T00:00:00Z"));
    const moved = await bumps(admin.orgId, async () => {
      expect(await expireDeals(store(), new Date("2026-02-01T00:00:00Z"))).toEqual({ expired: 1 });
    });
    expect(moved).toBe(1);
  });

  it("stays when nothing is written: a dry run, an unchanged edit", async () => {
    const { admin } = await makeWorld(store());
    const s = await importRows(store(), admin, [newDealRow()]);
    const id = s.rows[0]?.referralId ?? "";
    expect(
      await bumps(admin.orgId, () =>
        importRows(store(), admin, [newDealRow({ "Deal Name": "Other" })], { dryRun: true }),
      ),
    ).toBe(0);
    expect(
      await bumps(admin.orgId, () =>
        updateDeal(store(), admin, id, null, { name: "Contoso cloud migration" }),
      ),
    ).toBe(0);
  });

  it("is bumped only inside the transaction that writes", async () => {
    const { admin } = await makeWorld(store());
    await expect(bumpDealListVersion(store().db, admin.orgId)).rejects.toThrow(/transaction/);
    // A transaction that rolls back takes its bump with it.
    await expect(
      store()
        .db.transaction()
        .execute(async (trx) => {
          await bumpDealListVersion(trx, admin.orgId);
          throw new Error("rolled back");
        }),
    ).rejects.toThrow("rolled back");
    expect(await readDealListVersion(store().db, admin.orgId)).toBe(0);
  });

  it("counts every one of concurrent bumps", async () => {
    const { admin } = await makeWorld(store());
    await Promise.all(
      Array.from({ length: 8 }, () =>
        store()
          .db.transaction()
          .execute((trx) => bumpDealListVersion(trx, admin.orgId)),
      ),
    );
    expect(await readDealListVersion(store().db, admin.orgId)).toBe(8);
  });
});
