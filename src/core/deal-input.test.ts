import { describe, expect, it } from "vitest";
import { buildDeal } from "../test-support/build-deal.js";
import { FIELD_KEYS, type FieldKey } from "./columns.js";
import type { Deal } from "./deal.js";
import {
  allowedTransitions,
  type DealInput,
  dealInputRow,
  fieldLocks,
  fieldOfColumn,
  lockReasons,
} from "./deal-input.js";
import { mapHeaders } from "./header-map.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { parseRow } from "./row/parse-row.js";
import { planCreate, planUpdate, type RowContext } from "./row/plan-row.js";

const parsed = (input: DealInput, target: Parameters<typeof dealInputRow>[1]) => {
  const row = dealInputRow(input, target);
  const map = mapHeaders(row.headers);
  const ctx: RowContext = { map, limits: DEFAULT_LIMITS, mode: "import", requiredMember: null };
  return { row, ctx, parsed: parseRow(map, { line: 1, cells: row.cells }, 1, DEFAULT_LIMITS) };
};

const cellsOf = (input: DealInput, target: Parameters<typeof dealInputRow>[1]) => {
  const { headers, cells } = dealInputRow(input, target);
  return Object.fromEntries(headers.map((h, i) => [h, cells[i]]));
};

describe("dealInputRow", () => {
  it("writes JSON values as the cells a file would carry", () => {
    expect(
      cellsOf(
        {
          helpRequired: true,
          shareWithMicrosoft: false,
          value: 1e21,
          closeDate: "2027-05-02",
          notes: null,
          solutions: [{ id: "SOL-1", price: 10 }],
          team: [{ firstName: "Bob", lastName: "Partner", email: "bob@x.example" }],
        },
        { referralId: "REF-1" },
      ),
    ).toEqual({
      "Referral ID": "REF-1",
      "Microsoft help required?": "Yes",
      "Share with Microsoft sales team": "No",
      "Estimated Deal Value": "1000000000000000000000",
      "Estimated Close Date": "05/02/2027",
      Notes: "",
      "Solution 1": "SOL-1, , 10",
      "Team member 1": "Bob, Partner, , bob@x.example",
    });
  });

  it("gives a create row every column, and an emptied list its first column", () => {
    const create = cellsOf({}, { create: true });
    expect(Object.keys(create)).toHaveLength(FIELD_KEYS.length + 2);
    expect(create["Solution 1"]).toBe("");
    expect(cellsOf({ team: [] }, { referralId: "R" })).toEqual({
      "Referral ID": "R",
      "Team member 1": "",
    });
  });

  it("reads text back exactly as sent, formula-looking text included", () => {
    const notes = "=SUM(A1) and '=quoted";
    const { parsed: row } = parsed({ notes, name: "  +1 idea" }, { referralId: "R" });
    expect(row.fields).toMatchObject({ notes, name: "+1 idea" });
  });

  it("leaves a close date it cannot rewrite to the codec, which explains it", () => {
    const { parsed: row } = parsed({ closeDate: "2027-02-30" }, { referralId: "R" });
    expect(row.errors).toEqual([
      expect.objectContaining({ column: "Estimated Close Date", code: "invalid_date" }),
    ]);
    expect(
      parsed({ closeDate: "31/12/2027" }, { referralId: "R" }).parsed.errors[0]?.message,
    ).toMatch(/did you mean 12\/31\/2027/);
  });

  it("names the field behind a row error's column", () => {
    expect(fieldOfColumn("Customer Country")).toBe("customerCountry");
    expect(fieldOfColumn("Declined/Lost reason")).toBe("closeReason");
    expect(fieldOfColumn("Solution 12")).toBe("solutions");
    expect(fieldOfColumn("Team member 3")).toBe("team");
    expect(fieldOfColumn("")).toBeNull();
  });

  it("lets the row rules create a deal from a complete body", () => {
    const { parsed: row, ctx } = parsed(
      {
        name: "Deal",
        customerName: "Contoso",
        customerAddress1: "1 Main St",
        customerCity: "Seattle",
        customerCountry: "US",
        status: "Active",
        substatus: "Accepted",
        value: 0,
        currency: "USD",
        closeDate: "2027-12-31",
        helpRequired: false,
        shareWithMicrosoft: false,
        consent: true,
        solutions: [{ id: "SOL-1" }],
        team: [{ firstName: "A", lastName: "B", email: "a@b.example" }],
      },
      { create: true },
    );
    const outcome = planCreate(row, ctx);
    expect(outcome.result).toBe("Created");
  });
});

/** A value of `key` that differs from `deal`'s and that the field's codec accepts. */
const otherValue = (key: FieldKey, deal: Deal): DealInput[FieldKey] => {
  const current = deal[key];
  if (typeof current === "boolean") return !current;
  const values: Partial<Record<FieldKey, string | number>> = {
    customerCountry: "FR",
    customerDuns: "123456789",
    contactEmail: "other@contoso.example",
    salesStage: 20,
    value: 5,
    currency: "EUR",
    closeDate: "2028-01-01",
    helpType: current === 2 ? 3 : 2,
  };
  return values[key] ?? `other ${key}`;
};

const SHARED = buildDeal({ shareWithMicrosoft: true });
const CO_SELL = buildDeal({
  helpRequired: true,
  shareWithMicrosoft: true,
  helpType: 2,
  notesToMicrosoft: "Please help",
  contactFirstName: "Maria",
  contactLastName: "Lopez",
  contactPhone: "1",
  contactEmail: "maria@fabrikam.example",
});

describe("fieldLocks agrees with the row rules", () => {
  const deals = {
    private: buildDeal(),
    shared: SHARED,
    "co-sell": CO_SELL,
    inbound: buildDeal({ direction: "inbound", status: "New", substatus: "Received" }),
  };
  // The fields a person sends; the system and vendor fields never change through a row.
  const editable = FIELD_KEYS.filter(
    (k) => !["engagementId", "microsoftStatus", "closeReason", "status", "substatus"].includes(k),
  );

  for (const [label, deal] of Object.entries(deals)) {
    it(`locks exactly what an update cannot change (${label} deal)`, () => {
      const locks = lockReasons(deal);
      for (const key of editable) {
        const { parsed: row, ctx } = parsed(
          { [key]: otherValue(key, deal), status: deal.status, substatus: deal.substatus },
          { referralId: deal.id },
        );
        const outcome = planUpdate(row, deal, ctx);
        const changed =
          outcome.result === "Updated" && outcome.changes.some((c) => c.field === key);
        const refused =
          outcome.result === "Not processed" && outcome.errors.some((e) => e.code === "locked");
        // Locked: the change never lands (refused, or undone by an invariant such as help ⇒ shared).
        // Not locked: it may fail other rules, but never as locked.
        if (locks[key] !== undefined) expect(changed, `${label}: ${key}`).toBe(false);
        else expect(refused, `${label}: ${key}`).toBe(false);
      }
    });
  }

  it("locks everything on a terminal deal, with the same reason", () => {
    const locks = fieldLocks(buildDeal({ status: "Closed", substatus: "Won", salesStage: 100 }));
    expect(locks.map((l) => l.field)).toEqual([...FIELD_KEYS, "solutions", "team"]);
    expect(new Set(locks.map((l) => l.lock))).toEqual(new Set(["terminal"]));
    expect(locks[0]?.reason).toBe("The deal is Closed/Won, a terminal state: it accepts no change");
  });

  it("says which lock holds", () => {
    const kinds = Object.fromEntries(fieldLocks(CO_SELL).map((l) => [l.field, l.lock]));
    expect(kinds).toMatchObject({
      engagementId: "system",
      customerName: "after-create",
      contactEmail: "once-shared",
      helpRequired: "once-yes",
      shareWithMicrosoft: "once-yes",
      helpType: "once-set",
      notesToMicrosoft: "once-set",
    });
    expect(kinds.name).toBeUndefined();
  });
});

describe("allowedTransitions", () => {
  const moves = (status: Deal["status"], substatus: Deal["substatus"]) =>
    allowedTransitions({ status, substatus }).map((t) => [t.name, t.reason?.name ?? null]);

  it("offers the partner's moves from each state, with the code list each asks", () => {
    expect(moves("New", "Received")).toEqual([
      ["accept", null],
      ["decline", "Declined/Lost reason"],
      ["close-as-error", "Error reason"],
    ]);
    expect(moves("Active", "Accepted")).toEqual([
      ["win", null],
      ["lose", "Declined/Lost reason"],
      ["close-as-error", "Error reason"],
    ]);
    expect(moves("Closed", "Lost")).toEqual([]);
  });

  it("lists a reason's codes with their labels", () => {
    const error = allowedTransitions({ status: "Active", substatus: "Accepted" }).find(
      (t) => t.name === "close-as-error",
    );
    expect(error?.reason?.codes).toHaveLength(9);
    expect(error?.reason?.codes[0]).toEqual({
      code: 1,
      label: "Duplicate – created through bulk upload",
    });
  });

  it("offers the system's and the vendor's moves only to them", () => {
    expect(
      allowedTransitions({ status: "New", substatus: "Received" }, "system").map((t) => t.name),
    ).toEqual(["expire"]);
    expect(
      allowedTransitions({ status: "New", substatus: "Pending" }, "vendor").map((t) => t.name),
    ).toEqual(["receive"]);
  });
});
