import { describe, expect, it } from "vitest";
import { buildDeal } from "../../test-support/build-deal.js";
import { COLUMNS } from "../columns.js";
import { readCsv } from "../csv/index.js";
import { EXPORT_COLUMNS, exportHeader, exportRow, writeExportFile } from "./export-file.js";

const read = (text: string) => {
  expect(text.startsWith("\uFEFF")).toBe(true);
  return readCsv(text);
};

/** One exported row, keyed by English header. */
const rowOf = (deal = buildDeal()) => {
  const { header, records } = read(writeExportFile([deal], "en"));
  const cells = records[0]?.cells ?? [];
  return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
};

describe("writeExportFile", () => {
  it("writes the template's columns, then Last Modified, then the numbered ones, then Version; never Import Result", () => {
    expect(EXPORT_COLUMNS).not.toContain("importResult");
    const { header, records } = read(writeExportFile([buildDeal({ version: 7 })], "en"));
    expect(header).toEqual([
      ...COLUMNS.filter((c) => c.key !== "importResult" && c.key !== "version").map((c) => c.en),
      "Solution 1",
      "Team member 1",
      "Version",
    ]);
    expect(header.at(-4)).toBe("Last Modified");
    expect(header[0]).toBe("Errors");
    expect(records[0]?.cells.at(-1)).toBe("7");
  });

  it("writes French headers on request", () => {
    const { header } = read(writeExportFile([buildDeal()], "fr"));
    expect(header).toEqual([
      ...COLUMNS.filter((c) => c.key !== "importResult" && c.key !== "version").map((c) => c.fr),
      "Solution 1",
      "Membre de l'équipe 1",
      "Version",
    ]);
  });

  it("writes as many Solution and Team member columns as the widest deal, and leaves the rest empty", () => {
    const wide = buildDeal({
      id: "REF-2",
      solutions: [1, 2, 3].map((n) => ({
        id: `SOL-${n}`,
        currency: null,
        price: null,
        quantity: null,
      })),
      team: [1, 2].map((n) => ({
        firstName: `F${n}`,
        lastName: `L${n}`,
        phone: null,
        email: `m${n}@contoso.example`,
      })),
    });
    const { header, records } = read(writeExportFile([buildDeal(), wide], "en"));
    expect(header.slice(-6)).toEqual([
      "Solution 1",
      "Solution 2",
      "Solution 3",
      "Team member 1",
      "Team member 2",
      "Version",
    ]);
    expect(records[0]?.cells.slice(-6)).toEqual([
      "SOL-1234-PQRS, USD, 10, 100",
      "",
      "",
      "Bob, Partner, 999999, bob.partner@contoso.example",
      "",
      "1",
    ]);
    expect(records[1]?.cells.slice(-6)).toEqual([
      "SOL-1",
      "SOL-2",
      "SOL-3",
      "F1, L1, , m1@contoso.example",
      "F2, L2, , m2@contoso.example",
      "1",
    ]);
    expect(exportHeader("en", 0, 0)).toHaveLength(EXPORT_COLUMNS.length + 1);
  });

  it("writes a header row alone when there are no deals", () => {
    const text = writeExportFile([], "en");
    const { header, records } = read(text);
    expect(header.slice(-3)).toEqual(["Solution 1", "Team member 1", "Version"]);
    expect(records).toEqual([]);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("writes every value the way the importer reads it", () => {
    const row = rowOf(
      buildDeal({
        helpRequired: true,
        helpType: 4,
        shareWithMicrosoft: true,
        status: "Closed",
        substatus: "Lost",
        closeReason: 3,
        salesStage: 60,
        value: 1e21,
        closeDate: "2027-01-05",
        customerDuns: "012345678",
        customerPostalCode: "01234",
        updatedAt: "2026-11-24T10:00:00.999Z",
        microsoftStatus: "Accepted",
      }),
    );
    expect(row).toMatchObject({
      Errors: "",
      "Referral ID": "REF-0001",
      "Engagement ID": "ENG-0001",
      "Partner Referral Status": "Closed",
      "Partner Referral Substatus": "Lost",
      "Microsoft Referral Status": "Accepted",
      "Declined/Lost reason": "3",
      "Sales Stage": "60",
      "Estimated Deal Value": "1000000000000000000000",
      "Estimated Close Date": "01/05/2027",
      "Customer D-U-N-S ID": "012345678",
      "Customer Postal Code": "01234",
      "Microsoft help required?": "Yes",
      "What specific help from Microsoft?": "4",
      "Share with Microsoft sales team": "Yes",
      "Consent to share Customer/Partner contact": "Yes",
      "Customer Address Line 2": "",
      "CRM ID": "",
      "Last Modified": "2026-11-24T10:00:00Z",
    });
  });

  it("neutralises every cell a spreadsheet would run as a formula, and quotes what CSV needs", () => {
    const deal = buildDeal({
      name: "=1+1",
      customerName: "+Contoso",
      customerCity: "-Seattle",
      notes: "@mention",
      crmId: "'=already",
      campaignId: 'say "hi", then, leave',
      solutions: [{ id: "=SOL", currency: null, price: null, quantity: null }],
      team: [{ firstName: "-Bob", lastName: "P", phone: null, email: "b@x.example" }],
    });
    const row = rowOf(deal);
    expect(row).toMatchObject({
      "Deal Name": "'=1+1",
      "Customer Name": "'+Contoso",
      "Customer City": "'-Seattle",
      Notes: "'@mention",
      "CRM ID": "''=already",
      "Marketing Campaign ID": 'say "hi", then, leave',
      "Solution 1": "'=SOL",
      "Team member 1": "'-Bob, P, , b@x.example",
    });
    expect(exportRow(deal, 1, 1)).toContain("'=1+1");
    expect(writeExportFile([deal], "en")).toContain('"say ""hi"", then, leave"');
  });
});
