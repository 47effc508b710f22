import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { buildDeal } from "../../test-support/build-deal.js";
import { setupTestStore } from "../../test-support/db.js";
import { importRows, makeWorld, newDealRow } from "../../test-support/deals.js";
import { isPostgres } from "./db.js";
import { countDeals, estimateDeals } from "./deal-query.js";
import { findDealsByCrmIds, findDealsByIds, insertDeals, updateDeals } from "./deals-repo.js";

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
      { before: a, after: { ...a, name: "A2", value: 12.5, helpType: null, version: 2 } },
      // Read at version 2, but the stored deal is at version 1: someone else's change.
      { before: { ...b, version: 2 }, after: { ...b, name: "B2", version: 3 } },
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

describe("reading deals back", () => {
  const store = setupTestStore();

  it("gives back exactly what was written: every double, every character, children in order", async () => {
    const { admin } = await makeWorld(store());
    const deal = buildDeal({
      id: "REF-EXACT",
      orgId: admin.orgId,
      crmId: "CRM-EXACT",
      // 17 significant digits: what SQLite's JSON would round to 15.
      value: 0.1 + 0.2,
      name: 'Quotes " and \\ backslash, tab\t, é, 漢字, emoji 🚀',
      notes: "line one\r\nline two",
      // What COPY's text format would take for null and for the end of the data, unescaped.
      customerState: "\\N",
      customerAddress2: "\\.",
      solutions: [
        { id: "SOL-2", currency: "EUR", price: 1e13 / 3, quantity: 3 },
        { id: "SOL-1", currency: null, price: 5e-324, quantity: null },
      ],
      team: [
        { firstName: "Zoë", lastName: "O'Neil", phone: null, email: "zoe@contoso.example" },
        { firstName: "Al", lastName: "B", phone: "+1 425", email: "al@contoso.example" },
      ],
    });
    await insertDeals(store().db, [deal]);
    expect(await findDealsByIds(store().db, admin.orgId, ["REF-EXACT", "REF-NONE"])).toEqual([
      deal,
    ]);
    expect(await findDealsByCrmIds(store().db, admin.orgId, ["CRM-EXACT"])).toEqual([deal]);
    expect(await findDealsByIds(store().db, "another-org", ["REF-EXACT"])).toEqual([]);
    expect(await findDealsByIds(store().db, admin.orgId, [])).toEqual([]);
  });

  it("writes nothing of a batch that fails, and the store goes on serving", async () => {
    const { admin } = await makeWorld(store());
    const first = buildDeal({ id: "REF-ONE", orgId: admin.orgId });
    await store()
      .db.transaction()
      .execute((trx) => insertDeals(trx, [first]));
    for (let attempt = 0; attempt < 3; attempt++) {
      const batch = [buildDeal({ id: `REF-NEW-${attempt}`, orgId: admin.orgId }), first];
      // The second deal's id is taken: the batch (COPY on PostgreSQL) fails as a whole.
      await expect(
        store()
          .db.transaction()
          .execute((trx) => insertDeals(trx, batch)),
      ).rejects.toThrow();
    }
    const ids = await store().db.selectFrom("deals").select("id").execute();
    expect(ids).toEqual([{ id: "REF-ONE" }]);
    expect(await findDealsByIds(store().db, admin.orgId, ["REF-ONE"])).toEqual([first]);
  });

  it("updates only the child lists that changed, in order", async () => {
    const { admin } = await makeWorld(store());
    const deal = buildDeal({ id: "REF-LISTS", orgId: admin.orgId });
    await insertDeals(store().db, [deal]);
    const after = {
      ...deal,
      version: 2,
      solutions: [
        { id: "SOL-B", currency: "USD", price: 2.5, quantity: 1 },
        { id: "SOL-A", currency: null, price: null, quantity: null },
      ],
    };
    expect(await updateDeals(store().db, [{ before: deal, after }])).toEqual([]);
    expect(await findDealsByIds(store().db, admin.orgId, ["REF-LISTS"])).toEqual([after]);
    // Items dropped from the end, changed in the middle, added: position by position.
    const member = (n: number) => ({
      firstName: `F${n}`,
      lastName: `L${n}`,
      phone: null,
      email: `m${n}@contoso.example`,
    });
    const third = {
      ...after,
      version: 3,
      solutions: [],
      team: [member(1), member(2), member(3)],
    };
    const fourth = { ...third, version: 4, team: [member(1), member(9)] };
    expect(await updateDeals(store().db, [{ before: after, after: third }])).toEqual([]);
    expect(await updateDeals(store().db, [{ before: third, after: fourth }])).toEqual([]);
    expect(await findDealsByIds(store().db, admin.orgId, ["REF-LISTS"])).toEqual([fourth]);
  });
});

describe("the planner's estimate of how many deals a list holds", () => {
  const store = setupTestStore();

  it("is PostgreSQL's guess from its statistics (no rows read), and null on SQLite", async () => {
    const { admin } = await makeWorld(store());
    const rows = Array.from({ length: 40 }, (_, i) =>
      newDealRow({ "Deal Name": `Estimated ${i}`, "CRM ID": `EST-${i}` }),
    );
    await importRows(store(), admin, rows);
    const db = store().db;
    if (!isPostgres(db)) {
      expect(await estimateDeals(db, admin, { tab: "outbound" })).toBeNull();
      return;
    }
    await sql`ANALYZE deals`.execute(db);
    const estimate = await estimateDeals(db, admin, { tab: "outbound" });
    expect(await countDeals(db, admin, { tab: "outbound" })).toBe(40);
    // A guess, not a count: near the truth once the table is analysed.
    expect(estimate).toBeGreaterThanOrEqual(20);
    expect(estimate).toBeLessThanOrEqual(80);
  });
});
