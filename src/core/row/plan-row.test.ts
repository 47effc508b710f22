import { describe, expect, it } from "vitest";
import { buildDeal } from "../../test-support/build-deal.js";
import { newDealRow } from "../../test-support/rows.js";
import type { Lang } from "../columns.js";
import type { Deal, TeamMember } from "../deal.js";
import { ROW_ERROR_CODES, type RowError, type RowErrorCode } from "../errors.js";
import { exportHeader, exportRow } from "../export/export-file.js";
import { mapHeaders } from "../header-map.js";
import { planImport } from "../import/plan-import.js";
import { parseImportRows } from "../import/read-import-file.js";
import { DEFAULT_LIMITS, type Limits } from "../limits.js";
import { parseRow } from "./parse-row.js";
import { planCreate, planUpdate, type RowContext, type RowOutcome } from "./plan-row.js";

/** A row keyed by header, in column order; `undefined` leaves a column out. */
type Cells = Record<string, string>;

const parse = (row: Cells, limits: Limits = DEFAULT_LIMITS) => {
  const map = mapHeaders(Object.keys(row));
  const parsed = parseRow(map, { line: 2, cells: Object.values(row) }, 1, limits);
  return { map, parsed };
};

const ctxOf = (parsedMap: ReturnType<typeof parse>["map"], extra: Partial<RowContext> = {}) => ({
  map: parsedMap,
  limits: DEFAULT_LIMITS,
  mode: "import" as const,
  requiredMember: null,
  ...extra,
});

const create = (row: Cells, extra: Partial<RowContext> = {}): RowOutcome => {
  const { map, parsed } = parse(row);
  return planCreate(parsed, ctxOf(map, extra));
};

const update = (deal: Deal, row: Cells, extra: Partial<RowContext> = {}): RowOutcome => {
  const { map, parsed } = parse(row);
  return planUpdate(parsed, deal, ctxOf(map, extra));
};

/** A complete, valid create row (as in the template). */
const newRow = (overrides: Record<string, string | undefined> = {}): Cells =>
  withOverrides(newDealRow(), overrides);

/** The deal's row exactly as an export writes it, then edited. */
const exported = (
  deal: Deal,
  overrides: Record<string, string | undefined> = {},
  lang: Lang = "en",
): Cells => {
  const solutions = Math.max(1, deal.solutions.length);
  const team = Math.max(1, deal.team.length);
  const header = exportHeader(lang, solutions, team);
  const cells = exportRow(deal, solutions, team);
  return withOverrides(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""])), overrides);
};

const withOverrides = (row: Cells, overrides: Record<string, string | undefined>): Cells => {
  const out: Cells = {};
  for (const [k, v] of Object.entries(row)) {
    const o = k in overrides ? overrides[k] : v;
    if (o !== undefined) out[k] = o;
  }
  for (const [k, v] of Object.entries(overrides)) if (!(k in row) && v !== undefined) out[k] = v;
  return out;
};

const errorsOf = (outcome: RowOutcome): RowError[] =>
  outcome.result === "Not processed" ? outcome.errors : [];
const codesOf = (outcome: RowOutcome): RowErrorCode[] => errorsOf(outcome).map((e) => e.code);

const fieldsOf = (outcome: RowOutcome) => {
  if (outcome.result === "Not processed") {
    throw new Error(`not processed: ${outcome.errors.map((e) => e.message).join("; ")}`);
  }
  return outcome.fields;
};

const expectUnchanged = (outcome: RowOutcome): void => {
  expect(errorsOf(outcome)).toEqual([]);
  expect(outcome.result).toBe("Unchanged");
};

const CO_SELL = {
  helpRequired: true,
  helpType: 2,
  shareWithMicrosoft: true,
  microsoftStatus: "Pending",
  contactFirstName: "John",
  contactLastName: "Customer",
  contactPhone: "9999999999",
  contactEmail: "john.customer@contoso.example",
} as const satisfies Partial<Deal>;
const PARTNER_LED = { shareWithMicrosoft: true } as const satisfies Partial<Deal>;

const ANA: TeamMember = {
  firstName: "Ana",
  lastName: "Silva",
  phone: null,
  email: "ana.silva@contoso.example",
};

/** A one-file import, for the codes only the file level gives. `crm` deals are visible unless listed in `hidden`. */
const importOf = (
  rows: Cells[],
  known: Deal[],
  crm: Deal[] = [],
  options: { upsertByCrmId?: boolean; hidden?: Deal[] } = {},
): RowOutcome[] => {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const map = mapHeaders(header);
  const records = rows.map((r, i) => ({ line: i + 2, cells: header.map((h) => r[h] ?? "") }));
  const file = parseImportRows({ encoding: "utf-8", delimiter: ",", map, records }, DEFAULT_LIMITS);
  const byCrmId = new Map<string, { deal: Deal | null; id: string }[]>();
  for (const d of crm) {
    const seen = options.hidden?.includes(d) ? null : d;
    byCrmId.set(d.crmId ?? "", [...(byCrmId.get(d.crmId ?? "") ?? []), { deal: seen, id: d.id }]);
  }
  return planImport(file, { visible: new Map(known.map((d) => [d.id, d])), byCrmId }, ctxOf(map), {
    upsertByCrmId: options.upsertByCrmId ?? false,
  }).map((p) => p.outcome);
};

/** One scenario per row error code: the outcome, the column it must name and the value it must quote. */
interface CodeCase {
  outcome: RowOutcome;
  column: string;
  value?: string;
  /** What the message names instead of `column`, when the error is about other columns. */
  names?: string;
}

const deal = buildDeal();
const won = buildDeal({ status: "Closed", substatus: "Won", salesStage: 100 });

const CODE_CASES = {
  required: () => ({ outcome: create(newRow({ "Deal Name": "" })), column: "Deal Name" }),
  too_long: () => ({
    outcome: create(newRow({ "Deal Name": "n".repeat(101) })),
    column: "Deal Name",
    value: "'nnnn",
  }),
  invalid_yes_no: () => ({
    outcome: create(newRow({ "Microsoft help required?": "Maybe" })),
    column: "Microsoft help required?",
    value: "'Maybe'",
  }),
  invalid_status: () => ({
    outcome: create(newRow({ "Partner Referral Status": "Open" })),
    column: "Partner Referral Status",
    value: "'Open'",
  }),
  invalid_substatus: () => ({
    outcome: create(newRow({ "Partner Referral Substatus": "Done" })),
    column: "Partner Referral Substatus",
    value: "'Done'",
  }),
  invalid_date: () => ({
    outcome: create(newRow({ "Estimated Close Date": "31/31/2027" })),
    column: "Estimated Close Date",
    value: "'31/31/2027'",
  }),
  invalid_timestamp: () => ({
    outcome: update(deal, exported(deal, { "Last Modified": "yesterday" })),
    column: "Last Modified",
    value: "'yesterday'",
  }),
  invalid_number: () => ({
    outcome: create(newRow({ "Estimated Deal Value": "ten" })),
    column: "Estimated Deal Value",
    value: "'ten'",
  }),
  negative_number: () => ({
    outcome: create(newRow({ "Estimated Deal Value": "-5" })),
    column: "Estimated Deal Value",
    value: "'-5'",
  }),
  invalid_code: () => ({
    outcome: create(newRow({ "Sales Stage": "30" })),
    column: "Sales Stage",
    value: "'30'",
  }),
  invalid_country: () => ({
    outcome: create(newRow({ "Customer Country": "USA" })),
    column: "Customer Country",
    value: "'USA'",
  }),
  invalid_currency: () => ({
    outcome: create(newRow({ Currency: "DOLLARS" })),
    column: "Currency",
    value: "'DOLLARS'",
  }),
  invalid_duns: () => ({
    outcome: create(newRow({ "Customer D-U-N-S ID": "1234567890" })),
    column: "Customer D-U-N-S ID",
    value: "'1234567890'",
  }),
  duns_scientific_notation: () => ({
    outcome: create(newRow({ "Customer D-U-N-S ID": "8.15E+07" })),
    column: "Customer D-U-N-S ID",
    value: "'8.15E+07'",
  }),
  spreadsheet_scientific_notation: () => ({
    outcome: create(newRow({ "Customer Contact Phone number": "1.20655E+10" })),
    column: "Customer Contact Phone number",
    value: "'1.20655E+10'",
  }),
  postal_code_lost_leading_zero: () => ({
    outcome: create(newRow({ "Customer Postal Code": "2134", "Customer Country": "US" })),
    column: "Customer Postal Code",
    value: "'2134'",
  }),
  invalid_email: () => ({
    outcome: create(newRow({ "Customer Contact Email Address": "john.contoso.example" })),
    column: "Customer Contact Email Address",
    value: "'john.contoso.example'",
  }),
  invalid_solution: () => ({
    outcome: create(newRow({ "Solution 1": "SOL-1, USD, ten" })),
    column: "Solution 1",
    value: "'SOL-1, USD, ten'",
  }),
  invalid_team_member: () => ({
    outcome: create(newRow({ "Team member 1": "Bob" })),
    column: "Team member 1",
    value: "'Bob'",
  }),
  too_many_solutions: () => ({
    outcome: create(newRow({ "Solution 51": "SOL-51" })),
    column: "Solution 51",
  }),
  too_many_team_members: () => ({
    outcome: create(newRow({ "Team member 51": "Al, Extra, , al@contoso.example" })),
    column: "Team member 51",
  }),
  consent_required: () => ({
    outcome: create(newRow({ "Consent to share Customer/Partner contact": "No" })),
    column: "Consent to share Customer/Partner contact",
    value: "is No",
  }),
  help_type_required: () => ({
    outcome: update(
      buildDeal({ ...CO_SELL, helpRequired: false, helpType: null }),
      exported(buildDeal({ ...CO_SELL, helpType: null })),
    ),
    column: "What specific help from Microsoft?",
  }),
  help_type_not_allowed: () => ({
    outcome: create(newRow({ "What specific help from Microsoft?": "2" })),
    column: "What specific help from Microsoft?",
    value: "(it is 2)",
  }),
  contact_required: () => ({
    outcome: create(
      newRow({ "Microsoft help required?": "Yes", "What specific help from Microsoft?": "2" }),
    ),
    column: "Customer Contact First Name",
  }),
  invalid_status_pair: () => ({
    outcome: update(deal, exported(deal, { "Partner Referral Substatus": "Won" })),
    column: "Partner Referral Substatus",
    value: "'Won'",
  }),
  invalid_create_status: () => ({
    outcome: create(
      newRow({ "Partner Referral Status": "Closed", "Partner Referral Substatus": "Won" }),
    ),
    column: "Partner Referral Substatus",
    value: "Closed/Won",
  }),
  invalid_transition: () => ({
    outcome: update(
      deal,
      exported(deal, { "Partner Referral Status": "New", "Partner Referral Substatus": "Pending" }),
    ),
    column: "Partner Referral Substatus",
    value: "New/Pending",
  }),
  reason_required: () => ({
    outcome: update(
      deal,
      exported(deal, { "Partner Referral Status": "Closed", "Partner Referral Substatus": "Lost" }),
    ),
    column: "Declined/Lost reason",
    value: "Closed/Lost",
  }),
  system_only_status: () => ({
    outcome: update(
      deal,
      exported(deal, {
        "Partner Referral Status": "Closed",
        "Partner Referral Substatus": "Expired",
      }),
    ),
    column: "Partner Referral Substatus",
    value: "Closed/Expired",
  }),
  not_found: () => ({
    outcome: importOf([exported(deal, { "Referral ID": "REF-404" })], [deal])[0] ?? noOutcome,
    column: "Referral ID",
    value: "'REF-404'",
  }),
  engagement_mismatch: () => ({
    outcome: update(deal, exported(deal, { "Engagement ID": "ENG-9999" })),
    column: "Engagement ID",
    value: "'ENG-9999'",
  }),
  engagement_on_create: () => ({
    outcome: create(newRow({ "Engagement ID": "ENG-1" })),
    column: "Engagement ID",
    value: "'ENG-1'",
  }),
  terminal: () => ({
    outcome: update(won, exported(won, { "Deal Name": "Too late" })),
    column: "Partner Referral Substatus",
    names: "Deal Name",
    value: "Closed/Won",
  }),
  locked: () => ({
    outcome: update(deal, exported(deal, { "Customer Name": "Other Corp" })),
    column: "Customer Name",
    value: "'Contoso Ltd'",
  }),
  crm_id_duplicate: () => ({
    outcome:
      importOf([newRow({ "CRM ID": "CRM-7" })], [], [buildDeal({ crmId: "CRM-7" })])[0] ??
      noOutcome,
    column: "CRM ID",
    value: "'CRM-7'",
  }),
  stale_row: () => ({
    outcome: update(
      buildDeal({ updatedAt: "2026-11-24T10:00:05.000Z" }),
      exported(deal, { Notes: "mine" }),
    ),
    column: "Last Modified",
    value: "2026-11-24T10:00:00.000Z",
  }),
  duplicate_referral_in_file: () => ({
    outcome:
      importOf([exported(deal, { Notes: "a" }), exported(deal, { Notes: "b" })], [deal])[1] ??
      noOutcome,
    column: "Referral ID",
    value: "'REF-0001'",
  }),
} satisfies Record<RowErrorCode, () => CodeCase>;

const noOutcome: RowOutcome = { result: "Not processed", errors: [] };

describe("every row error code", () => {
  it("has a scenario here", () => {
    expect(Object.keys(CODE_CASES).sort()).toEqual([...ROW_ERROR_CODES].sort());
  });

  it.each(ROW_ERROR_CODES.map((code) => [code] as const))("%s", (code) => {
    const { outcome, column, value, names } = (CODE_CASES[code] as () => CodeCase)();
    expect(outcome.result).toBe("Not processed");
    const error = errorsOf(outcome).find((e) => e.code === code);
    expect(error, JSON.stringify(errorsOf(outcome))).toBeDefined();
    expect(error?.column).toBe(column);
    expect(error?.message).toContain(names ?? column);
    if (value !== undefined) expect(error?.message).toContain(value);
  });

  it("gives SPEC §5's own example messages word for word", () => {
    expect(errorsOf(create(newRow({ "Solution 1": "" })))).toEqual([
      { column: "Solution 1", code: "required", message: "Mandatory field Solution 1 missing" },
    ]);
    expect(errorsOf(create(newRow({ "Customer Country": "USA" })))).toEqual([
      {
        column: "Customer Country",
        code: "invalid_country",
        message: "Customer Country 'USA' is not a two-letter code (did you mean US?)",
      },
    ]);
  });

  it("names the column as the file spells it, French included", () => {
    const row = exported(deal, { "Nom du client": "Autre SA" }, "fr");
    expect(errorsOf(update(deal, row))).toEqual([
      {
        column: "Nom du client",
        code: "locked",
        message:
          "Nom du client cannot be changed after the deal is created (it is 'Contoso Ltd'); put the current value back or leave the column out",
      },
    ]);
  });

  it("lists every error of a row, not only the first", () => {
    const outcome = create(
      newRow({ "Deal Name": "", Currency: "DOLLARS", "Customer Country": "USA", "Solution 1": "" }),
    );
    expect(codesOf(outcome)).toEqual([
      "invalid_country",
      "invalid_currency",
      "required",
      "required",
    ]);
    expect(errorsOf(outcome).map((e) => e.column)).toEqual([
      "Customer Country",
      "Currency",
      "Deal Name",
      "Solution 1",
    ]);
  });

  it("reports too many team members when the Referrals user added to a full team makes 51", () => {
    const team = Array.from({ length: 50 }, (_, i) => [
      `Team member ${i + 1}`,
      `M${i}, Member, , m${i}@contoso.example`,
    ]);
    const outcome = create(
      { ...newRow({ "Team member 1": undefined }), ...Object.fromEntries(team) },
      {
        requiredMember: ANA,
      },
    );
    expect(codesOf(outcome)).toEqual(["too_many_team_members"]);
    expect(errorsOf(outcome)[0]?.message).toContain("this row has 51");
  });
});

describe("planCreate", () => {
  it("creates a deal from a complete row", () => {
    const outcome = create(newRow({ Notes: "  keep me  ", "Customer D-U-N-S ID": "81466849" }));
    expect(outcome.result).toBe("Created");
    expect(fieldsOf(outcome)).toMatchObject({
      name: "Contoso cloud migration",
      status: "Active",
      substatus: "Accepted",
      value: 10000,
      closeDate: "2027-12-31",
      notes: "keep me",
      customerDuns: "081466849",
      closeReason: null,
      microsoftStatus: null,
      consent: true,
      solutions: [{ id: "SOL-1234-PQRS", currency: "USD", price: 10, quantity: 100 }],
    });
  });

  it("lists every missing mandatory field, the lists included", () => {
    const outcome = create({ "Referral ID": "", Notes: "only notes" });
    expect(errorsOf(outcome).map((e) => e.message)).toEqual([
      "Mandatory field Deal Name missing",
      "Mandatory field Customer Name missing",
      "Mandatory field Customer Address Line 1 missing",
      "Mandatory field Customer City missing",
      "Mandatory field Customer Country missing",
      "Mandatory field Partner Referral Status missing",
      "Mandatory field Partner Referral Substatus missing",
      "Mandatory field Estimated Deal Value missing",
      "Mandatory field Currency missing",
      "Mandatory field Estimated Close Date missing",
      "Mandatory field Microsoft help required? missing",
      "Mandatory field Share with Microsoft sales team missing",
      "Mandatory field Consent to share Customer/Partner contact missing",
      "Mandatory field Solution 1 missing",
      "Mandatory field Team member 1 missing",
    ]);
  });

  it.each([
    ["New", "Accepted"],
    ["Active", "Accepted"],
    ["Nouveau", "Accepté"],
    ["actif", "ACCEPTE"],
  ])("stores %s/%s as Active/Accepted", (status, substatus) => {
    const outcome = create(
      newRow({ "Partner Referral Status": status, "Partner Referral Substatus": substatus }),
    );
    expect(fieldsOf(outcome)).toMatchObject({ status: "Active", substatus: "Accepted" });
  });

  it.each([
    ["New", "Pending"],
    ["New", "Received"],
    ["Closed", "Won"],
    ["Closed", "Error"],
  ])("refuses to create a deal as %s/%s", (status, substatus) => {
    const outcome = create(
      newRow({ "Partner Referral Status": status, "Partner Referral Substatus": substatus }),
    );
    expect(codesOf(outcome)).toEqual(["invalid_create_status"]);
  });

  it("forces Share with Microsoft to Yes when help is required, and asks the vendor's status to Pending", () => {
    const outcome = create(
      newRow({
        "Microsoft help required?": "Yes",
        "What specific help from Microsoft?": "4",
        "Share with Microsoft sales team": "No",
        "Customer Contact First Name": "John",
        "Customer Contact Last Name": "Customer",
        "Customer Contact Phone number": "555",
        "Customer Contact Email Address": "john@contoso.example",
        "Microsoft Referral Status": "Won",
      }),
    );
    expect(fieldsOf(outcome)).toMatchObject({
      helpRequired: true,
      helpType: 4,
      shareWithMicrosoft: true,
      microsoftStatus: "Pending",
    });
  });

  it("ignores the Microsoft Referral Status of a partner's file", () => {
    const outcome = create(newRow({ "Microsoft Referral Status": "Won" }));
    expect(fieldsOf(outcome).microsoftStatus).toBeNull();
  });

  it("ignores the reason column on a row that does not close the deal (the source's sample has 6)", () => {
    expect(fieldsOf(create(newRow({ "Declined/Lost reason": "6" }))).closeReason).toBeNull();
    expect(fieldsOf(create(newRow({ "Declined/Lost reason": "not a code" }))).closeReason).toBe(
      null,
    );
  });

  it("adds the Referrals user to the team once, whatever the case of the email", () => {
    const added = create(newRow(), { requiredMember: ANA });
    expect(fieldsOf(added).team.map((m) => m.email)).toEqual([
      "bob.partner@contoso.example",
      "ana.silva@contoso.example",
    ]);
    const already = create(newRow({ "Team member 1": "Ana, Silva, , ANA.SILVA@contoso.example" }), {
      requiredMember: ANA,
    });
    expect(fieldsOf(already).team).toEqual([{ ...ANA, email: "ANA.SILVA@contoso.example" }]);
  });

  it("requires the specific help and the four contact fields when help is required", () => {
    const outcome = create(newRow({ "Microsoft help required?": "Oui" }));
    expect(codesOf(outcome)).toEqual([
      "help_type_required",
      "contact_required",
      "contact_required",
      "contact_required",
      "contact_required",
    ]);
  });

  it("skips the rules of a cell it could not read, so one mistake gives one error", () => {
    const outcome = create(
      newRow({
        "Microsoft help required?": "Yes",
        "What specific help from Microsoft?": "9",
        "Customer Contact First Name": "John",
        "Customer Contact Last Name": "Customer",
        "Customer Contact Phone number": "555",
        "Customer Contact Email Address": "john-at-contoso",
      }),
    );
    expect(codesOf(outcome)).toEqual(["invalid_email", "invalid_code"]);
  });

  describe("for the vendor side (receive)", () => {
    const receive = (row: Cells) => create(row, { mode: "receive" });

    it("creates New/Received without a status, and keeps the vendor's Microsoft status", () => {
      const outcome = receive(
        newRow({
          "Partner Referral Status": "",
          "Partner Referral Substatus": "",
          "Microsoft Referral Status": "Accepted",
        }),
      );
      expect(fieldsOf(outcome)).toMatchObject({
        status: "New",
        substatus: "Received",
        microsoftStatus: "Accepted",
      });
    });

    it("accepts New/Pending and refuses Active/Accepted", () => {
      const pending = receive(
        newRow({ "Partner Referral Status": "New", "Partner Referral Substatus": "Pending" }),
      );
      expect(fieldsOf(pending)).toMatchObject({ status: "New", substatus: "Pending" });
      expect(codesOf(receive(newRow()))).toEqual(["invalid_create_status"]);
    });

    it("takes the Engagement ID the vendor gives", () => {
      const row = newRow({
        "Engagement ID": "ENG-7",
        "Partner Referral Status": undefined,
        "Partner Referral Substatus": undefined,
      });
      expect(fieldsOf(receive(row)).engagementId).toBe("ENG-7");
    });
  });
});

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
      { column: header, code: "required", message: `Mandatory field ${header} missing` },
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

describe("planUpdate: locked fields (SPEC §6)", () => {
  it("ignores whatever the Microsoft Referral Status column says", () => {
    const current = buildDeal({ ...CO_SELL, microsoftStatus: "Accepted" });
    expectUnchanged(update(current, exported(current, { "Microsoft Referral Status": "Won" })));
    expectUnchanged(update(current, exported(current, { "Microsoft Referral Status": "" })));
  });

  it("lets an exported row ask for Microsoft's help: the Microsoft status becomes Pending", () => {
    const outcome = update(
      deal,
      exported(deal, {
        "Microsoft help required?": "Yes",
        "What specific help from Microsoft?": "3",
        "Customer Contact First Name": "John",
        "Customer Contact Last Name": "Customer",
        "Customer Contact Phone number": "555",
        "Customer Contact Email Address": "john@contoso.example",
      }),
    );
    expect(errorsOf(outcome)).toEqual([]);
    expect(fieldsOf(outcome)).toMatchObject({
      helpRequired: true,
      helpType: 3,
      shareWithMicrosoft: true,
      microsoftStatus: "Pending",
    });
  });

  const afterCreate: readonly [string, string, string][] = [
    ["Customer Name", "Other Corp", "Contoso Ltd"],
    ["Customer Address Line 1", "2 Other Street", "1 Main Street"],
    ["Customer Address Line 2", "Suite 9", ""],
    ["Customer City", "Portland", "Seattle"],
    ["Customer State", "WA", ""],
    ["Customer Postal Code", "", "98052"],
    ["Customer Postal Code", "098052", "98052"],
    ["Customer Country", "CA", "US"],
    ["Customer D-U-N-S ID", "150483782", ""],
  ];

  it.each(afterCreate)("locks %s after creation (%j)", (header, value, was) => {
    expect(errorsOf(update(deal, exported(deal, { [header]: value })))).toEqual([
      {
        column: header,
        code: "locked",
        message: `${header} cannot be changed after the deal is created (it is '${was}'); put the current value back or leave the column out`,
      },
    ]);
  });

  it("accepts the current value of a locked field, however it is spelt", () => {
    const current = buildDeal({ customerDuns: "081466849", customerCountry: "FR" });
    expectUnchanged(
      update(
        current,
        exported(current, {
          "Customer D-U-N-S ID": "81466849",
          "Customer Country": "fr",
          "Customer Name": "  Contoso Ltd ",
          "Consent to share Customer/Partner contact": "oui",
        }),
      ),
    );
  });

  it("refuses to take back consent: not processed, and it is a locked field", () => {
    const outcome = update(
      deal,
      exported(deal, { "Consent to share Customer/Partner contact": "No" }),
    );
    expect(codesOf(outcome).sort()).toEqual(["consent_required", "locked"]);
  });

  const contacts = {
    contactFirstName: "John",
    contactLastName: "Customer",
    contactPhone: "555",
    contactEmail: "john@contoso.example",
  } as const;
  const contactEdits: readonly [string, string][] = [
    ["Customer Contact First Name", "Joe"],
    ["Customer Contact Last Name", "Client"],
    ["Customer Contact Phone number", "666"],
    ["Customer Contact Email Address", "joe@contoso.example"],
  ];

  it.each(contactEdits)("locks %s once the deal is shared, not on a private deal", (header, v) => {
    const shared = buildDeal({ ...PARTNER_LED, ...contacts });
    expect(codesOf(update(shared, exported(shared, { [header]: v })))).toEqual(["locked"]);
    const coSell = buildDeal(CO_SELL);
    expect(codesOf(update(coSell, exported(coSell, { [header]: v })))).toEqual(["locked"]);
    const privateDeal = buildDeal(contacts);
    expect(update(privateDeal, exported(privateDeal, { [header]: v })).result).toBe("Updated");
  });

  it("lets a private deal's row share it and fill the contacts at once", () => {
    const outcome = update(
      deal,
      exported(deal, {
        "Share with Microsoft sales team": "Yes",
        "Customer Contact First Name": "John",
      }),
    );
    expect(fieldsOf(outcome)).toMatchObject({ shareWithMicrosoft: true, contactFirstName: "John" });
  });

  it("locks a contact field once shared even to clear it", () => {
    const shared = buildDeal({ ...PARTNER_LED, ...contacts });
    expect(
      codesOf(update(shared, exported(shared, { "Customer Contact Phone number": "" }))),
    ).toEqual(["locked"]);
  });

  it("does not take back a Yes to Microsoft help", () => {
    const current = buildDeal(CO_SELL);
    const outcome = update(
      current,
      exported(current, {
        "Microsoft help required?": "No",
        "What specific help from Microsoft?": "",
      }),
    );
    expect(errorsOf(outcome).map((e) => [e.column, e.code])).toEqual([
      ["Microsoft help required?", "locked"],
      ["What specific help from Microsoft?", "locked"],
    ]);
    expect(errorsOf(outcome)[0]?.message).toBe(
      "Microsoft help required? cannot be changed once it is Yes (it is 'Yes'); put the current value back or leave the column out",
    );
  });

  it("does not take back a Yes to sharing, but lets No become Yes", () => {
    const shared = buildDeal(PARTNER_LED);
    expect(
      errorsOf(update(shared, exported(shared, { "Share with Microsoft sales team": "No" }))),
    ).toEqual([
      {
        column: "Share with Microsoft sales team",
        code: "locked",
        message:
          "Share with Microsoft sales team cannot be changed once it is Yes (it is 'Yes'); put the current value back or leave the column out",
      },
    ]);
    expect(
      fieldsOf(update(deal, exported(deal, { "Share with Microsoft sales team": "Yes" })))
        .shareWithMicrosoft,
    ).toBe(true);
  });

  it("keeps Share at Yes on a Co-sell deal whose row says No (help required forces it)", () => {
    const current = buildDeal(CO_SELL);
    expectUnchanged(
      update(current, exported(current, { "Share with Microsoft sales team": "No" })),
    );
  });

  it("lets a Partner-led deal ask for help, then locks the specific help once set", () => {
    const current = buildDeal({ ...PARTNER_LED, ...contacts });
    const asked = update(
      current,
      exported(current, {
        "Microsoft help required?": "Yes",
        "What specific help from Microsoft?": "1",
      }),
    );
    expect(fieldsOf(asked)).toMatchObject({ helpRequired: true, helpType: 1 });
    const coSell = buildDeal(CO_SELL);
    expect(
      errorsOf(update(coSell, exported(coSell, { "What specific help from Microsoft?": "5" }))),
    ).toEqual([
      {
        column: "What specific help from Microsoft?",
        code: "locked",
        message:
          "What specific help from Microsoft? cannot be changed once the deal is shared with Microsoft (it is '2'); put the current value back or leave the column out",
      },
    ]);
  });

  it("locks Notes to Microsoft once set on a shared deal, not before, and not on a private deal", () => {
    const sharedUnset = buildDeal(PARTNER_LED);
    expect(
      fieldsOf(update(sharedUnset, exported(sharedUnset, { "Notes to Microsoft": "Hello" })))
        .notesToMicrosoft,
    ).toBe("Hello");
    const sharedSet = buildDeal({ ...PARTNER_LED, notesToMicrosoft: "Hello" });
    expect(
      codesOf(update(sharedSet, exported(sharedSet, { "Notes to Microsoft": "Bye" }))),
    ).toEqual(["locked"]);
    expect(codesOf(update(sharedSet, exported(sharedSet, { "Notes to Microsoft": "" })))).toEqual([
      "locked",
    ]);
    const privateSet = buildDeal({ notesToMicrosoft: "Hello" });
    expect(
      fieldsOf(update(privateSet, exported(privateSet, { "Notes to Microsoft": "Bye" })))
        .notesToMicrosoft,
    ).toBe("Bye");
  });

  it("lets every field editable until terminal change on a shared Co-sell deal", () => {
    const current = buildDeal(CO_SELL);
    const outcome = update(
      current,
      exported(current, {
        "Deal Name": "New name",
        "Estimated Deal Value": "1 234,5",
        Currency: "eur",
        "Estimated Close Date": "2028-01-02",
        "CRM ID": "CRM-9",
        "Marketing Campaign ID": "CAMP-9",
        Notes: "notes",
        "Sales Stage": "60%",
        "Solution 1": "SOL-9",
        "Team member 1": "Chen, Wei, , chen.wei@contoso.example",
      }),
    );
    expect(errorsOf(outcome)).toEqual([]);
    if (outcome.result !== "Updated") throw new Error(outcome.result);
    expect(outcome.changes.map((c) => [c.header, c.to])).toEqual([
      ["Deal Name", "New name"],
      ["Sales Stage", "60"],
      ["Estimated Deal Value", "1234.5"],
      ["Currency", "EUR"],
      ["Estimated Close Date", "01/02/2028"],
      ["CRM ID", "CRM-9"],
      ["Marketing Campaign ID", "CAMP-9"],
      ["Notes", "notes"],
      ["Solution 1", "SOL-9"],
      ["Team member 1", "Chen, Wei, , chen.wei@contoso.example"],
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

describe("planUpdate: the Last Modified check", () => {
  const changedAt = (updatedAt: string) => buildDeal({ updatedAt });
  const edit = (current: Deal, lastModified: string, notes = "mine") =>
    update(current, exported(current, { "Last Modified": lastModified, Notes: notes }));

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

describe("planImport: the file-level rules", () => {
  it("answers not found for a Referral ID the actor cannot see, whatever the reason", () => {
    const [outcome] = importOf([exported(deal)], []);
    expect(errorsOf(outcome ?? noOutcome)).toEqual([
      {
        column: "Referral ID",
        code: "not_found",
        message:
          "Referral ID 'REF-0001' was not found among the deals you can see; check the ID, or empty the cell to create a new deal",
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
