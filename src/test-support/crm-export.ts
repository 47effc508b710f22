/**
 * A Salesforce-style opportunity export, as a partner's CRM writes it: its own headers for the
 * columns co-sell knows, one column co-sell has no use for ("Stage"), and the co-sell columns
 * no CRM has, added by hand under their template headers.
 */
import type { CsvRow } from "./rows.js";

export const SALESFORCE_HEADERS = [
  "Opportunity Name",
  "Account Name",
  "Billing Street",
  "Billing City",
  "Billing Country",
  "Amount",
  "Opportunity Currency",
  "Close Date",
  "Opportunity ID",
  "Stage",
  "Partner Referral Status",
  "Partner Referral Substatus",
  "Microsoft help required?",
  "Share with Microsoft sales team",
  "Consent to share Customer/Partner contact",
  "Solution 1",
  "Team member 1",
] as const;

export function salesforceRow(i: number, overrides: CsvRow = {}): CsvRow {
  return {
    "Opportunity Name": `Fabrikam renewal ${i}`,
    "Account Name": `Fabrikam ${i} Inc.`,
    "Billing Street": `${i} Main Street`,
    "Billing City": "Redmond",
    "Billing Country": "US",
    Amount: String(1000 + i),
    "Opportunity Currency": "USD",
    "Close Date": "01/30/2027",
    "Opportunity ID": `006A0000${String(i).padStart(5, "0")}`,
    Stage: "Prospecting",
    "Partner Referral Status": "Active",
    "Partner Referral Substatus": "Accepted",
    "Microsoft help required?": "No",
    "Share with Microsoft sales team": "Yes",
    "Consent to share Customer/Partner contact": "Yes",
    "Solution 1": "SOL-1234-PQRS, USD, 10, 100",
    "Team member 1": "Bob, Partner, 999999, bob.partner@contoso.example",
    ...overrides,
  };
}
