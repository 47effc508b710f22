/** planCreate: the rules a new row is judged by (SPEC §4). */
import { describe, expect, it } from "vitest";
import {
  type Cells,
  create,
  newRow,
  errorsOf,
  codesOf,
  fieldsOf,
  ANA,
} from "../../test-support/plan-row.js";

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
