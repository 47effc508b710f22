/**
 * planUpdate: what a row leaves alone and clears, status changes, terminal deals, the stale-row
 * check (Last Modified alone, and the Version column).
 */
import { describe, expect, it } from "vitest";
import { buildDeal } from "../../test-support/build-deal.js";
import type { Deal } from "../deal.js";
import {
  update,
  exported,
  errorsOf,
  codesOf,
  fieldsOf,
  expectUnchanged,
  CO_SELL,
  PARTNER_LED,
  ANA,
  deal,
  won,
} from "../../test-support/plan-row.js";

describe("planUpdate: what a row leaves alone and what it clears", () => {
  it("changes nothing when the exported row comes back untouched, in English and French", () => {
    for (const d of [deal, buildDeal(CO_SELL), buildDeal(PARTNER_LED), won]) {
      expectUnchanged(update(d, exported(d)));
      expectUnchanged(update(d, exported(d, {}, "fr")));
    }
  });

  it("leaves a field alone when its column is absent", () => {
    const current = buildDeal({ notes: "keep me", crmId: "CRM-1", campaignId: "CAMP" });
    const outcome = update(current, {
      "Referral ID": current.id,
      "Partner Referral Status": "Active",
      "Partner Referral Substatus": "Accepted",
      "Deal Name": "Renamed",
    });
    expect(outcome.result).toBe("Updated");
    expect(fieldsOf(outcome)).toEqual({
      ...current,
      name: "Renamed",
    });
    if (outcome.result === "Updated") {
      expect(outcome.changes).toEqual([
        {
          field: "name",
          column: "Deal Name",
          header: "Deal Name",
          from: "Contoso cloud migration",
          to: "Renamed",
        },
      ]);
    }
  });

  it.each([
    ["Notes", "notes"],
    ["CRM ID", "crmId"],
    ["Marketing Campaign ID", "campaignId"],
    ["Sales Stage", "salesStage"],
  ] as const)("clears the optional %s when its cell is empty", (header, key) => {
    const current = buildDeal({ notes: "n", crmId: "c", campaignId: "m", salesStage: 40 });
    const outcome = update(current, exported(current, { [header]: "" }));
    expect(outcome.result).toBe("Updated");
    expect(fieldsOf(outcome)[key]).toBeNull();
  });

  it.each([
    "Deal Name",
    "Estimated Deal Value",
    "Currency",
    "Estimated Close Date",
    "Microsoft help required?",
    "Share with Microsoft sales team",
    "Partner Referral Status",
    "Partner Referral Substatus",
    "Customer Name",
    "Consent to share Customer/Partner contact",
  ])("refuses to clear the mandatory %s", (header) => {
    const outcome = update(deal, exported(deal, { [header]: "" }));
    expect(errorsOf(outcome)).toEqual([
      {
        column: header,
        code: "required",
        message: `Mandatory field ${header} missing`,
        fr: `Champ obligatoire ${header} manquant`,
      },
    ]);
  });

  it("requires the status and substatus on an update even when their columns are absent", () => {
    const outcome = update(deal, { "Referral ID": deal.id, Notes: "x" });
    expect(errorsOf(outcome).map((e) => e.message)).toEqual([
      "Mandatory field Partner Referral Status missing",
      "Mandatory field Partner Referral Substatus missing",
    ]);
  });

  it("refuses a row whose Solution and Team member cells are all empty, but not one without those columns", () => {
    const emptied = update(deal, exported(deal, { "Solution 1": "", "Team member 1": "" }));
    expect(errorsOf(emptied).map((e) => e.message)).toEqual([
      "Mandatory field Solution 1 missing",
      "Mandatory field Team member 1 missing",
    ]);
    const absent = update(
      deal,
      exported(deal, { "Solution 1": undefined, "Team member 1": undefined }),
    );
    expectUnchanged(absent);
  });

  it("replaces the solutions and the team with the row's, in order", () => {
    const outcome = update(
      deal,
      exported(deal, {
        "Solution 1": "SOL-2",
        "Solution 2": "SOL-3, EUR, 1.5",
        "Team member 1": "Chen, Wei, , chen.wei@contoso.example",
      }),
    );
    expect(fieldsOf(outcome).solutions).toEqual([
      { id: "SOL-2", currency: null, price: null, quantity: null },
      { id: "SOL-3", currency: "EUR", price: 1.5, quantity: null },
    ]);
    if (outcome.result !== "Updated") throw new Error(outcome.result);
    expect(outcome.changes.map((c) => [c.header, c.from, c.to])).toEqual([
      ["Solution 1", "SOL-1234-PQRS, USD, 10, 100", "SOL-2"],
      ["Solution 2", null, "SOL-3, EUR, 1.5"],
      [
        "Team member 1",
        "Bob, Partner, 999999, bob.partner@contoso.example",
        "Chen, Wei, , chen.wei@contoso.example",
      ],
    ]);
  });

  it("keeps the Referrals user on the team of a deal they edit", () => {
    const current = buildDeal({ team: [ANA] });
    const outcome = update(
      current,
      exported(current, { "Team member 1": "Chen, Wei, , chen.wei@contoso.example" }),
      { requiredMember: ANA },
    );
    expect(fieldsOf(outcome).team.map((m) => m.email)).toEqual([
      "chen.wei@contoso.example",
      "ana.silva@contoso.example",
    ]);
    expectUnchanged(update(current, exported(current), { requiredMember: ANA }));
  });

  it("names changes by the file's French header and the canonical English one", () => {
    const outcome = update(deal, exported(deal, { "Nom de la transaction": "Nouveau nom" }, "fr"));
    if (outcome.result !== "Updated") throw new Error(outcome.result);
    expect(outcome.changes).toEqual([
      {
        field: "name",
        column: "Nom de la transaction",
        header: "Deal Name",
        from: "Contoso cloud migration",
        to: "Nouveau nom",
      },
    ]);
  });
});

describe("planUpdate: status changes", () => {
  const inbound = buildDeal({ status: "New", substatus: "Received", direction: "inbound" });
  const move = (d: Deal, status: string, substatus: string, reason?: string) =>
    update(
      d,
      exported(d, {
        "Partner Referral Status": status,
        "Partner Referral Substatus": substatus,
        ...(reason === undefined ? {} : { "Declined/Lost reason": reason }),
      }),
    );

  it("takes New/Accepted on an Active/Accepted deal as no change", () => {
    expectUnchanged(move(deal, "New", "Accepted"));
    expectUnchanged(move(deal, "Nouveau", "Acceptée"));
  });

  it("accepts an inbound deal, ignoring a reason on that row", () => {
    const outcome = move(inbound, "Active", "Accepted", "6");
    expect(fieldsOf(outcome)).toMatchObject({
      status: "Active",
      substatus: "Accepted",
      closeReason: null,
    });
  });

  it("ignores the reason column, even an unreadable one, on a row that does not close the deal", () => {
    expectUnchanged(move(deal, "Active", "Accepted", "6"));
    expectUnchanged(move(deal, "Active", "Accepted", "no reason at all"));
  });

  it.each([
    ["Closed", "Declined", "1", 1],
    ["Fermé", "Refusé", "8 - Others", 8],
    ["Closed", "Error", "9", 9],
  ] as const)(
    "closes an inbound deal as %s/%s with reason %s",
    (status, substatus, reason, code) => {
      expect(fieldsOf(move(inbound, status, substatus, reason)).closeReason).toBe(code);
    },
  );

  it.each([
    ["Declined", ""],
    ["Declined", "9"],
    ["Error", "10"],
    ["Error", "0"],
  ] as const)("refuses to close an inbound deal as %s with reason %j", (substatus, reason) => {
    const outcome = move(inbound, "Closed", substatus, reason);
    expect(codesOf(outcome)).toEqual([reason === "" ? "reason_required" : "invalid_code"]);
    expect(errorsOf(outcome)[0]?.column).toBe("Declined/Lost reason");
    expect(errorsOf(outcome)[0]?.message).toContain(
      reason === "" ? "1 Project budget" : `'${reason}'`,
    );
  });

  it("asks a reason 1–8 to lose, 1–9 to close as error", () => {
    expect(
      fieldsOf(move(deal, "Closed", "Lost", "3 - Customer chose another vendor")),
    ).toMatchObject({ status: "Closed", substatus: "Lost", closeReason: 3 });
    expect(codesOf(move(deal, "Closed", "Lost", "9"))).toEqual(["invalid_code"]);
    expect(errorsOf(move(deal, "Closed", "Lost", ""))[0]?.message).toBe(
      "Declined/Lost reason is required to move the deal to Closed/Lost: a number 1 Project budget is not adequate, 2 Customer did not respond, 3 Customer chose another vendor, 4 Customer requirement not met, 5 Not a customer, 6 Proposed time line was too short, 7 Report as abuse, spam or phishing, 8 Others",
    );
    expect(fieldsOf(move(deal, "Closed", "Error", "9")).closeReason).toBe(9);
  });

  it("asks the reason even when the file has no reason column", () => {
    const outcome = move(deal, "Closed", "Lost");
    const row = exported(deal, {
      "Partner Referral Status": "Closed",
      "Partner Referral Substatus": "Lost",
      "Declined/Lost reason": undefined,
    });
    expect(codesOf(outcome)).toEqual(["reason_required"]);
    expect(errorsOf(update(deal, row))).toEqual([
      expect.objectContaining({ column: "Declined/Lost reason", code: "reason_required" }),
    ]);
  });

  it("sets the sales stage to 100 on Won, whatever the row says", () => {
    const current = buildDeal({ salesStage: 40 });
    const outcome = update(
      current,
      exported(current, {
        "Partner Referral Status": "Closed",
        "Partner Referral Substatus": "Won",
        "Sales Stage": "60",
      }),
    );
    expect(fieldsOf(outcome)).toMatchObject({
      substatus: "Won",
      salesStage: 100,
      closeReason: null,
    });
    if (outcome.result !== "Updated") throw new Error(outcome.result);
    expect(outcome.changes.find((c) => c.field === "salesStage")).toMatchObject({
      from: "40",
      to: "100",
    });
  });

  it("refuses Won and Lost from New, and Declined from Active", () => {
    expect(codesOf(move(inbound, "Closed", "Won"))).toEqual(["invalid_transition"]);
    expect(codesOf(move(inbound, "Closed", "Lost", "1"))).toEqual(["invalid_transition"]);
    expect(codesOf(move(deal, "Closed", "Declined", "1"))).toEqual(["invalid_transition"]);
  });

  it("refuses Expired (the system's) and New/Received (the vendor's)", () => {
    expect(codesOf(move(inbound, "Closed", "Expired"))).toEqual(["system_only_status"]);
    const pending = buildDeal({ status: "New", substatus: "Pending", direction: "inbound" });
    expect(codesOf(move(pending, "New", "Received"))).toEqual(["system_only_status"]);
  });
});

describe("planUpdate: terminal deals", () => {
  const closed = [
    won,
    buildDeal({ status: "Closed", substatus: "Lost", closeReason: 3 }),
    buildDeal({ status: "Closed", substatus: "Declined", closeReason: 5, direction: "inbound" }),
    buildDeal({ status: "Closed", substatus: "Expired", direction: "inbound" }),
    buildDeal({ status: "Closed", substatus: "Error", closeReason: 9, ...CO_SELL }),
  ];

  it.each(closed.map((d) => [d.substatus, d] as const))(
    "%s + the identical row: Unchanged",
    (_, d) => {
      expectUnchanged(update(d, exported(d)));
      expectUnchanged(update(d, exported(d, {}, "fr")));
    },
  );

  it.each(closed.map((d) => [d.substatus, d] as const))("%s + any change: terminal", (_, d) => {
    for (const edit of [
      { "Deal Name": "Too late" },
      { "Estimated Deal Value": "1" },
      { Notes: "late note" },
      { "Solution 1": "SOL-9" },
    ]) {
      const outcome = update(d, exported(d, edit));
      expect(codesOf(outcome)).toEqual(["terminal"]);
      expect(errorsOf(outcome)[0]?.message).toBe(
        `The deal is Closed/${d.substatus}, a terminal state: it accepts no change (this row changes ${Object.keys(edit)[0]})`,
      );
    }
  });

  it("refuses a row that tries to reopen a closed deal", () => {
    const outcome = update(
      won,
      exported(won, {
        "Partner Referral Status": "Active",
        "Partner Referral Substatus": "Accepted",
      }),
    );
    expect(codesOf(outcome)).toEqual(["terminal"]);
  });

  it("still checks the Engagement ID and the mandatory cells of a row for a closed deal", () => {
    expect(codesOf(update(won, exported(won, { "Engagement ID": "ENG-9" })))).toEqual([
      "engagement_mismatch",
    ]);
    expect(codesOf(update(won, exported(won, { "Deal Name": "" })))).toEqual(["required"]);
  });
});

describe("planUpdate: the Last Modified check (a file without the Version column)", () => {
  const changedAt = (updatedAt: string) => buildDeal({ updatedAt });
  const edit = (current: Deal, lastModified: string, notes = "mine", previousChangeAt?: string) =>
    update(
      current,
      exported(current, { "Last Modified": lastModified, Notes: notes, Version: undefined }),
      {},
      previousChangeAt ?? null,
    );

  it.each([
    // Exported at second precision: a change in the same second is not newer.
    ["2026-11-24T10:00:30Z", "2026-11-24T10:00:30.999Z", "Updated"],
    ["2026-11-24T10:00:30Z", "2026-11-24T10:00:31.000Z", "Not processed"],
    // Millisecond precision counts every millisecond.
    ["2026-11-24T10:00:30.500Z", "2026-11-24T10:00:30.500Z", "Updated"],
    ["2026-11-24T10:00:30.500Z", "2026-11-24T10:00:30.501Z", "Not processed"],
    // Excel rewrote the cell to the minute: compare at the minute.
    ["11/24/2026 10:00", "2026-11-24T10:00:59.999Z", "Updated"],
    ["11/24/2026 10:00", "2026-11-24T10:01:00.000Z", "Not processed"],
    ["11/24/2026 10:00:30", "2026-11-24T10:00:30.400Z", "Updated"],
    ["11/24/2026 10:00:30", "2026-11-24T10:00:31.000Z", "Not processed"],
    ["11/24/2026 10:00 AM", "2026-11-24T10:00:10.000Z", "Updated"],
    // An offset is converted to UTC.
    ["2026-11-24T11:00:30+01:00", "2026-11-24T10:00:30.000Z", "Updated"],
    ["2026-11-24T11:00:30+01:00", "2026-11-24T10:00:31.000Z", "Not processed"],
  ])("Last Modified %s, deal changed at %s: %s", (lastModified, updatedAt, result) => {
    const outcome = edit(changedAt(updatedAt), lastModified);
    expect(outcome.result).toBe(result);
    if (result === "Not processed") {
      expect(errorsOf(outcome)).toEqual([
        expect.objectContaining({ column: "Last Modified", code: "stale_row" }),
      ]);
      expect(errorsOf(outcome)[0]?.message).toContain(`last change ${updatedAt}`);
      expect(errorsOf(outcome)[0]?.message).toContain("export again");
    }
  });

  it.each([
    // PATCHed in the same second as the export: two changes within the file's second.
    ["2026-11-24T10:00:30Z", "2026-11-24T10:00:30.100Z", "2026-11-24T10:00:30.700Z", "second"],
    // Excel cut the time to the minute; the deal changed twice within that minute.
    ["11/24/2026 10:42", "2026-11-24T10:42:10.000Z", "2026-11-24T10:42:40.000Z", "minute"],
    ["11/24/2026 10:42", "2026-11-24T10:42:00.000Z", "2026-11-24T10:42:59.999Z", "minute"],
  ])(
    "Last Modified %s, deal changed at %s and again at %s: not processed, as the %s cannot tell which change the export saw",
    (lastModified, before, last, unit) => {
      const outcome = edit(changedAt(last), lastModified, "mine", before);
      expect(errorsOf(outcome)).toEqual([
        expect.objectContaining({ column: "Last Modified", code: "stale_row" }),
      ]);
      const message = errorsOf(outcome)[0]?.message ?? "";
      expect(message).toContain("the deal changed since your export");
      expect(message).toContain(`changed twice within the ${unit}`);
      expect(message).toContain(`at ${before} and ${last}`);
      expect(message).toContain("keep the Version column");
    },
  );

  it.each([
    // The change before the last one is in an earlier second (minute): the export saw the last.
    ["2026-11-24T10:00:30Z", "2026-11-24T10:00:29.900Z", "2026-11-24T10:00:30.700Z"],
    ["11/24/2026 10:42", "2026-11-24T10:41:59.999Z", "2026-11-24T10:42:40.000Z"],
    // Milliseconds leave no doubt, whatever came before.
    ["2026-11-24T10:00:30.700Z", "2026-11-24T10:00:30.100Z", "2026-11-24T10:00:30.700Z"],
  ])(
    "Last Modified %s, deal changed at %s and last at %s: applied",
    (lastModified, before, last) => {
      expect(edit(changedAt(last), lastModified, "mine", before).result).toBe("Updated");
    },
  );

  it("never calls an unchanged row stale", () => {
    const current = changedAt("2030-01-01T00:00:00.000Z");
    expectUnchanged(
      update(current, exported(current, { "Last Modified": "2020-01-01T00:00:00Z" })),
    );
    expectUnchanged(update(current, exported(current, { "Last Modified": "1/1/2020 0:00" })));
  });

  it("does not check a row without the column or with it empty", () => {
    const current = changedAt("2030-01-01T00:00:00.000Z");
    expect(
      update(current, exported(current, { "Last Modified": undefined, Notes: "mine" })).result,
    ).toBe("Updated");
    expect(update(current, exported(current, { "Last Modified": "", Notes: "mine" })).result).toBe(
      "Updated",
    );
  });

  it("reports other errors rather than staleness when a row is wrong anyway", () => {
    const current = changedAt("2030-01-01T00:00:00.000Z");
    const outcome = update(
      current,
      exported(current, { "Last Modified": "2020-01-01T00:00:00Z", "Customer Name": "Other" }),
    );
    expect(codesOf(outcome)).toEqual(["locked"]);
  });
});

describe("planUpdate: the Version check", () => {
  // Changed at 10:00:30.700, after an export at 10:00:30.100 that wrote version 2.
  const current = buildDeal({ updatedAt: "2026-11-24T10:00:30.700Z", version: 3 });

  it("refuses a row exported at an older version, even within the second its Last Modified keeps", () => {
    const outcome = update(current, exported(current, { Version: "2", Notes: "mine" }));
    expect(exported(current)["Last Modified"]).toBe("2026-11-24T10:00:30Z");
    expect(errorsOf(outcome)).toEqual([
      expect.objectContaining({
        column: "Version",
        code: "stale_row",
        message:
          "Version: the deal changed since your export (version 2 in the file, 3 now, last change 2026-11-24T10:00:30.700Z); export again and redo this row's edits",
      }),
    ]);
  });

  it("applies a row exported at the deal's version, whatever its Last Modified says", () => {
    const row = exported(current, { Notes: "mine", "Last Modified": "11/24/2026 9:00" });
    expect(row.Version).toBe("3");
    expect(update(current, row, {}, "2026-11-24T10:00:30.100Z").result).toBe("Updated");
    // Excel may write the integer as 3.0.
    expect(update(current, { ...row, Version: "3.0" }).result).toBe("Updated");
  });

  it("falls back to Last Modified when the Version cell is empty", () => {
    const row = exported(current, {
      Notes: "mine",
      Version: "",
      "Last Modified": "11/24/2026 9:00",
    });
    expect(codesOf(update(current, row))).toEqual(["stale_row"]);
  });

  it("never calls an unchanged row stale, and refuses a version that is not a whole number", () => {
    expectUnchanged(update(current, exported(current, { Version: "1" })));
    for (const bad of ["abc", "0", "2.5", "-3"]) {
      const outcome = update(current, exported(current, { Version: bad, Notes: "mine" }));
      expect(errorsOf(outcome)).toEqual([
        expect.objectContaining({ column: "Version", code: "invalid_number" }),
      ]);
    }
  });
});
