/**
 * The demo organisation a first start creates on an empty store, so that `npm start` opens
 * onto something to look at: a Referrals admin and a Referrals user, outbound deals in
 * several countries, currencies and deal types, inbound referrals from the vendor side, and
 * a history of accepted, won, lost, declined and errored deals. Everything goes through the
 * real engine (the importer and the vendor's receive path), so the demo data obeys every
 * rule a file would, and has its audit trail. The data is the same on every machine: choices
 * come from a seeded generator; only the dates follow today.
 */
import { encodeSolution, encodeTeamMember } from "../core/codecs/index.js";
import { FIELD_KEYS, headerOf, listHeaderOf } from "../core/columns.js";
import { writeCsv } from "../core/csv/index.js";
import {
  DEAL_TYPES,
  type DealFields,
  type DealType,
  type Solution,
  type Status,
  type Substatus,
  type TeamMember,
} from "../core/deal.js";
import { RequestError } from "../core/errors.js";
import { encodeField } from "../core/row/field-codecs.js";
import { actorByEmail, addUser, createOrganization } from "./commands/accounts.js";
import type { UserActor } from "../core/actor.js";
import { cliOrigin } from "./commands/audit.js";
import { importDeals } from "./commands/import-deals.js";
import type { ImportSummary } from "./commands/import-summary.js";
import type { Store } from "./db/store.js";
import {
  CONTACTS,
  CUSTOMERS,
  DEMO_ADMIN_EMAIL,
  DEMO_ORG,
  DEMO_USER_EMAIL,
  PLACES,
  PROJECTS,
  SOLUTIONS,
  STAFF,
} from "./demo-data.js";

/** The demo is made by the first `cosell serve` of an empty store. */
const SEED_ORIGIN = cliOrigin("serve");

export interface DemoOptions {
  adminEmail?: string | undefined;
  /** Generated (and returned, to be shown once) when absent. */
  adminPassword?: string | undefined;
  now?: Date;
}

export interface DemoAccount {
  email: string;
  /** Null when the password was given (it is not repeated back). */
  generatedPassword: string | null;
}

export interface DemoSeed {
  org: string;
  admin: DemoAccount;
  user: DemoAccount;
  deals: { outbound: number; inbound: number };
}

/**
 * Seeds the demo organisation when the store has no organisation at all; returns null (and
 * writes nothing) otherwise, so a second start, or a store someone set up, is left alone.
 */
export const seedDemo = async (
  store: Store,
  options: DemoOptions = {},
): Promise<DemoSeed | null> => {
  const any = await store.db.selectFrom("organizations").select("id").limit(1).executeTakeFirst();
  if (any) return null;
  const now = options.now ?? new Date();
  let admin: Awaited<ReturnType<typeof createOrganization>>;
  try {
    admin = await createOrganization(store, {
      name: DEMO_ORG,
      adminEmail: options.adminEmail || DEMO_ADMIN_EMAIL,
      adminName: "Morgan Lee",
      password: options.adminPassword || null,
    });
  } catch (error) {
    // Another process starting on the same empty store got there first.
    if (error instanceof RequestError && error.code === "already_exists") return null;
    throw error;
  }
  const user = await addUser(store, {
    email: DEMO_USER_EMAIL,
    orgName: DEMO_ORG,
    role: "user",
    name: "Ana Silva",
  });
  const adminActor = await actorByEmail(store, admin.email);
  const deals = await seedDeals(store, adminActor, now);
  return {
    org: DEMO_ORG,
    admin: { email: admin.email, generatedPassword: admin.generatedPassword },
    user: { email: user.email, generatedPassword: user.generatedPassword },
    deals,
  };
};

/** Mulberry32: a small seeded generator, so the demo is the same everywhere. */
const seeded = (seed: number) => {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly [T, ...T[]]): T =>
      items[Math.floor(next() * items.length)] ?? items[0],
  };
};

interface SeedRow {
  fields: Partial<DealFields>;
  solutions?: readonly Solution[];
  team?: readonly TeamMember[];
  referralId?: string;
}

const OUTBOUND = 45;
const INBOUND = 15;
const DAY_MS = 24 * 60 * 60 * 1000;

const isoDate = (now: Date, days: number): string =>
  new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);

const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, "");

/** A new deal's fields, varied by `i` and the generator. */
const newDeal = (
  i: number,
  type: DealType,
  rand: ReturnType<typeof seeded>,
  now: Date,
): Partial<DealFields> => {
  const place = PLACES[i % PLACES.length] ?? PLACES[0];
  const customer = CUSTOMERS[(i * 7) % CUSTOMERS.length] ?? CUSTOMERS[0];
  const project = PROJECTS[(i * 3) % PROJECTS.length] ?? PROJECTS[0];
  const [first, last] = rand.pick(CONTACTS);
  const coSell = type === "Co-sell";
  const scale = place.currency === "JPY" ? 100 : 1;
  return {
    name: `${customer} – ${project}`,
    customerName: customer,
    customerAddress1: place.street,
    customerCity: place.city,
    customerState: place.state,
    customerPostalCode: place.postalCode,
    customerCountry: place.country,
    customerDuns: i % 4 === 0 ? String(100000000 + i * 7919) : null,
    // Co-sell asks the vendor for help, which needs a customer contact.
    contactFirstName: coSell || i % 3 === 0 ? first : null,
    contactLastName: coSell || i % 3 === 0 ? last : null,
    contactPhone: coSell || i % 3 === 0 ? place.phone : null,
    contactEmail:
      coSell || i % 3 === 0 ? `${slug(first)}.${slug(last)}@${slug(customer)}.example` : null,
    salesStage: rand.pick([10, 20, 40, 60, 80]),
    value: rand.int(10, 900) * 500 * scale,
    currency: place.currency,
    closeDate: isoDate(now, rand.int(20, 300)),
    crmId: i % 2 === 0 ? `OPP-${String(24000 + i * 13).padStart(6, "0")}` : null,
    campaignId: i % 5 === 0 ? "FY27-Cloud-Accelerate" : null,
    notes:
      i % 4 === 1
        ? `Budget confirmed for ${project.toLowerCase()}; decision expected this quarter.`
        : null,
    helpRequired: coSell,
    helpType: coSell ? rand.int(1, 6) : null,
    shareWithMicrosoft: type !== "Private",
    notesToMicrosoft: coSell ? "Please introduce the account executive for a joint call." : null,
    consent: true,
  };
};

const pickSolutions = (i: number, rand: ReturnType<typeof seeded>): Solution[] => {
  const count = i % 5 === 0 ? 3 : i % 3 === 0 ? 2 : 1;
  const start = rand.int(0, SOLUTIONS.length - 1);
  return Array.from(
    { length: count },
    (_, k) => SOLUTIONS[(start + k) % SOLUTIONS.length] ?? SOLUTIONS[0],
  );
};

const pickTeam = (i: number): TeamMember[] => {
  // One to three people; Ana (the Referrals user) leads every third deal, so she sees those.
  const [ana, ...others] = STAFF;
  const size = i % 4 === 0 ? 3 : i % 2 === 0 ? 2 : 1;
  const n = others.length;
  const team = others.filter((_, k) => (((k - i) % n) + n) % n < size);
  return i % 3 === 0 ? [ana, ...team.slice(0, size - 1)] : team;
};

/** The CSV of `rows`: the columns any row sets, in template order, written by the real writer. */
const csvOf = (rows: readonly SeedRow[]): Uint8Array => {
  const withId = rows.some((r) => r.referralId !== undefined);
  const fields = FIELD_KEYS.filter((k) => rows.some((r) => r.fields[k] !== undefined));
  const solutions = Math.max(0, ...rows.map((r) => r.solutions?.length ?? 0));
  const team = Math.max(0, ...rows.map((r) => r.team?.length ?? 0));
  const numbered = (n: number) => Array.from({ length: n }, (_, k) => k);
  const header = [
    ...(withId ? [headerOf("referralId", "en")] : []),
    ...fields.map((k) => headerOf(k, "en")),
    ...numbered(solutions).map((k) => listHeaderOf("solutions", k + 1, "en")),
    ...numbered(team).map((k) => listHeaderOf("team", k + 1, "en")),
  ];
  const records = rows.map((r) => [
    ...(withId ? [r.referralId ?? ""] : []),
    ...fields.map((k) => encodeField(k, r.fields[k])),
    ...numbered(solutions).map((k) => {
      const s = r.solutions?.[k];
      return s ? encodeSolution(s) : "";
    }),
    ...numbered(team).map((k) => {
      const m = r.team?.[k];
      return m ? encodeTeamMember(m) : "";
    }),
  ]);
  return new TextEncoder().encode(writeCsv([header, ...records]));
};

/** Every row must land: a demo row the engine refuses is a bug in this file. */
const expectAll = (what: string, summary: ImportSummary): string[] => {
  const failed = summary.rows.filter((r) => r.result === "Not processed");
  if (failed.length > 0) {
    const first = failed[0]?.errors.map((e) => e.message).join("; ");
    throw new Error(`The demo ${what} were refused (${failed.length} rows), e.g.: ${first}`);
  }
  return summary.rows.map((r) => r.referralId ?? "");
};

const move = (
  referralId: string,
  status: Status,
  substatus: Substatus,
  reason?: number,
): SeedRow => ({
  referralId,
  fields: { status, substatus, closeReason: reason ?? null },
});

const seedDeals = async (
  store: Store,
  admin: UserActor,
  now: Date,
): Promise<{ outbound: number; inbound: number }> => {
  const rand = seeded(20_261_124);
  const outboundRows: SeedRow[] = Array.from({ length: OUTBOUND }, (_, i) => ({
    fields: {
      ...newDeal(i, DEAL_TYPES[i % DEAL_TYPES.length] ?? "Private", rand, now),
      status: "Active",
      substatus: "Accepted",
    },
    solutions: pickSolutions(i, rand),
    team: pickTeam(i),
  }));
  const outbound = expectAll(
    "outbound deals",
    await importDeals(store, {
      actor: admin,
      bytes: csvOf(outboundRows),
      fileName: "demo-outbound.csv",
      origin: SEED_ORIGIN,
      now,
    }),
  );

  // Referrals the vendor side sends: New/Received, with the vendor's own status.
  const inboundRows: SeedRow[] = Array.from({ length: INBOUND }, (_, k) => {
    const i = OUTBOUND + k;
    return {
      fields: {
        ...newDeal(i, k % 4 === 3 ? "Partner-led" : "Co-sell", rand, now),
        microsoftStatus: k % 3 === 0 ? "Pending" : "Accepted",
        crmId: null,
      },
      solutions: pickSolutions(i, rand),
      team: [STAFF[(k % 2) + 1] ?? STAFF[0]],
    };
  });
  const inbound = expectAll(
    "inbound referrals",
    await importDeals(store, {
      actor: { kind: "vendor", orgId: admin.orgId },
      bytes: csvOf(inboundRows),
      origin: SEED_ORIGIN,
      now,
    }),
  );

  // What the partner did next, as an admin's status file: accept, decline, win, lose, error.
  const at = (ids: readonly string[], n: number): string => ids[n] ?? "";
  const decisions: SeedRow[] = [
    ...[0, 1, 2, 3, 4, 5].map((n) => move(at(inbound, n), "Active", "Accepted")),
    move(at(inbound, 6), "Closed", "Declined", 2),
    move(at(inbound, 7), "Closed", "Error", 3),
    ...[0, 1, 2, 3, 4, 5, 6].map((n) => move(at(outbound, n), "Closed", "Won")),
    move(at(outbound, 7), "Closed", "Lost", 3),
  ];
  expectAll(
    "status changes",
    await importDeals(store, {
      actor: admin,
      bytes: csvOf(decisions),
      fileName: "demo-status-updates.csv",
      origin: SEED_ORIGIN,
    }),
  );
  // Two of the accepted referrals were won since.
  expectAll(
    "wins",
    await importDeals(store, {
      actor: admin,
      bytes: csvOf([move(at(inbound, 0), "Closed", "Won"), move(at(inbound, 1), "Closed", "Won")]),
      fileName: "demo-wins.csv",
      origin: SEED_ORIGIN,
    }),
  );
  return { outbound: outbound.length, inbound: inbound.length };
};
