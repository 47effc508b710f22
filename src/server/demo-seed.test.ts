import { describe, expect, it } from "vitest";
import { dealType } from "../core/deal.js";
import { openTestStore, setupTestStore } from "../test-support/db.js";
import { makeWorld } from "../test-support/deals.js";
import { verifyPassword } from "./auth/password.js";
import { actorByEmail } from "./commands/accounts.js";
import { countDeals } from "./db/deal-query.js";
import { findDealsByIds } from "./db/deals-repo.js";
import type { Store } from "./db/store.js";
import { DEMO_ADMIN_EMAIL, DEMO_ORG, DEMO_USER_EMAIL } from "./demo-data.js";
import { seedDemo } from "./demo-seed.js";

const store = setupTestStore();

const NOW = new Date("2026-11-24T09:00:00Z");

const allDeals = async (s: Store) => {
  const ids = await s.db.selectFrom("deals").select("id").execute();
  const org = await s.db.selectFrom("organizations").select("id").executeTakeFirstOrThrow();
  return findDealsByIds(
    s.db,
    org.id,
    ids.map((d) => d.id),
  );
};

describe("the demo organisation", () => {
  it("has a Referrals admin and user whose passwords are the ones returned", async () => {
    const demo = await seedDemo(store(), { now: NOW });
    expect(demo).toMatchObject({
      org: DEMO_ORG,
      admin: { email: DEMO_ADMIN_EMAIL, generatedPassword: expect.any(String) },
      user: { email: DEMO_USER_EMAIL, generatedPassword: expect.any(String) },
      deals: { outbound: 45, inbound: 15 },
    });
    const users = await store()
      .db.selectFrom("users")
      .select(["email", "role", "password_hash"])
      .orderBy("email")
      .execute();
    expect(users.map((u) => [u.email, u.role])).toEqual([
      [DEMO_ADMIN_EMAIL, "admin"],
      [DEMO_USER_EMAIL, "user"],
    ]);
    const hash = users.find((u) => u.role === "admin")?.password_hash ?? "";
    expect(await verifyPassword(demo?.admin.generatedPassword ?? "", hash)).toBe(true);
  });

  it("takes the admin's email and password when given, and does not repeat the password", async () => {
    const demo = await seedDemo(store(), {
      adminEmail: "Boss@Partner.example",
      adminPassword: "s3cret-demo-pass",
    });
    expect(demo?.admin).toEqual({ email: "boss@partner.example", generatedPassword: null });
  });

  it("holds realistic deals: both directions, many countries, every type and status", async () => {
    await seedDemo(store(), { now: NOW });
    const deals = await allDeals(store());
    expect(deals).toHaveLength(60);
    const tally = (key: (d: (typeof deals)[number]) => string) => {
      const counts: Record<string, number> = {};
      for (const d of deals) counts[key(d)] = (counts[key(d)] ?? 0) + 1;
      return counts;
    };
    expect(tally((d) => `${d.direction} ${d.status}/${d.substatus}`)).toEqual({
      "outbound Active/Accepted": 37,
      "outbound Closed/Won": 7,
      "outbound Closed/Lost": 1,
      "inbound New/Received": 7,
      "inbound Active/Accepted": 4,
      "inbound Closed/Won": 2,
      "inbound Closed/Declined": 1,
      "inbound Closed/Error": 1,
    });
    expect(Object.keys(tally((d) => d.customerCountry)).length).toBeGreaterThanOrEqual(8);
    expect(Object.keys(tally((d) => d.currency)).length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(tally(dealType)).sort()).toEqual(["Co-sell", "Partner-led", "Private"]);
    expect(deals.filter((d) => d.solutions.length >= 2).length).toBeGreaterThan(5);
    expect(deals.filter((d) => d.team.length >= 2).length).toBeGreaterThan(5);
    expect(deals.find((d) => d.substatus === "Lost")?.closeReason).toBe(3);
    expect(deals.filter((d) => d.substatus === "Won").every((d) => d.salesStage === 100)).toBe(
      true,
    );
  });

  it("has every deal's history in the audit trail", async () => {
    await seedDemo(store(), { now: NOW });
    const events = await store()
      .db.selectFrom("audit_events")
      .select(["deal_id", "action"])
      .where("action", "in", ["create", "receive"])
      .execute();
    expect(events).toHaveLength(60);
    expect(new Set(events.map((e) => e.deal_id)).size).toBe(60);
  });

  it("gives the Referrals user some deals and not the others", async () => {
    await seedDemo(store(), { now: NOW });
    const user = await actorByEmail(store(), DEMO_USER_EMAIL);
    const mine = await countDeals(store().db, user, {});
    expect(mine).toBeGreaterThan(5);
    expect(mine).toBeLessThan(60);
  });

  it("is the same data on every machine", async () => {
    await seedDemo(store(), { now: NOW });
    const other = await openTestStore();
    try {
      await seedDemo(other, { now: NOW });
      const shape = async (s: Store) =>
        (await allDeals(s))
          .map((d) => [d.name, d.customerCountry, d.value, d.closeDate, d.substatus, d.team.length])
          .sort();
      expect(await shape(other)).toEqual(await shape(store()));
    } finally {
      await other.close();
    }
  });

  it("is not created on a store that has an organisation, nor twice", async () => {
    expect(await seedDemo(store(), { now: NOW })).not.toBeNull();
    expect(await seedDemo(store(), { now: NOW })).toBeNull();
    const fresh = await openTestStore();
    try {
      await makeWorld(fresh);
      expect(await seedDemo(fresh)).toBeNull();
      expect(await fresh.db.selectFrom("deals").select("id").execute()).toHaveLength(0);
    } finally {
      await fresh.close();
    }
  });
});
