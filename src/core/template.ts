/** The import template (SPEC §4): headers only, or headers plus one example row, in English or French. */
import { COLUMNS, type Lang, listHeaderOf } from "./columns.js";
import { writeCsv } from "./csv/index.js";

/** Never the columns exports and results files write: a new deal has no time or version yet. */
const TEMPLATE_COLUMNS = COLUMNS.filter(
  (c) => c.key !== "lastModified" && c.key !== "importResult" && c.key !== "version",
);

/** The source page's own sample values, made consistent with the rules (e.g. help 2 with contacts). */
const EXAMPLE: Readonly<Record<string, string>> = {
  name: "UK spring deal",
  customerName: "Contoso Corporation",
  customerAddress1: "One Contoso Way",
  customerAddress2: "NE 148 street",
  customerCity: "Redmond",
  customerState: "Washington",
  customerPostalCode: "98052",
  customerCountry: "US",
  customerDuns: "081466849",
  contactFirstName: "John",
  contactLastName: "Customer",
  contactPhone: "9999999999",
  contactEmail: "john.customer@contoso.com",
  status: "Active",
  substatus: "Accepted",
  salesStage: "40",
  value: "12563",
  currency: "USD",
  closeDate: "01/30/2027",
  crmId: "34234324-sdfsdf-345345-sfd",
  campaignId: "BingSummer2027",
  notes: "This is a sample note",
  helpRequired: "Yes",
  helpType: "2",
  shareWithMicrosoft: "Yes",
  notesToMicrosoft: "Looking for an architecture review",
  consent: "Yes",
};

/** The template's rows (header, and the example row when asked): the CSV's and the workbook's. */
export function templateRows(lang: Lang, example: boolean): string[][] {
  const header = [
    ...TEMPLATE_COLUMNS.map((c) => c[lang]),
    listHeaderOf("solutions", 1, lang),
    listHeaderOf("team", 1, lang),
  ];
  const rows = [header];
  if (example) {
    rows.push([
      ...TEMPLATE_COLUMNS.map((c) => EXAMPLE[c.key] ?? ""),
      "SOL-1234-PQRS, USD, 10, 100",
      "Bob, Partner, 999999, bob.partner@contoso.com",
    ]);
  }
  return rows;
}

export const templateFile = (lang: Lang, example: boolean): string =>
  writeCsv(templateRows(lang, example));
