/**
 * The search index (migration 0010: FTS5 trigrams on SQLite, pg_trgm on PostgreSQL) finds
 * exactly what `LIKE '%…%'` over every deal found before, and follows every write: imports
 * that create and update, edits through the API's command, deletes.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { DealFilter } from "../../core/deal-filter.js";
import { setupTestStore } from "../../test-support/db.js";
import { importRows, makeWorld, newDealInput, newDealRow } from "../../test-support/deals.js";
import { createDeal, updateDeal } from "../commands/deals.js";
import { countDeals, selectDeals } from "./deal-query.js";
import { searchTextOf } from "./deals-repo.js";

const store = setupTestStore();

const NAMES = [
  ["Tailspin Toys expansion", "Tailspin Toys", "discount of 100% on year one"],
  ["Northwind rollout", "Northwind Traders", 'the "gold" plan, a_b testing'],
  ["Zoë's café renewal", "Café Zoë SARL", "Ünïcode ok"],
  ["Litware pilot", "Litware, Inc.", null],
  ["Contoso migration", "Contoso Ltd", "northwind referral"],
] as const;

const seed = async () => {
  const world = await makeWorld(store());
  const summary = await importRows(
    store(),
    world.admin,
    NAMES.map(([name, customer, notes], i) =>
      newDealRow({
        "Deal Name": name,
        "Customer Name": customer,
        Notes: notes ?? "",
        "CRM ID": `CRM-${i}-X`,
      }),
    ),
  );
  await importRows(store(), world.stranger, [newDealRow({ "Deal Name": "Tailspin elsewhere" })]);
  return { ...world, ids: summary.rows.map((r) => r.referralId ?? "") };
};

/** What the old query found: every deal of the organisation, filtered in JavaScript. */
const byScan = async (orgId: string, filter: DealFilter): Promise<string[]> => {
  const all = await selectDeals(
    store().db,
    { kind: "user", orgId, userId: "", email: "", name: null, role: "admin" },
    { filter: {}, limit: 1000 },
  );
  return all
    .filter(
      (d) =>
        (!filter.search || searchTextOf(d).includes(filter.search.toLowerCase())) &&
        (!filter.customerName ||
          d.customerName.toLowerCase().includes(filter.customerName.toLowerCase())),
    )
    .map((d) => d.name)
    .sort();
};

const TERMS = [
  "tailspin",
  "TAILSPIN",
  "ilsp",
  "spin toys",
  "100%",
  "0% on",
  "a_b",
  '"gold"',
  "zoë",
  "café",
  "crm-3-x",
  "northwind",
  "nothing like it",
];

describe("the search index", () => {
  it.each(TERMS)("finds what a scan finds for %s, in search and customer name", async (term) => {
    const { admin } = await seed();
    for (const filter of [{ search: term }, { customerName: term }] satisfies DealFilter[]) {
      const found = await selectDeals(store().db, admin, { filter, limit: 100 });
      expect(found.map((d) => d.name).sort()).toEqual(await byScan(admin.orgId, filter));
      expect(await countDeals(store().db, admin, filter)).toBe(found.length);
      expect(await countDeals(store().db, admin, filter, 1)).toBe(Math.min(found.length, 2));
    }
  });

  it("keeps short customer-name terms (1–2 characters) working by a scan", async () => {
    const { admin } = await seed();
    for (const term of ["c", "li", "ë", "%"]) {
      const filter = { customerName: term };
      const found = await selectDeals(store().db, admin, { filter, limit: 100 });
      expect(found.map((d) => d.name).sort()).toEqual(await byScan(admin.orgId, filter));
    }
    expect(
      (await selectDeals(store().db, admin, { filter: { customerName: "li" }, limit: 100 })).length,
    ).toBeGreaterThan(0);
  });

  it("follows updates by import and by the API, creations by the API, and deletes", async () => {
    const { admin, ids } = await seed();
    const search = async (term: string) =>
      (await selectDeals(store().db, admin, { filter: { search: term }, limit: 100 }))
        .map((d) => d.name)
        .sort();
    await importRows(store(), admin, [
      newDealRow({
        "Referral ID": ids[0] ?? "",
        "Deal Name": "Renamed by import",
        "Customer Name": "Tailspin Toys",
        Notes: "quokka",
        "CRM ID": "CRM-0-X",
      }),
    ]);
    expect(await search("tailspin toys expansion")).toEqual([]);
    expect(await search("renamed by")).toEqual(["Renamed by import"]);
    expect(await search("quokka")).toEqual(["Renamed by import"]);

    const write = await createDeal(
      store(),
      admin,
      newDealInput({ name: "Axolotl opportunity", customerName: "Wide World Importers" }),
    );
    if (write.result !== "Created") throw new Error(`not created: ${JSON.stringify(write)}`);
    const created = write.view.deal;
    expect(await search("axolotl")).toEqual(["Axolotl opportunity"]);
    expect(
      (await selectDeals(store().db, admin, { filter: { customerName: "world imp" }, limit: 9 }))
        .length,
    ).toBe(1);
    expect(
      (await updateDeal(store(), admin, created.id, 1, { name: "Capybara opportunity" })).result,
    ).toBe("Updated");
    expect(await search("axolotl")).toEqual([]);
    expect(await search("capybara")).toEqual(["Capybara opportunity"]);

    await store().db.deleteFrom("deal_solutions").where("deal_id", "=", created.id).execute();
    await store().db.deleteFrom("deal_team_members").where("deal_id", "=", created.id).execute();
    await store().db.deleteFrom("deals").where("id", "=", created.id).execute();
    expect(await search("capybara")).toEqual([]);

    if (store().dialect === "sqlite") {
      // FTS5 compares its index with the deals' own text, row by row.
      await sql`insert into deals_search (deals_search) values ('integrity-check')`.execute(
        store().db,
      );
    }
  });

  it("is an index PostgreSQL's planner uses for search and customer name", async () => {
    if (store().dialect !== "postgres") return;
    await seed();
    const { rows } = await sql<{ ok: boolean }>`
      select exists (select 1 from pg_extension where extname = 'pg_trgm') as ok`.execute(
      store().db,
    );
    expect(rows[0]?.ok).toBe(true);
    const plan = await store()
      .db.transaction()
      .execute(async (trx) => {
        // A table this small is read faster whole: ask for the plan a large one gets.
        for (const scan of ["seqscan", "indexscan", "indexonlyscan"]) {
          await sql`select set_config(${`enable_${scan}`}, 'off', true)`.execute(trx);
        }
        const lines: string[] = [];
        for (const filter of [{ search: "tailspin" }, { customerName: "northwind" }]) {
          const { rows } = await sql<Record<string, string>>`explain select count(*) from deals
          where ${
            filter.search
              ? sql`search_text like ${`%${filter.search}%`}`
              : sql`lower(customer_name) like ${`%${filter.customerName}%`}`
          }`.execute(trx);
          lines.push(rows.map((r) => Object.values(r).join(" ")).join("\n"));
        }
        return lines.join("\n");
      });
    expect(plan).toContain("deals_search_trgm_idx");
    expect(plan).toContain("deals_customer_trgm_idx");
  });
});
