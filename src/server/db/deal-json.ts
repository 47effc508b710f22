/**
 * Deals read as JSON arrays (bulk.ts `selectJson`): the columns each array holds, in order,
 * and the readers that turn an array into a deal, a solution or a team member, checking each
 * value's type on the way. Objects are built as literals of one shape: building them column
 * by column by name was 40× slower for 1,000 deals and made every later read of them slow.
 */
import {
  type Deal,
  type Direction,
  type Solution,
  STATUSES,
  SUBSTATUSES,
  type TeamMember,
} from "../../core/deal.js";
import type { ReadColumn } from "./bulk-read.js";
import type { DealRow } from "./schema.js";

const columns = (names: readonly string[], reals: readonly string[] = []): ReadColumn[] =>
  names.map((name) => ({ name, real: reals.includes(name) }));

/** A deal's columns as `dealOfValues` reads them (every column but the search text). */
export const DEAL_COLUMNS = [
  "id",
  "org_id",
  "engagement_id",
  "direction",
  "name",
  "customer_name",
  "customer_address1",
  "customer_address2",
  "customer_city",
  "customer_state",
  "customer_postal_code",
  "customer_country",
  "customer_duns",
  "contact_first_name",
  "contact_last_name",
  "contact_phone",
  "contact_email",
  "status",
  "substatus",
  "microsoft_status",
  "close_reason",
  "sales_stage",
  "value",
  "currency",
  "close_date",
  "crm_id",
  "campaign_id",
  "notes",
  "help_required",
  "help_type",
  "share_with_microsoft",
  "notes_to_microsoft",
  "consent",
  "created_at",
  "updated_at",
  "received_at",
  "version",
] as const satisfies readonly (keyof DealRow)[];

export const DEAL_READ = columns(DEAL_COLUMNS, ["value"]);

/** A solution's columns, after its deal's id when read on their own. */
export const SOLUTION_READ = columns(["solution_id", "currency", "price", "quantity"], ["price"]);
export const TEAM_READ = columns(["first_name", "last_name", "phone", "email"]);

/** The values of one array, read in order, each checked to be what its column holds. */
class Values {
  #at = 0;
  readonly #values: readonly unknown[];

  constructor(values: unknown, width: number) {
    if (!Array.isArray(values) || values.length < width) {
      throw new Error(`expected a JSON array of at least ${width} values from the database`);
    }
    this.#values = values;
  }

  #next(): unknown {
    return this.#values[this.#at++];
  }

  /** Passes over values read elsewhere (a child row's deal id and position). */
  skip(count: number): void {
    this.#at += count;
  }

  #wrong(what: string, value: unknown): Error {
    return new Error(`value ${this.#at} read from the database is not ${what}: ${String(value)}`);
  }

  text(): string {
    const v = this.#next();
    if (typeof v !== "string") throw this.#wrong("text", v);
    return v;
  }

  textOrNull(): string | null {
    const v = this.#next();
    if (v === null || typeof v === "string") return v;
    throw this.#wrong("text or null", v);
  }

  /** A number; SQLite sends a REAL as text to keep every digit (bulk.ts `jsonValue`). */
  number(): number {
    const v = this.#next();
    const n = typeof v === "string" ? Number(v) : v;
    if (typeof n !== "number" || Number.isNaN(n)) throw this.#wrong("a number", v);
    return n;
  }

  numberOrNull(): number | null {
    if (this.#values[this.#at] === null) {
      this.#at++;
      return null;
    }
    return this.number();
  }

  /** A 0/1 flag. */
  flag(): boolean {
    return this.number() === 1;
  }

  oneOf<T extends string>(allowed: readonly T[]): T {
    const v = this.#next();
    const found = allowed.find((a) => a === v);
    if (found === undefined) throw this.#wrong(allowed.join(" | "), v);
    return found;
  }

  /** What follows the first `width` values (a deal's nested lists). */
  after(width: number): readonly unknown[] {
    return this.#values.slice(width);
  }
}

const DIRECTIONS: readonly Direction[] = ["inbound", "outbound"];

/** A deal from its `DEAL_READ` values, with its children. */
export const dealOfValues = (values: unknown, solutions: Solution[], team: TeamMember[]): Deal => {
  const v = new Values(values, DEAL_READ.length);
  return {
    id: v.text(),
    orgId: v.text(),
    engagementId: v.text(),
    direction: v.oneOf(DIRECTIONS),
    name: v.text(),
    customerName: v.text(),
    customerAddress1: v.text(),
    customerAddress2: v.textOrNull(),
    customerCity: v.text(),
    customerState: v.textOrNull(),
    customerPostalCode: v.textOrNull(),
    customerCountry: v.text(),
    customerDuns: v.textOrNull(),
    contactFirstName: v.textOrNull(),
    contactLastName: v.textOrNull(),
    contactPhone: v.textOrNull(),
    contactEmail: v.textOrNull(),
    status: v.oneOf(STATUSES),
    substatus: v.oneOf(SUBSTATUSES),
    microsoftStatus: v.textOrNull(),
    closeReason: v.numberOrNull(),
    salesStage: v.numberOrNull(),
    value: v.number(),
    currency: v.text(),
    closeDate: v.text(),
    crmId: v.textOrNull(),
    campaignId: v.textOrNull(),
    notes: v.textOrNull(),
    helpRequired: v.flag(),
    helpType: v.numberOrNull(),
    shareWithMicrosoft: v.flag(),
    notesToMicrosoft: v.textOrNull(),
    consent: v.flag(),
    solutions,
    team,
    createdAt: v.text(),
    updatedAt: v.text(),
    receivedAt: v.textOrNull(),
    version: v.number(),
  };
};

/** A deal's id (its first value), without reading the rest. */
export const dealIdOf = (values: unknown): string => new Values(values, DEAL_READ.length).text();

/** The lists nested after a deal's columns (`selectJson` children): its solutions, its team. */
export const nestedListsOf = (values: unknown): readonly unknown[] =>
  new Values(values, DEAL_READ.length).after(DEAL_READ.length);

/** A solution from its `SOLUTION_READ` values, after `skip` leading ones (its deal's id). */
export const solutionOfValues = (values: unknown, skip = 0): Solution => {
  const v = new Values(values, skip + SOLUTION_READ.length);
  v.skip(skip);
  return {
    id: v.text(),
    currency: v.textOrNull(),
    price: v.numberOrNull(),
    quantity: v.numberOrNull(),
  };
};

/** A team member from its `TEAM_READ` values, after `skip` leading ones (its deal's id). */
export const memberOfValues = (values: unknown, skip = 0): TeamMember => {
  const v = new Values(values, skip + TEAM_READ.length);
  v.skip(skip);
  return { firstName: v.text(), lastName: v.text(), phone: v.textOrNull(), email: v.text() };
};
