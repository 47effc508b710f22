import { describe, expect, it } from "vitest";
import { mapHeaders } from "../header-map.js";
import { DEFAULT_LIMITS, type Limits } from "../limits.js";
import { columnLabel, listLabel, parseRow } from "./parse-row.js";

const parse = (row: Record<string, string>, limits: Limits = DEFAULT_LIMITS) => {
  const map = mapHeaders(Object.keys(row));
  return parseRow(map, { line: 7, cells: Object.values(row) }, 3, limits);
};

describe("parseRow: absent, empty, given", () => {
  it("leaves absent columns undefined, and reads an empty or blank cell as null", () => {
    const parsed = parse({ "Deal Name": "", Notes: "   ", "CRM ID": "\u00a0" });
    expect(parsed.fields).toEqual({ name: null, notes: null, crmId: null });
    expect(parsed.solutions).toBeUndefined();
    expect(parsed.team).toBeUndefined();
    expect(parsed.errors).toEqual([]);
  });

  it("keeps the row number, the line and the cells as read", () => {
    const parsed = parse({ "Deal Name": "'=1+1", Notes: "x" });
    expect(parsed).toMatchObject({ row: 3, line: 7, cells: ["'=1+1", "x"] });
  });

  it("reads a short record as empty cells at the end", () => {
    const map = mapHeaders(["Deal Name", "Notes", "CRM ID"]);
    const parsed = parseRow(map, { line: 2, cells: ["Deal"] }, 1, DEFAULT_LIMITS);
    expect(parsed.fields).toEqual({ name: "Deal", notes: null, crmId: null });
  });

  it("decodes every kind of cell into the value the engine stores", () => {
    const parsed = parse({
      "Engagement ID": " ENG-1 ",
      "Deal Name": "  Contoso  ",
      "Customer Country": "fr",
      "Customer D-U-N-S ID": "81466849",
      "Customer Postal Code": "01234",
      "Customer Contact Email Address": "John@Contoso.example",
      "Partner Referral Status": "Fermée",
      "Partner Referral Substatus": "perdue",
      "Microsoft Referral Status": "Accepted",
      "Sales Stage": "40%",
      "Estimated Deal Value": "1,234.50",
      Currency: "eur",
      "Estimated Close Date": "1/30/2027",
      "Microsoft help required?": "Oui",
      "What specific help from Microsoft?": "3 - Proof of concept / demo",
      "Share with Microsoft sales team": "TRUE",
      "Consent to share Customer/Partner contact": "y",
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.fields).toEqual({
      engagementId: "ENG-1",
      name: "Contoso",
      customerCountry: "FR",
      customerDuns: "081466849",
      customerPostalCode: "01234",
      contactEmail: "John@Contoso.example",
      status: "Closed",
      substatus: "Lost",
      microsoftStatus: "Accepted",
      salesStage: 40,
      value: 1234.5,
      currency: "EUR",
      closeDate: "2027-01-30",
      helpRequired: true,
      helpType: 3,
      shareWithMicrosoft: true,
      consent: true,
    });
  });

  it("reads French headers the same way", () => {
    const parsed = parse({
      "Nom de la transaction": "Affaire",
      "Pays du client": "DE",
      "Aide Microsoft requise ?": "Non",
      "Solution 1": "SOL-1",
      "Membre de l'équipe 1": "Léa, Dupont, , lea@contoso.example",
    });
    expect(parsed.fields).toEqual({ name: "Affaire", customerCountry: "DE", helpRequired: false });
    expect(parsed.team).toEqual([
      { firstName: "Léa", lastName: "Dupont", phone: null, email: "lea@contoso.example" },
    ]);
  });

  it("never reads the Errors or Import Result columns", () => {
    const parsed = parse({ Errors: "old error", "Import Result": "Created", Notes: "n" });
    expect(parsed.fields).toEqual({ notes: "n" });
    expect(parsed.errors).toEqual([]);
  });
});

describe("parseRow: the formula guard", () => {
  it("takes off the apostrophe the export put before a formula character, and only that one", () => {
    const parsed = parse({
      "Deal Name": "'=SUM(A1)",
      Notes: "''=kept",
      "CRM ID": "'plain",
      "Marketing Campaign ID": "'-5",
      "Solution 1": "'@SOL-1, USD, 1",
      "Team member 1": "'+Bob, Partner, , bob@contoso.example",
    });
    expect(parsed.fields).toEqual({
      name: "=SUM(A1)",
      notes: "'=kept",
      crmId: "'plain",
      campaignId: "-5",
    });
    expect(parsed.solutions?.[0]?.id).toBe("@SOL-1");
    expect(parsed.team?.[0]?.firstName).toBe("+Bob");
  });
});

describe("parseRow: identity and concurrency columns", () => {
  it("reads the Referral ID trimmed, and an empty one as a create", () => {
    expect(parse({ "Referral ID": "  REF-1 " }).referralId).toBe("REF-1");
    expect(parse({ "Referral ID": "" }).referralId).toBeNull();
    expect(parse({ "ID de référence": "REF-2" }).referralId).toBe("REF-2");
    expect(parse({ Notes: "x" }).referralId).toBeNull();
  });

  it.each([
    ["2026-11-24T10:00:00Z", "2026-11-24T10:00:00.000Z", 1000],
    ["2026-11-24T10:00:00.250Z", "2026-11-24T10:00:00.250Z", 1],
    ["2026-11-24T10:00Z", "2026-11-24T10:00:00.000Z", 60_000],
    ["11/24/2026 10:00", "2026-11-24T10:00:00.000Z", 60_000],
    ["11/24/2026 10:00:05", "2026-11-24T10:00:05.000Z", 1000],
    ["11/24/2026 1:00 PM", "2026-11-24T13:00:00.000Z", 60_000],
  ])("reads Last Modified %s as %s, precise to %i ms", (cell, iso, precisionMs) => {
    expect(parse({ "Last Modified": cell }).lastModified).toEqual({ iso, precisionMs });
  });

  it("reads an empty Last Modified as no check, and a bad one as an error", () => {
    expect(parse({ "Last Modified": "" }).lastModified).toBeNull();
    const bad = parse({ "Dernière modification": "2026-11-24T10:00:00" });
    expect(bad.lastModified).toBeNull();
    expect(bad.errors).toEqual([
      {
        column: "Dernière modification",
        code: "invalid_timestamp",
        message:
          "Dernière modification '2026-11-24T10:00:00' has no time zone; add Z for UTC, e.g. 2026-11-24T10:00:00Z",
        fr: expect.any(String),
      },
    ]);
  });
});

describe("parseRow: errors name the column as the file spells it, and the value", () => {
  it("uses the file's header, trimmed, in every message", () => {
    const parsed = parse({ "  deal   name ": "n".repeat(101), "Pays du client": "France" });
    expect(parsed.errors.map((e) => e.column)).toEqual(["deal   name", "Pays du client"]);
    expect(parsed.errors[0]?.code).toBe("too_long");
    expect(parsed.errors[0]?.message).toContain("deal   name 'nnn");
    expect(parsed.errors[1]).toEqual({
      column: "Pays du client",
      code: "invalid_country",
      message: "Pays du client 'France' is not a two-letter code (did you mean FR?)",
      fr: expect.any(String),
    });
    expect([...parsed.invalid].sort()).toEqual(["customerCountry", "name"]);
    expect(parsed.fields).toEqual({});
  });

  it("refuses a cell longer than the cell limit without decoding it", () => {
    const limits = { ...DEFAULT_LIMITS, cellChars: 10 };
    const parsed = parse({ Notes: "x".repeat(11), "CRM ID": "x".repeat(10) }, limits);
    expect(parsed.errors).toEqual([
      {
        column: "Notes",
        code: "too_long",
        message: "Notes is 11 characters long; the limit is 10",
        fr: expect.any(String),
      },
    ]);
    expect(parsed.fields).toEqual({ crmId: "x".repeat(10) });
  });

  it("counts a Deal Name's length in characters: 100 emoji are fine, 101 are not", () => {
    expect(parse({ "Deal Name": "😀".repeat(100) }).errors).toEqual([]);
    expect(parse({ "Deal Name": "😀".repeat(101) }).errors[0]?.code).toBe("too_long");
  });

  it.each([
    ["Customer Contact Email Address", "john at contoso", "invalid_email"],
    ["Estimated Deal Value", "8.15E+07", "invalid_number"],
    ["Estimated Deal Value", "$100", "invalid_number"],
    ["Estimated Deal Value", "-1", "negative_number"],
    ["Estimated Close Date", "30/01/2027", "invalid_date"],
    ["Estimated Close Date", "1/30/27", "invalid_date"],
    ["What specific help from Microsoft?", "7", "invalid_code"],
    ["Sales Stage", "50", "invalid_code"],
    ["Customer D-U-N-S ID", "8.15E+07", "duns_scientific_notation"],
    ["Customer D-U-N-S ID", "ABC", "invalid_duns"],
    ["Customer Contact Phone number", "1.20655E+10", "spreadsheet_scientific_notation"],
    ["Customer Postal Code", "2.1E+04", "spreadsheet_scientific_notation"],
    ["CRM ID", "1.20655E+10", "spreadsheet_scientific_notation"],
    ["Marketing Campaign ID", "2,1E+04", "spreadsheet_scientific_notation"],
    ["Currency", "€", "invalid_currency"],
    ["Partner Referral Status", "Open", "invalid_status"],
    ["Partner Referral Substatus", "Done", "invalid_substatus"],
    ["Share with Microsoft sales team", "Maybe", "invalid_yes_no"],
    ["Consent to share Customer/Partner contact", "si", "invalid_yes_no"],
  ])("%s %j: %s", (header, value, code) => {
    const parsed = parse({ [header]: value });
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.column).toBe(header);
    expect(parsed.errors[0]?.code).toBe(code);
    expect(parsed.errors[0]?.message).toContain(`${header} '${value}'`);
  });
});

describe("parseRow: Solution N and Team member N", () => {
  it("reads the numbered cells in number order and skips empty ones", () => {
    const parsed = parse({
      "Solution 3": "SOL-3",
      "Solution 1": "SOL-1, USD, 10, 100",
      "Solution 2": "",
      "Team member 2": "Ann, Lee, 555, ann@contoso.example",
      "Team member 1": "Bob, Partner, bob@contoso.example",
    });
    expect(parsed.solutions).toEqual([
      { id: "SOL-1", currency: "USD", price: 10, quantity: 100 },
      { id: "SOL-3", currency: null, price: null, quantity: null },
    ]);
    expect(parsed.team).toEqual([
      { firstName: "Bob", lastName: "Partner", phone: null, email: "bob@contoso.example" },
      { firstName: "Ann", lastName: "Lee", phone: "555", email: "ann@contoso.example" },
    ]);
  });

  it("gives an empty list when the columns are there but every cell is empty", () => {
    const parsed = parse({ "Solution 1": "", "Team member 1": " " });
    expect(parsed.solutions).toEqual([]);
    expect(parsed.team).toEqual([]);
  });

  it("takes 50 of each, and calls the 51st too many", () => {
    const row: Record<string, string> = {};
    for (let n = 1; n <= 51; n++) {
      row[`Solution ${n}`] = `SOL-${n}`;
      row[`Team member ${n}`] = `M${n}, Member, , m${n}@contoso.example`;
    }
    const parsed = parse(row);
    expect(parsed.solutions).toHaveLength(50);
    expect(parsed.team).toHaveLength(50);
    expect(parsed.errors).toEqual([
      {
        column: "Solution 51",
        code: "too_many_solutions",
        message:
          "Solution 51: a deal has at most 50 solutions; move the extra ones to another deal or leave them out",
        fr: expect.any(String),
      },
      {
        column: "Team member 51",
        code: "too_many_team_members",
        message:
          "Team member 51: a deal has at most 50 team members; move the extra ones to another deal or leave them out",
        fr: expect.any(String),
      },
    ]);
    expect([...parsed.invalid].sort()).toEqual(["solutions", "team"]);
  });

  it("lets an empty Solution 51 pass, and honours a configured limit", () => {
    expect(parse({ "Solution 1": "SOL-1", "Solution 51": "" }).errors).toEqual([]);
    const limits = { ...DEFAULT_LIMITS, solutionsPerDeal: 2 };
    const parsed = parse({ "Solution 1": "A", "Solution 2": "B", "Solution 3": "C" }, limits);
    expect(parsed.errors.map((e) => [e.column, e.code])).toEqual([
      ["Solution 3", "too_many_solutions"],
    ]);
  });

  it("names the numbered column and its value in a decoding error", () => {
    const parsed = parse({
      "Solution 1": "SOL-1, DOLLARS",
      "Membre de l'équipe 2": "Léa, Dupont",
    });
    expect(parsed.errors.map((e) => [e.column, e.code])).toEqual([
      ["Solution 1", "invalid_solution"],
      ["Membre de l'équipe 2", "invalid_team_member"],
    ]);
    expect(parsed.errors[0]?.message).toContain("Solution 1 'SOL-1, DOLLARS'");
    expect(parsed.errors[1]?.message).toContain("Membre de l'équipe 2 'Léa, Dupont'");
  });
});

describe("column labels", () => {
  it("name a column as the file spells it, or by its header in the file's language", () => {
    const fr = mapHeaders(["  Nom du client ", "Membre de l'équipe 3", "Pays du client"]);
    expect(columnLabel(fr, "customerName")).toBe("Nom du client");
    expect(columnLabel(fr, "name")).toBe("Nom de la transaction");
    expect(listLabel(fr, "team", 3)).toBe("Membre de l'équipe 3");
    expect(listLabel(fr, "team", 1)).toBe("Membre de l'équipe 1");
    expect(listLabel(fr, "solutions", 1)).toBe("Solution 1");
    const en = mapHeaders(["Deal Name"]);
    expect(columnLabel(en, "helpType")).toBe("What specific help from Microsoft?");
  });
});

describe("parseRow: what a spreadsheet did to number-like text", () => {
  it("flags a new deal's postal code that lost its leading zero, where the country's format says so", () => {
    for (const country of ["US", "FR", "DE"]) {
      const parsed = parse({ "Customer Postal Code": "2134", "Customer Country": country });
      expect(parsed.errors.map((e) => [e.column, e.code])).toEqual([
        ["Customer Postal Code", "postal_code_lost_leading_zero"],
      ]);
      expect(parsed.invalid.has("customerPostalCode")).toBe(true);
    }
    expect(parse({ "Customer Postal Code": "02134", "Customer Country": "US" }).errors).toEqual([]);
    expect(parse({ "Customer Postal Code": "2000", "Customer Country": "AU" }).errors).toEqual([]);
  });

  it("names the postal code column as the file spells it, in French too", () => {
    const parsed = parse({ "Code postal du client": "6000", "Pays du client": "FR" });
    expect(parsed.errors[0]?.column).toBe("Code postal du client");
    expect(parsed.errors[0]?.message).toContain("'06000'");
  });

  it("leaves an update row's postal code to the lock rules (it can only repeat what is stored)", () => {
    const parsed = parse({
      "Referral ID": "REF-1",
      "Customer Postal Code": "2134",
      "Customer Country": "US",
    });
    expect(parsed.errors).toEqual([]);
  });

  it("refuses a team member whose phone a spreadsheet rewrote", () => {
    const parsed = parse({ "Team member 1": "Bob, Partner, 1.20655E+10, bob@contoso.example" });
    expect(parsed.errors).toEqual([
      {
        column: "Team member 1",
        code: "spreadsheet_scientific_notation",
        message:
          "Team member 1 'Bob, Partner, 1.20655E+10, bob@contoso.example': its phone '1.20655E+10' was turned into scientific notation by a spreadsheet, which loses digits; format the column as Text and re-enter the phone",
        fr: expect.any(String),
      },
    ]);
  });
});
