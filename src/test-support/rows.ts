/** Import rows for tests, keyed by English header. Pure, so core tests use it too. */

export type CsvRow = Record<string, string>;

/** A complete, valid new-deal row; override any cell by its English header. */
export const newDealRow = (overrides: CsvRow = {}): CsvRow => ({
  "Referral ID": "",
  "Deal Name": "Contoso cloud migration",
  "Customer Name": "Contoso Ltd",
  "Customer Address Line 1": "1 Main Street",
  "Customer City": "Seattle",
  "Customer Country": "US",
  "Partner Referral Status": "Active",
  "Partner Referral Substatus": "Accepted",
  "Estimated Deal Value": "10000",
  Currency: "USD",
  "Estimated Close Date": "12/31/2027",
  "CRM ID": "",
  "Microsoft help required?": "No",
  "Share with Microsoft sales team": "Yes",
  "Consent to share Customer/Partner contact": "Yes",
  "Solution 1": "SOL-1234-PQRS, USD, 10, 100",
  "Team member 1": "Bob, Partner, 999999, bob.partner@contoso.example",
  ...overrides,
});

/** The cells that make a row a Co-sell deal: help required, its kind, the customer contact. */
export const CO_SELL_CELLS: CsvRow = {
  "Microsoft help required?": "Yes",
  "What specific help from Microsoft?": "1",
  "Customer Contact First Name": "A",
  "Customer Contact Last Name": "B",
  "Customer Contact Phone number": "1",
  "Customer Contact Email Address": "a@b.example",
};
