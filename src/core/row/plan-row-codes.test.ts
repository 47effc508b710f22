/** Every row error code has a scenario that produces it, naming its column and value. */
import { describe, expect, it } from "vitest";
import { buildDeal } from "../../test-support/build-deal.js";
import { ROW_ERROR_CODES, type RowErrorCode } from "../errors.js";
import { notReachedRow } from "../import/row-summary.js";
import type { RowOutcome } from "./plan-row.js";
import {
  create,
  update,
  newRow,
  exported,
  errorsOf,
  codesOf,
  CO_SELL,
  ANA,
  importOf,
  deal,
  won,
  noOutcome,
} from "../../test-support/plan-row.js";

/** One scenario per row error code: the outcome, the column it must name and the value it must quote. */
interface CodeCase {
  outcome: RowOutcome;
  column: string;
  value?: string;
  /** What the message names instead of `column`, when the error is about other columns. */
  names?: string;
}

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
      exported(deal, { Notes: "mine", Version: undefined }),
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
  // Not the planner's: what the server records for the rows an import stopped before.
  not_reached: () => ({
    outcome: { result: "Not processed", errors: notReachedRow(3, null).errors },
    column: "",
    names: "the import stopped before this row",
  }),
} satisfies Record<RowErrorCode, () => CodeCase>;

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
      {
        column: "Solution 1",
        code: "required",
        message: "Mandatory field Solution 1 missing",
        fr: "Champ obligatoire Solution 1 manquant",
      },
    ]);
    expect(errorsOf(create(newRow({ "Customer Country": "USA" })))).toEqual([
      {
        column: "Customer Country",
        code: "invalid_country",
        message: "Customer Country 'USA' is not a two-letter code (did you mean US?)",
        fr: "Customer Country 'USA' n'est pas un code à deux lettres (vouliez-vous dire US ?)",
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
        fr: expect.any(String),
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
