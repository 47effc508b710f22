import { describe, expect, it } from "vitest";
import { readCsv } from "../../core/csv/index.js";
import { parseDealFilter } from "../../core/deal-filter.js";
import { setupTestStore } from "../../test-support/db.js";
import { importRows, makeWorld, newDealRow } from "../../test-support/deals.js";
import { exportDeals } from "./export-deals.js";

const store = setupTestStore();

const names = (csv: string): string[] => {
  const { header, records } = readCsv(csv);
  const at =
    header.indexOf("Deal Name") >= 0
      ? header.indexOf("Deal Name")
      : header.indexOf("Nom de la transaction");
  return records.map((r) => r.cells[at] ?? "");
};

const seed = async () => {
  const world = await makeWorld(store());
  await importRows(store(), world.admin, [
    newDealRow({
      "Deal Name": "US private",
      "Customer Country": "US",
      "Share with Microsoft sales team": "No",
    }),
    newDealRow({
      "Deal Name": "FR partner-led",
      "Customer Country": "FR",
      "Customer Name": "Litware SA",
    }),
    newDealRow({
      "Deal Name": "DE co-sell",
      "Customer Country": "DE",
      "Microsoft help required?": "Yes",
      "What specific help from Microsoft?": "1",
      "Customer Contact First Name": "A",
      "Customer Contact Last Name": "B",
      "Customer Contact Phone number": "1",
      "Customer Contact Email Address": "a@b.example",
      "Solution 1": "SOL-9",
      "Solution 2": "SOL-10",
      "Team member 2": "Ana, Silva, , ana.silva@contoso.example",
    }),
  ]);
  await importRows(store(), world.stranger, [newDealRow({ "Deal Name": "Fabrikam secret" })]);
  return world;
};

describe("export", () => {
  it("exports the organisation's deals, newest first, and nothing of another organisation", async () => {
    const { admin } = await seed();
    const r = await exportDeals(store(), { actor: admin, filter: {} });
    expect(r).toMatchObject({ count: 3, leftOut: 0 });
    expect(names(r.csv).sort()).toEqual(["DE co-sell", "FR partner-led", "US private"]);
    expect(r.csv).not.toContain("Fabrikam secret");
  });

  it("gives a Referrals user only the deals whose team they are on", async () => {
    const { user } = await seed();
    const r = await exportDeals(store(), { actor: user, filter: {} });
    expect(names(r.csv)).toEqual(["DE co-sell"]);
  });

  it("honours the filters", async () => {
    const { admin } = await seed();
    const run = async (input: Parameters<typeof parseDealFilter>[0]) =>
      names(
        (await exportDeals(store(), { actor: admin, filter: parseDealFilter(input) })).csv,
      ).sort();
    expect(await run({ countries: "us,fr" })).toEqual(["FR partner-led", "US private"]);
    expect(await run({ type: "private" })).toEqual(["US private"]);
    expect(await run({ type: "Co-sell" })).toEqual(["DE co-sell"]);
    expect(await run({ type: "partner-led" })).toEqual(["FR partner-led"]);
    expect(await run({ solutionId: "SOL-10" })).toEqual(["DE co-sell"]);
    expect(await run({ customerName: "litware" })).toEqual(["FR partner-led"]);
    expect(await run({ search: "co-sell" })).toEqual(["DE co-sell"]);
    expect(await run({ status: "Active" })).toHaveLength(3);
    expect(await run({ status: "Won" })).toEqual([]);
    expect(await run({ tab: "inbound" })).toEqual([]);
    expect(await run({ tab: "outbound" })).toHaveLength(3);
    expect(await run({ tab: "favorites" })).toEqual([]);
  });

  it("refuses a search shorter than 3 characters and an unknown country", () => {
    expect(() => parseDealFilter({ search: "ab" })).toThrow(/3 characters/);
    expect(() => parseDealFilter({ countries: "USA" })).toThrow(/did you mean US/);
  });

  it("caps the file and says how many were left out", async () => {
    const { admin } = await seed();
    const limits = {
      importRows: 1000,
      exportRecords: 2,
      solutionsPerDeal: 50,
      teamMembersPerDeal: 50,
      uploadBytes: 5e6,
      cellChars: 32000,
    };
    const r = await exportDeals(store(), { actor: admin, filter: {}, limits });
    expect(r).toMatchObject({ count: 2, leftOut: 1 });
  });

  it("writes French headers on request, and as many Solution and Team member columns as the widest deal", async () => {
    const { admin } = await seed();
    const r = await exportDeals(store(), { actor: admin, filter: {}, lang: "fr" });
    const { header } = readCsv(r.csv);
    expect(header).toContain("Nom de la transaction");
    expect(header.filter((h) => h.startsWith("Solution "))).toEqual(["Solution 1", "Solution 2"]);
    expect(header.filter((h) => h.startsWith("Membre de l'équipe"))).toEqual([
      "Membre de l'équipe 1",
      "Membre de l'équipe 2",
    ]);
    expect(r.csv.startsWith("\uFEFF")).toBe(true);
  });
});
