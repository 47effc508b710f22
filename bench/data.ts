/**
 * The benchmark's data: import files of 1,000 rows (create, then update), organisations to
 * import into, and the 100,000 deals the exports read. Deterministic, so runs compare.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Deal } from "../src/core/deal.js";
import { actorByEmail, createOrganization } from "../src/server/commands/accounts.js";
import type { UserActor } from "../src/core/actor.js";
import type { Store } from "../src/server/db/store.js";
import { type CsvRow, csvBytes, newDealRow } from "../src/test-support/deals.js";

export const IMPORT_ROWS = 1000;
export const SEED_DEALS = 100_000;

const CUSTOMERS = [
  "Contoso Ltd",
  "Fabrikam, Inc.",
  "Northwind Traders",
  "Adventure Works",
  "Tailspin Toys",
  "Wide World Importers",
  "Litware",
  "Proseware",
  "Woodgrove Bank",
  "Alpine Ski House",
];
/** One customer in ten: the export's search term finds about 10,000 of the 100,000 deals. */
export const SEARCH_TERM = "tailspin";
export const COUNTRIES = ["US", "FR", "DE", "GB", "AU", "JP"];
const SOLUTIONS = ["SOL-1234-PQRS", "SOL-2455-TNNZ", "SOL-2209-DPWJ", "SOL-1869-KLQX"];

const solutionCell = (id: string, price: number, quantity: number) =>
  `${id}, USD, ${price}, ${quantity}`;

/** Row `i` of the create file: a new deal with a CRM ID, 3 solutions and 3 team members. */
const createRow = (i: number): CsvRow =>
  newDealRow({
    "Deal Name": `Bench deal ${i}`,
    "Customer Name": CUSTOMERS[i % CUSTOMERS.length] ?? "Contoso Ltd",
    "Customer Country": COUNTRIES[i % COUNTRIES.length] ?? "US",
    "Estimated Deal Value": String(1000 + i),
    "CRM ID": `BENCH-${i}`,
    Notes: `Opened at the ${i % 7 === 0 ? "spring, summer" : "autumn"} event`,
    "Solution 1": solutionCell("SOL-1234-PQRS", 10, 100),
    "Solution 2": solutionCell("SOL-2455-TNNZ", 120, 8),
    "Solution 3": solutionCell("SOL-2209-DPWJ", 470, 29),
    "Team member 1": "Bob, Partner, +1 425 555 0100, bob.partner@contoso.example",
    "Team member 2": `Ana, Silva, +1 425 555 0101, ana.silva${i % 5}@contoso.example`,
    "Team member 3": "Dana, O'Neil, +44 20 7946 0103, dana.oneil@contoso.example",
  });

export const createRows = (n = IMPORT_ROWS): CsvRow[] =>
  Array.from({ length: n }, (_, i) => createRow(i));

/**
 * The update file: the same rows naming the created deals by Referral ID, with a new Deal
 * Name, value, notes and Solution 2.
 */
export const updateRows = (rows: readonly CsvRow[], referralIds: readonly string[]): CsvRow[] =>
  rows.map((row, i) => ({
    ...row,
    "Referral ID": referralIds[i] ?? "",
    "Deal Name": `Bench deal ${i} (renewal)`,
    "Estimated Deal Value": String(2000 + i),
    Notes: `Updated after the review of week ${i % 52}`,
    "Solution 2": solutionCell("SOL-1869-KLQX", 210, 12),
  }));

export const fileOf = (rows: readonly CsvRow[]): Uint8Array => csvBytes(rows);

let orgs = 0;

/** A new organisation with its admin, so a run starts from no deals and no CRM IDs. */
export async function freshOrg(store: Store): Promise<UserActor> {
  const tag = `${process.pid}-${++orgs}`;
  const adminEmail = `admin-${tag}@bench.example`;
  await createOrganization(store, {
    name: `Bench ${tag}`,
    adminEmail,
    password: "bench-admin-passphrase",
  });
  return actorByEmail(store, adminEmail);
}

/** The tables a run writes, which `purgeOrg` empties again. */
const PURGED = [
  "audit_events",
  "imports",
  "import_rows",
  "deals",
  "deal_solutions",
  "deal_team_members",
];

/**
 * Removes what runs left in an organisation (its deals with their children, imports with
 * their rows, audit events), so every run meets a database of the same size. On PostgreSQL
 * the dead rows are vacuumed away too, as autovacuum would do — it is off on the machine these
 * figures come from, and without it every run scanned the dead rows of all the runs before.
 */
export async function purgeOrg(store: Store, orgId: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("audit_events").where("org_id", "=", orgId).execute();
    await trx.deleteFrom("imports").where("org_id", "=", orgId).execute();
    await trx.deleteFrom("deals").where("org_id", "=", orgId).execute();
  });
  if (store.dialect === "postgres") await sql.raw(`vacuum ${PURGED.join(", ")}`).execute(store.db);
}

/**
 * A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made
 * one after another sort one after another, so B-tree inserts land on the right edge.
 */
export const uuidv7 = (): string => {
  const b = randomBytes(16);
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** A small deterministic generator (mulberry32), so every run seeds the same deals. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const pick = <T>(list: readonly T[], r: number): T => {
  const item = list[Math.floor(r * list.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
};

/** `n` deals of one organisation across countries, directions and deal types, two years of history. */
export const seedDeals = (orgId: string, n = SEED_DEALS): Deal[] => {
  const r = random(42);
  const start = Date.parse("2025-01-01T00:00:00Z");
  return Array.from({ length: n }, (_, i): Deal => {
    const createdAt = new Date(start + Math.floor(r() * 730 * 86_400_000)).toISOString();
    const inbound = r() < 0.3;
    const helpRequired = r() < 1 / 3;
    const customerName = pick(CUSTOMERS, r());
    return {
      id: randomUUID(),
      orgId,
      engagementId: randomUUID(),
      direction: inbound ? "inbound" : "outbound",
      name: `${customerName} deal ${i}`,
      customerName,
      customerAddress1: `${1 + (i % 400)} Main Street`,
      customerAddress2: null,
      customerCity: "Seattle",
      customerState: null,
      customerPostalCode: "98101",
      customerCountry: pick(COUNTRIES, r()),
      customerDuns: null,
      contactFirstName: "Maria",
      contactLastName: "Lopez",
      contactPhone: "+1 512 555 0199",
      contactEmail: "maria.lopez@fabrikam.example",
      status: inbound ? "New" : "Active",
      substatus: inbound ? "Received" : "Accepted",
      microsoftStatus: null,
      closeReason: null,
      salesStage: null,
      value: 1000 + Math.floor(r() * 500_000),
      currency: "USD",
      closeDate: "2027-12-31",
      crmId: `CRM-${i}`,
      campaignId: null,
      notes: i % 3 === 0 ? "Multi-line note\nsecond line, with comma" : "Sample note",
      helpRequired,
      helpType: helpRequired ? 2 : null,
      shareWithMicrosoft: helpRequired || r() < 0.5,
      notesToMicrosoft: null,
      consent: true,
      solutions: [0, 1, 2].map((k) => ({
        id: pick(SOLUTIONS, r()),
        currency: "USD",
        price: 10 * (k + 1),
        quantity: 1 + (i % 50),
      })),
      team: [
        {
          firstName: "Bob",
          lastName: "Partner",
          phone: null,
          email: "bob.partner@contoso.example",
        },
        {
          firstName: "Ana",
          lastName: "Silva",
          phone: null,
          email: `ana.silva${i % 5}@contoso.example`,
        },
        {
          firstName: "Dana",
          lastName: "O'Neil",
          phone: "+44 20 7946 0103",
          email: "dana.oneil@contoso.example",
        },
      ],
      createdAt,
      updatedAt: createdAt,
      receivedAt: inbound ? createdAt : null,
      version: 1,
    };
  });
};
