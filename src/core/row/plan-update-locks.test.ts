/** planUpdate: the locked fields of SPEC §6. */
import { describe, expect, it } from "vitest";
import { buildDeal } from "../../test-support/build-deal.js";
import {
  update,
  exported,
  errorsOf,
  codesOf,
  fieldsOf,
  expectUnchanged,
  CO_SELL,
  PARTNER_LED,
  deal,
} from "../../test-support/plan-row.js";

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
        fr: expect.any(String),
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
        fr: expect.any(String),
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
        fr: expect.any(String),
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
