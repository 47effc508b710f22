/**
 * Drift checks between the deal model, the code that maps it to rows and the migrated tables:
 * the columns written and read are exactly the tables', and a deal whose every field holds a
 * value of its own comes back field for field — so a column added to a migration and not to the
 * mapping (or the other way round), or two swapped columns, cannot compile and pass.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Deal } from "../../core/deal.js";
import { buildDeal } from "../../test-support/build-deal.js";
import { setupTestStore } from "../../test-support/db.js";
import { makeWorld } from "../../test-support/deals.js";
import { DEAL_COLUMNS } from "./deal-json.js";
import {
  dealToRow,
  findDealsByIds,
  insertDeals,
  SOLUTION_COLUMNS,
  TEAM_COLUMNS,
} from "./deals-repo.js";
import type { Store } from "./store.js";

/** A table's columns as the migrations left it, sorted. */
const tableColumns = async (store: Store, table: string): Promise<string[]> => {
  const query =
    store.dialect === "postgres"
      ? sql<{ name: string }>`select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table}`
      : sql<{ name: string }>`select name from pragma_table_info(${table})`;
  const { rows } = await query.execute(store.db);
  return rows.map((r) => r.name).sort();
};

describe("the deal columns", () => {
  const store = setupTestStore();

  it("written and read are exactly the migrated tables' (the search text is written only)", async () => {
    const written = Object.keys(dealToRow(buildDeal())).sort();
    expect(written).toEqual(await tableColumns(store(), "deals"));
    expect([...DEAL_COLUMNS, "search_text"].sort()).toEqual(written);
    expect([...SOLUTION_COLUMNS].sort()).toEqual(await tableColumns(store(), "deal_solutions"));
    expect([...TEAM_COLUMNS].sort()).toEqual(await tableColumns(store(), "deal_team_members"));
  });

  it("read back a deal whose every field holds a value of its own, field for field", async () => {
    const { admin } = await makeWorld(store());
    // Every field distinct from every other (and from buildDeal's), so a swap shows; the three
    // flags cannot all differ in one deal, so a second deal flips them.
    const deal: Deal = buildDeal({
      id: "REF-DISTINCT-1",
      orgId: admin.orgId,
      direction: "inbound",
      createdAt: "2026-11-01T01:01:01.001Z",
      updatedAt: "2026-11-02T02:02:02.002Z",
      receivedAt: "2026-11-03T03:03:03.003Z",
      version: 7,
      engagementId: "ENG-DISTINCT-2",
      name: "name-3",
      customerName: "customer-4",
      customerAddress1: "address1-5",
      customerAddress2: "address2-6",
      customerCity: "city-7",
      customerState: "state-8",
      customerPostalCode: "postal-9",
      customerCountry: "FR",
      customerDuns: "123456789",
      contactFirstName: "first-10",
      contactLastName: "last-11",
      contactPhone: "phone-12",
      contactEmail: "contact-13@example.test",
      status: "New",
      substatus: "Received",
      microsoftStatus: "Pending",
      closeReason: 14,
      salesStage: 15,
      value: 16.25,
      currency: "EUR",
      closeDate: "2027-01-17",
      crmId: "crm-18",
      campaignId: "campaign-19",
      notes: "notes-20",
      helpRequired: true,
      helpType: 21,
      shareWithMicrosoft: false,
      notesToMicrosoft: "to-microsoft-22",
      consent: false,
      solutions: [
        { id: "SOL-23", currency: "GBP", price: 24.5, quantity: 25 },
        { id: "SOL-26", currency: "CHF", price: 27.75, quantity: 28 },
      ],
      team: [
        { firstName: "tf-29", lastName: "tl-30", phone: "tp-31", email: "t32@example.test" },
        { firstName: "tf-33", lastName: "tl-34", phone: null, email: "t35@example.test" },
      ],
    });
    const flipped: Deal = {
      ...deal,
      id: "REF-DISTINCT-36",
      engagementId: "ENG-DISTINCT-37",
      helpRequired: false,
      shareWithMicrosoft: true,
    };
    await insertDeals(store().db, [deal, flipped]);
    const back = await findDealsByIds(store().db, admin.orgId, [deal.id, flipped.id]);
    expect(back.find((d) => d.id === deal.id)).toEqual(deal);
    expect(back.find((d) => d.id === flipped.id)).toEqual(flipped);
  });
});
