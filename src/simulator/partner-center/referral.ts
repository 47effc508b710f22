/**
 * The Referral resource as the simulator keeps it: the documented enumerations and status
 * table, the checks a write must pass, and seeded incoming referrals (deterministic per seed,
 * with accents and decimals, so a connector's mapping is tested on the awkward cases).
 */
import type { Json } from "./odata.js";

export type Doc = { [key: string]: Json };

export const STATUSES = ["None", "New", "Active", "Closed"] as const;
export const SUBSTATUSES = [
  "None",
  "Pending",
  "Received",
  "Accepted",
  "Won",
  "Lost",
  "Declined",
  "Expired",
] as const;

/** The spec note's §1.4 table: where each status may move, and the substatuses it allows. */
export const STATUS_TABLE: Readonly<Record<string, { next: string[]; substatuses: string[] }>> = {
  New: { next: ["New", "Active", "Closed"], substatuses: ["Pending", "Received"] },
  Active: { next: ["Active", "Closed"], substatuses: ["Accepted"] },
  Closed: { next: ["Closed"], substatuses: ["Won", "Lost", "Declined", "Expired"] },
};

const TYPES = ["Independent", "Shared"];
const QUALIFICATIONS = ["None", "Direct", "MarketingQualified", "SalesQualified"];

export class ValidationError extends Error {
  constructor(
    message: string,
    readonly target: string,
  ) {
    super(message);
    this.name = "ValidationError";
  }
}

export function isDoc(v: Json | undefined): v is Doc {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const fail = (target: string, message: string): never => {
  throw new ValidationError(message, target);
};

function text(doc: Doc, key: string, where: string, required: boolean): void {
  const v = doc[key];
  if (v === undefined || v === null) {
    if (required) fail(`${where}${key}`, `'${where}${key}' is required`);
    return;
  }
  if (typeof v !== "string") fail(`${where}${key}`, `'${where}${key}' must be a string`);
}

function oneOf(doc: Doc, key: string, allowed: readonly string[], required: boolean): void {
  const v = doc[key];
  if ((v === undefined || v === null) && !required) return;
  if (typeof v !== "string" || !allowed.includes(v)) {
    fail(key, `'${key}' must be one of ${allowed.join(", ")} (got ${JSON.stringify(v ?? null)})`);
  }
}

function member(m: Json, where: string): void {
  if (!isDoc(m)) throw new ValidationError(`'${where}' must be an object`, where);
  for (const key of ["firstName", "lastName", "email", "phoneNumber"]) {
    text(m, key, `${where}/`, false);
  }
}

/** Checks a whole referral as a create or update would store it. Numeric strings become numbers. */
export function validateReferral(doc: Doc): void {
  oneOf(doc, "type", TYPES, true);
  oneOf(doc, "qualification", QUALIFICATIONS, false);
  oneOf(doc, "status", STATUSES, true);
  oneOf(doc, "substatus", SUBSTATUSES, true);
  const status = String(doc.status);
  const allowed = STATUS_TABLE[status]?.substatuses ?? [];
  if (!allowed.includes(String(doc.substatus))) {
    fail(
      "substatus",
      `substatus '${String(doc.substatus)}' does not go with status '${status}' (allowed: ${allowed.join(", ") || "none"})`,
    );
  }
  text(doc, "name", "", true);
  text(doc, "externalReferenceId", "", false);
  text(doc, "statusReason", "", false);
  text(doc, "campaignId", "", false);
  const customer = doc.customerProfile;
  if (!isDoc(customer))
    throw new ValidationError("'customerProfile' is required", "customerProfile");
  text(customer, "name", "customerProfile/", true);
  const address = customer.address;
  if (!isDoc(address))
    throw new ValidationError("'address' is required", "customerProfile/address");
  for (const key of ["addressLine1", "addressLine2", "city", "state", "postalCode"]) {
    text(address, key, "customerProfile/address/", false);
  }
  if (typeof address.country !== "string" || !/^[A-Z]{2}$/.test(address.country)) {
    fail("customerProfile/address/country", "'country' must be an ISO 3166 alpha-2 code");
  }
  const team = customer.team;
  if (team !== undefined && team !== null) {
    if (!Array.isArray(team)) fail("customerProfile/team", "'team' must be an array");
    else for (const [i, m] of team.entries()) member(m, `customerProfile/team/${i}`);
  }
  if (!isDoc(doc.consent)) throw new ValidationError("'consent' is required", "consent");
  const details = doc.details;
  if (!isDoc(details)) throw new ValidationError("'details' is required", "details");
  const value = details.dealValue;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    // The PATCH sample sends a string; the resource stores a decimal.
    details.dealValue = Number(value);
  } else if (value !== undefined && value !== null && typeof value !== "number") {
    fail("details/dealValue", "'dealValue' must be a decimal number");
  }
  if (details.currency !== undefined && details.currency !== null) {
    if (typeof details.currency !== "string" || !/^[A-Z]{3}$/.test(details.currency)) {
      fail("details/currency", "'currency' must be an ISO 4217 code such as USD");
    }
  }
  const closing = details.closingDateTime;
  if (closing !== undefined && closing !== null) {
    if (typeof closing !== "string" || Number.isNaN(Date.parse(closing))) {
      fail("details/closingDateTime", "'closingDateTime' must be a UTC date-time");
    }
  }
  const team2 = doc.team;
  if (team2 !== undefined && team2 !== null) {
    if (!Array.isArray(team2)) fail("team", "'team' must be an array");
    else for (const [i, m] of team2.entries()) member(m, `team/${i}`);
  }
}

/**
 * A status move the table allows. Won, Lost, Declined and Expired are terminal: a Closed
 * referral accepts no change from a partner at all.
 */
export function checkTransition(before: Doc, after: Doc): void {
  const from = String(before.status);
  const to = String(after.status);
  if (from === "Closed") {
    fail("status", `The referral is Closed/${String(before.substatus)}: it accepts no change`);
  }
  const next = STATUS_TABLE[from]?.next ?? [];
  if (!next.includes(to)) {
    fail("status", `status cannot move from '${from}' to '${to}' (allowed: ${next.join(", ")})`);
  }
}

/** A small seeded generator (mulberry32): the same seed gives the same referrals. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CUSTOMERS = [
  ["Société Générale Énergie", "Paris", "FR", "EUR"],
  ["Müller & Söhne GmbH", "München", "DE", "EUR"],
  ["Ōsaka Kōgyō K.K.", "Ōsaka", "JP", "JPY"],
  ["Comercial São João Ltda", "São Paulo", "BR", "BRL"],
  ["Fabrikam Inc", "Seattle", "US", "USD"],
  ["Çelik Yapı A.Ş.", "İstanbul", "TR", "TRY"],
  ["Nørrebro Bryghus ApS", "København", "DK", "DKK"],
  ["Contoso Ltd", "London", "GB", "GBP"],
] as const;

const PRODUCTS = ["Azure", "Dynamics365Enterprise", "Microsoft365", "Fabric"];

/** One incoming referral from Microsoft, as the service would send it (without server fields). */
export function seedReferral(rand: () => number, n: number): Doc {
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(rand() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  };
  const [customer, city, country, currency] = pick(CUSTOMERS);
  const cents = Math.floor(rand() * 100);
  const dealValue = Number(
    `${1000 + Math.floor(rand() * 500_000)}.${String(cents).padStart(2, "0")}`,
  );
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  return {
    name: `${customer} — opportunité ${n}`,
    externalReferenceId: null,
    status: "New",
    substatus: rand() < 0.8 ? "Pending" : "Received",
    statusReason: null,
    type: "Shared",
    qualification: "SalesQualified",
    campaignId: null,
    customerProfile: {
      name: customer,
      address: {
        addressLine1: `${1 + Math.floor(rand() * 200)} Rue de l'Église`,
        addressLine2: null,
        city,
        state: null,
        postalCode: String(10000 + Math.floor(rand() * 89999)),
        country,
      },
      size: "51to500employees",
      team: [
        {
          firstName: pick(["Zoë", "José", "Ängela", "Bjørn", "Renée"]),
          lastName: pick(["Nuñez", "Lefèvre", "O'Brien", "Østergaard"]),
          phoneNumber: "+33 1 23 45 67 89",
          email: `contact${n}@customer.example`,
        },
      ],
      ids: rand() < 0.5 ? [{ profileType: "Duns", id: String(100000000 + n) }] : [],
    },
    consent: {
      consentToToShareInfoWithOthers: true,
      consentToContact: true,
      consentToShareReferralWithMicrosoftSellers: true,
    },
    details: {
      notes: `Client intéressé — étape ${n}`,
      dealValue,
      currency,
      closingDateTime: `2027-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T00:00:00Z`,
      requirements: {
        industries: [],
        products: [],
        services: [],
        solutions: [{ id: pick(PRODUCTS), name: null, type: "Category" }],
      },
    },
    team: [],
    inviteContext: {
      notes: "Merci de prendre contact rapidement.",
      invitedBy: { organizationId: "msft", organizationName: "Microsoft" },
      assistanceRequestCode: null,
    },
    target: [{ type: "BusinessProfileLocation", id: "msft" }],
  };
}
