import { describe, expect, it } from "vitest";
import { setupTestStore } from "../../test-support/db.js";
import { importRows, makeWorld, newDealRow } from "../../test-support/deals.js";
import { countDeals } from "./deal-query.js";
import { findDealsByIds, updateDeals } from "./deals-repo.js";

describe("batched deal updates", () => {
  const store = setupTestStore();

  it("writes every deal whose version is the expected one, returns the others untouched", async () => {
    const { admin } = await makeWorld(store());
    const s = await importRows(store(), admin, [
      newDealRow({ "Deal Name": "A" }),
      newDealRow({ "Deal Name": "B" }),
    ]);
    const deals = await findDealsByIds(
      store().db,
      admin.orgId,
      s.rows.map((r) => r.referralId ?? ""),
    );
    const [a, b] = deals;
    if (!a || !b) throw new Error("seed failed");
    const conflicts = await updateDeals(store().db, [
      {
        deal: { ...a, name: "A2", value: 12.5, helpType: null, version: 2 },
        expectedVersion: 1,
        lists: true,
      },
      { deal: { ...b, name: "B2", version: 3 }, expectedVersion: 2, lists: false },
    ]);
    expect(conflicts).toEqual([b.id]);
    const after = await findDealsByIds(store().db, admin.orgId, [a.id, b.id]);
    expect(after.find((d) => d.id === a.id)).toMatchObject({
      name: "A2",
      value: 12.5,
      version: 2,
      team: a.team,
    });
    expect(after.find((d) => d.id === b.id)).toMatchObject({ name: b.name, version: 1 });
  });
});

describe("counting the matches of a list", () => {
  const store = setupTestStore();

  it("counts exactly, or stops one past a cap", async () => {
    const { admin } = await makeWorld(store());
    await importRows(store(), admin, [newDealRow(), newDealRow(), newDealRow()]);
    expect(await countDeals(store().db, admin, {})).toBe(3);
    expect(await countDeals(store().db, admin, {}, 10)).toBe(3);
    expect(await countDeals(store().db, admin, {}, 1)).toBe(2);
  });
});
