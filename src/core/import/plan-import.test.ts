/** planImport: the file-level rules (not found, the CRM ID guard, one row per deal). */
import { describe, expect, it } from "vitest";
import { buildDeal } from "../../test-support/build-deal.js";
import {
  newRow,
  exported,
  errorsOf,
  codesOf,
  importOf,
  deal,
  noOutcome,
} from "../../test-support/plan-row.js";

describe("planImport: the file-level rules", () => {
  it("answers not found for a Referral ID the actor cannot see, whatever the reason", () => {
    const [outcome] = importOf([exported(deal)], []);
    expect(errorsOf(outcome ?? noOutcome)).toEqual([
      {
        column: "Referral ID",
        code: "not_found",
        message:
          "Referral ID 'REF-0001' was not found among the deals you can see; check the ID, or empty the cell to create a new deal",
        fr: expect.any(String),
      },
    ]);
  });

  it("takes one row per deal", () => {
    const outcomes = importOf(
      [exported(deal, { Notes: "a" }), exported(deal, { Notes: "b" })],
      [deal],
    );
    expect(outcomes.map((o) => o.result)).toEqual(["Updated", "Not processed"]);
    expect(errorsOf(outcomes[1] ?? noOutcome)[0]?.message).toContain("row 1");
  });

  it("does not create a deal whose CRM ID is taken, by the organisation or by an earlier row", () => {
    const taken = buildDeal({ id: "REF-7", crmId: "CRM-7" });
    const outcomes = importOf(
      [newRow({ "CRM ID": "CRM-7" }), newRow({ "CRM ID": "CRM-8" }), newRow({ "CRM ID": "CRM-8" })],
      [],
      [taken],
    );
    expect(outcomes.map((o) => o.result)).toEqual(["Not processed", "Created", "Not processed"]);
    expect(errorsOf(outcomes[0] ?? noOutcome)[0]?.message).toContain("Referral ID 'REF-7'");
    expect(errorsOf(outcomes[2] ?? noOutcome)[0]?.message).toContain("row 2");
  });

  it("never names a deal the actor cannot see, and counts several matches", () => {
    const hidden = buildDeal({ id: "REF-H", crmId: "CRM-H" });
    const [outcome] = importOf([newRow({ "CRM ID": "CRM-H" })], [], [hidden], { hidden: [hidden] });
    const message = errorsOf(outcome ?? noOutcome)[0]?.message ?? "";
    expect(message).toContain("by a deal of your organisation");
    expect(message).not.toContain("REF-H");
    const twins = [
      buildDeal({ id: "REF-A", crmId: "CRM-2" }),
      buildDeal({ id: "REF-B", crmId: "CRM-2" }),
    ];
    const [two] = importOf([newRow({ "CRM ID": "CRM-2" })], [], twins, { upsertByCrmId: true });
    expect(errorsOf(two ?? noOutcome)[0]?.message).toContain(
      "already belongs to 2 deals (REF-A, REF-B)",
    );
  });

  it("with upsert by CRM ID, updates the one visible deal that has it", () => {
    const current = buildDeal({ id: "REF-U", crmId: "CRM-U" });
    const [outcome] = importOf([newRow({ "CRM ID": "CRM-U", Notes: "upserted" })], [], [current], {
      upsertByCrmId: true,
    });
    expect(outcome?.result).toBe("Updated");
    if (outcome?.result === "Updated") {
      expect(outcome.fields).toMatchObject({ id: "REF-U", notes: "upserted" });
    }
    const [hiddenOne] = importOf([newRow({ "CRM ID": "CRM-U" })], [], [current], {
      upsertByCrmId: true,
      hidden: [current],
    });
    expect(codesOf(hiddenOne ?? noOutcome)).toEqual(["crm_id_duplicate"]);
  });
});
