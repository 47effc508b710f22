import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { setupTestStore } from "../../test-support/db.js";
import { csvBytes, importRows, makeWorld, newDealRow } from "../../test-support/deals.js";
import { findDealsByIds } from "../db/deals-repo.js";
import { dueForExpiry, expireDeals } from "./expire-deals.js";
import { importDeals } from "./import-deals.js";

const store = setupTestStore();

const receive = (orgId: string, rows: Record<string, string>[], now?: Date) =>
  importDeals(store(), {
    actor: { kind: "vendor", orgId },
    bytes: csvBytes(rows),
    ...(now ? { now } : {}),
  });

describe("receiving inbound referrals (vendor side)", () => {
  it("creates New/Received inbound deals with the Microsoft status the vendor sets", async () => {
    const { admin } = await makeWorld(store());
    const s = await receive(admin.orgId, [
      newDealRow({
        "Partner Referral Status": "",
        "Partner Referral Substatus": "",
        "Microsoft Referral Status": "Accepted",
      }),
    ]);
    expect(s).toMatchObject({ created: 1, notProcessed: 0 });
    const [deal] = await findDealsByIds(store().db, admin.orgId, [s.rows[0]?.referralId ?? ""]);
    expect(deal).toMatchObject({
      direction: "inbound",
      status: "New",
      substatus: "Received",
      microsoftStatus: "Accepted",
    });
  });

  it("refuses a Microsoft Referral Status outside the vendor's list", async () => {
    const { admin } = await makeWorld(store());
    const s = await receive(admin.orgId, [
      newDealRow({
        "Partner Referral Status": "",
        "Partner Referral Substatus": "",
        "Microsoft Referral Status": "Maybe",
      }),
    ]);
    expect(s.rows[0]?.errors.map((e) => e.code)).toEqual(["invalid_status"]);
    expect(s.rows[0]?.errors[0]?.message).toContain("'Maybe' is not one of Pending, Accepted");
  });

  it("lets the partner accept or decline (with a reason) an inbound deal", async () => {
    const { admin } = await makeWorld(store());
    const s = await receive(admin.orgId, [
      newDealRow({ "Partner Referral Status": "", "Partner Referral Substatus": "" }),
      newDealRow({ "Partner Referral Status": "", "Partner Referral Substatus": "" }),
    ]);
    const [a, b] = s.rows.map((r) => r.referralId ?? "");
    const r = await importRows(store(), admin, [
      newDealRow({
        "Referral ID": a ?? "",
        "Partner Referral Status": "Active",
        "Partner Referral Substatus": "Accepted",
      }),
      newDealRow({
        "Referral ID": b ?? "",
        "Partner Referral Status": "Closed",
        "Partner Referral Substatus": "Declined",
        "Declined/Lost reason": "5 - Not a customer",
      }),
    ]);
    expect(r.rows.map((x) => x.result)).toEqual(["Updated", "Updated"]);
  });
});

describe("the 14-day expiry", () => {
  it("closes as Expired an inbound deal still New 14 days after it was received, and only that", async () => {
    const { admin } = await makeWorld(store());
    const received = new Date("2026-11-01T09:00:00Z");
    const s = await receive(
      admin.orgId,
      [
        newDealRow({ "Partner Referral Status": "", "Partner Referral Substatus": "" }),
        newDealRow({ "Partner Referral Status": "", "Partner Referral Substatus": "" }),
      ],
      received,
    );
    const [stale, answered] = s.rows.map((r) => r.referralId ?? "");
    await importRows(store(), admin, [
      newDealRow({
        "Referral ID": answered ?? "",
        "Partner Referral Status": "Active",
        "Partner Referral Substatus": "Accepted",
      }),
    ]);
    expect(await expireDeals(store(), new Date("2026-11-15T08:59:59Z"))).toEqual({ expired: 0 });
    expect(await expireDeals(store(), new Date("2026-11-15T09:00:00Z"))).toEqual({ expired: 1 });
    const deals = await findDealsByIds(store().db, admin.orgId, [stale ?? "", answered ?? ""]);
    expect(deals.find((d) => d.id === stale)).toMatchObject({
      status: "Closed",
      substatus: "Expired",
    });
    expect(deals.find((d) => d.id === answered)).toMatchObject({
      status: "Active",
      substatus: "Accepted",
    });
    const audit = await store()
      .db.selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "expire")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ deal_id: stale, actor: "system", source: "system" });
  });

  it("finds the deals due through its partial index, which holds only inbound deals still New", async () => {
    const db = store().db;
    const query = dueForExpiry(db, "2026-11-01T00:00:00.000Z").compile();
    const plan = await db.transaction().execute(async (trx) => {
      if (store().dialect === "sqlite") {
        const { rows } = await trx.executeQuery<{ detail: string }>({
          ...query,
          sql: `explain query plan ${query.sql}`,
        });
        return rows.map((r) => r.detail).join("\n");
      }
      // An empty table is cheaper to scan: ask whether the index can serve the query at all.
      await sql`set local enable_seqscan = off`.execute(trx);
      const { rows } = await trx.executeQuery<{ "QUERY PLAN": string }>({
        ...query,
        sql: `explain ${query.sql}`,
      });
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("deals_expiry_idx");
  });
});
