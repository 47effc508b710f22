/**
 * The field mapping between a deal and a Partner Center referral (spec note §2), both ways,
 * exactly: text as is (accents kept), decimals as JSON numbers, the close date as the UTC
 * calendar date of `closingDateTime`. Pure, so the sync's decisions are testable alone.
 * Fields are grouped the way Partner Center writes them (the first customer contact is one
 * field; the status pair is one field), because that is the unit a conflict is about.
 */
import type { Referral } from "../api/partner-center-schemas.js";
import { DECLINE_LOST_REASONS, ERROR_REASONS } from "../code-lists.js";
import { isCountryCode } from "../codecs/country.js";
import { isCurrencyCode } from "../codecs/currency.js";
import type { DealFields, Solution, Status, Substatus, TeamMember } from "../deal.js";
import { isValidPair, type StatusPair } from "../lifecycle.js";

export const SYNCED_FIELDS = [
  "name",
  "customerName",
  "customerAddress1",
  "customerAddress2",
  "customerCity",
  "customerState",
  "customerPostalCode",
  "customerCountry",
  "customerDuns",
  "contact",
  "status",
  "closeReason",
  "value",
  "currency",
  "closeDate",
  "crmId",
  "campaignId",
  "notes",
  "help",
  "shareWithMicrosoft",
  "notesToMicrosoft",
  "consent",
  "solutions",
  "team",
] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];

export const isSyncedField = (text: string): text is SyncedField =>
  SYNCED_FIELDS.some((f) => f === text);

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

export type SyncedValues = Record<SyncedField, JsonValue>;

/** The idempotency key of a create, sent as `externalReferenceId` when the deal has no CRM ID. */
export const CREATE_KEY_PREFIX = "cosell:";

/** Help types 1–6 (SPEC §7) ↔ `inviteContext.assistanceRequestCode` (spec note §1.3, [S8]). */
const ASSISTANCE_CODES = [
  "WorkloadSpecificValueProposition",
  "CustomerTechnicalArchitecture",
  "ProofOfConceptOrDemo",
  "QuotesOrLicensing",
  "PostSalesCustomerSuccess",
  "GeneralOrOther",
] as const;

const ASSISTANCE_INDEX = new Map<string, number>(ASSISTANCE_CODES.map((c, i) => [c, i]));

export const sameValue = (a: JsonValue, b: JsonValue): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

const contactOf = (d: DealFields): JsonValue =>
  d.contactFirstName || d.contactLastName || d.contactPhone || d.contactEmail
    ? {
        firstName: d.contactFirstName,
        lastName: d.contactLastName,
        phone: d.contactPhone,
        email: d.contactEmail,
      }
    : null;

const solutionsOf = (items: readonly Solution[]): JsonValue =>
  items.map((s) => ({ id: s.id, currency: s.currency, price: s.price, quantity: s.quantity }));

const teamOf = (items: readonly TeamMember[]): JsonValue =>
  items.map((m) => ({
    firstName: m.firstName,
    lastName: m.lastName,
    phone: m.phone,
    email: m.email,
  }));

/** The synced values of a deal. */
export function valuesOfDeal(d: DealFields): SyncedValues {
  return {
    name: d.name,
    customerName: d.customerName,
    customerAddress1: d.customerAddress1,
    customerAddress2: d.customerAddress2,
    customerCity: d.customerCity,
    customerState: d.customerState,
    customerPostalCode: d.customerPostalCode,
    customerCountry: d.customerCountry,
    customerDuns: d.customerDuns,
    contact: contactOf(d),
    status: `${d.status}/${d.substatus}`,
    closeReason: d.closeReason,
    value: d.value,
    currency: d.currency,
    closeDate: d.closeDate,
    crmId: d.crmId,
    campaignId: d.campaignId,
    notes: d.notes,
    help: d.helpRequired ? { required: true, type: d.helpType } : { required: false, type: null },
    shareWithMicrosoft: d.shareWithMicrosoft,
    notesToMicrosoft: d.notesToMicrosoft,
    consent: d.consent,
    solutions: solutionsOf(d.solutions),
    team: teamOf(d.team),
  };
}

export interface MappingError {
  field: SyncedField;
  message: string;
}

const blank = (v: string | null | undefined): string | null => {
  if (v === undefined || v === null) return null;
  return v === "" ? null : v;
};

const toNumber = (v: number | string | null | undefined): number | null => {
  if (v === undefined || v === null || v === "") return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : Number.NaN;
};

/** `closingDateTime` → its UTC calendar date. */
export function utcDate(instant: string): string | null {
  const t = Date.parse(instant);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

function reasonCode(status: StatusPair, text: string | null): number | null {
  if (status.substatus !== "Declined" && status.substatus !== "Lost") return null;
  const wanted = (text ?? "").trim().toLowerCase();
  for (const [code, label] of DECLINE_LOST_REASONS.entries) {
    if (label.toLowerCase() === wanted) return code;
  }
  // Free text Partner Center took from elsewhere: "Others" keeps the deal valid here.
  return 8;
}

export function reasonText(pair: StatusPair, code: number | null): string | null {
  if (code === null) return null;
  const list = pair.substatus === "Error" ? ERROR_REASONS : DECLINE_LOST_REASONS;
  return list.entries.get(code) ?? null;
}

export interface MappedReferral {
  values: SyncedValues;
  /** Customer ids other than the D-U-N-S, kept so a push of the D-U-N-S does not drop them. */
  otherIds: JsonValue;
  errors: MappingError[];
}

/** The synced values of a referral, with every member that cannot be a deal field named. */
export function valuesOfReferral(r: Referral): MappedReferral {
  const errors: MappingError[] = [];
  const need = (field: SyncedField, v: string | null, what: string): string => {
    if (v === null) errors.push({ field, message: `Partner Center sent no ${what}` });
    return v ?? "";
  };
  const customer = r.customerProfile ?? {};
  const address = customer.address ?? {};
  const details = r.details ?? {};
  const invite = r.inviteContext ?? {};
  const consent = r.consent ?? {};
  const ids = customer.ids ?? [];
  const duns = ids.find((i) => i.profileType === "Duns")?.id ?? null;
  const [first] = customer.team ?? [];

  const pair = { status: r.status, substatus: r.substatus };
  let status: string = `${r.status}/${r.substatus}`;
  const known = (["New", "Active", "Closed"] as const).find((s) => s === pair.status);
  const knownSub = (
    ["Pending", "Received", "Accepted", "Won", "Lost", "Declined", "Expired"] as const
  ).find((s) => s === pair.substatus);
  if (!known || !knownSub || !isValidPair({ status: known, substatus: knownSub })) {
    errors.push({
      field: "status",
      message: `Partner Center status ${status} has no deal status here`,
    });
    status = "New/Pending";
  }
  const statusPair: StatusPair = { status: known ?? "New", substatus: knownSub ?? "Pending" };

  const country = (address.country ?? "").toUpperCase();
  if (!isCountryCode(country)) {
    errors.push({
      field: "customerCountry",
      message: `'${address.country ?? ""}' is not an ISO 3166 country code`,
    });
  }
  const currency = (details.currency ?? "").toUpperCase();
  if (!isCurrencyCode(currency)) {
    errors.push({
      field: "currency",
      message: `'${details.currency ?? ""}' is not an ISO 4217 currency code`,
    });
  }
  const value = toNumber(details.dealValue);
  if (value === null || Number.isNaN(value) || value < 0) {
    errors.push({
      field: "value",
      message: `dealValue '${String(details.dealValue ?? "")}' is not a decimal`,
    });
  }
  const closeDate = details.closingDateTime ? utcDate(details.closingDateTime) : null;
  if (!closeDate) {
    errors.push({
      field: "closeDate",
      message: `closingDateTime '${details.closingDateTime ?? ""}' is not a UTC date-time`,
    });
  }
  const code = ASSISTANCE_INDEX.get(invite.assistanceRequestCode ?? "") ?? -1;
  const external = blank(r.externalReferenceId);
  const solutions: JsonValue = (details.requirements?.solutions ?? []).flatMap((s) =>
    s.id
      ? [
          {
            id: s.id,
            currency: blank(s.currency),
            price: toNumber(s.price),
            quantity: toNumber(s.quantity),
          },
        ]
      : [],
  );
  const team: JsonValue = (r.team ?? []).flatMap((m) =>
    m.email
      ? [
          {
            firstName: m.firstName ?? "",
            lastName: m.lastName ?? "",
            phone: blank(m.phoneNumber),
            email: m.email,
          },
        ]
      : [],
  );
  const values: SyncedValues = {
    name: need("name", blank(r.name), "name"),
    customerName: need("customerName", blank(customer.name), "customer name"),
    customerAddress1: need("customerAddress1", blank(address.addressLine1), "address line 1"),
    customerAddress2: blank(address.addressLine2),
    customerCity: need("customerCity", blank(address.city), "city"),
    customerState: blank(address.state),
    customerPostalCode: blank(address.postalCode),
    customerCountry: country,
    customerDuns: blank(duns),
    contact:
      first && (first.firstName || first.lastName || first.phoneNumber || first.email)
        ? {
            firstName: blank(first.firstName),
            lastName: blank(first.lastName),
            phone: blank(first.phoneNumber),
            email: blank(first.email),
          }
        : null,
    status,
    closeReason: reasonCode(statusPair, blank(r.statusReason)),
    value: value === null || Number.isNaN(value) ? 0 : value,
    currency,
    closeDate: closeDate ?? "",
    crmId: external?.startsWith(CREATE_KEY_PREFIX) ? null : external,
    campaignId: blank(r.campaignId),
    notes: blank(details.notes),
    help: code >= 0 ? { required: true, type: code + 1 } : { required: false, type: null },
    shareWithMicrosoft: consent.consentToShareReferralWithMicrosoftSellers === true,
    notesToMicrosoft: blank(invite.notes),
    consent: consent.consentToContact === true && consent.consentToToShareInfoWithOthers === true,
    solutions,
    team,
  };
  return { values, otherIds: ids.filter((i) => i.profileType !== "Duns"), errors };
}

const text = (v: JsonValue): string | null => (typeof v === "string" ? v : null);
const num = (v: JsonValue): number | null => (typeof v === "number" ? v : null);
const rec = (v: JsonValue): { [key: string]: JsonValue } =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? v : {};

export function pairOf(value: JsonValue): StatusPair {
  const [status, substatus] = String(value).split("/");
  const s = (["New", "Active", "Closed"] as const).find((x) => x === status);
  const sub = (
    ["Pending", "Received", "Accepted", "Won", "Lost", "Declined", "Expired", "Error"] as const
  ).find((x) => x === substatus);
  return { status: s ?? "New", substatus: sub ?? "Pending" };
}

/** Writes one synced field's value into deal fields (the status pair is the lifecycle's job). */
export function applyValue(d: DealFields, field: SyncedField, v: JsonValue): void {
  switch (field) {
    case "name":
    case "customerName":
    case "customerAddress1":
    case "customerCity":
    case "customerCountry":
    case "currency":
    case "closeDate":
      d[field] = text(v) ?? "";
      return;
    case "customerAddress2":
    case "customerState":
    case "customerPostalCode":
    case "customerDuns":
    case "crmId":
    case "campaignId":
    case "notes":
    case "notesToMicrosoft":
      d[field] = text(v);
      return;
    case "contact": {
      const c = rec(v);
      d.contactFirstName = text(c.firstName ?? null);
      d.contactLastName = text(c.lastName ?? null);
      d.contactPhone = text(c.phone ?? null);
      d.contactEmail = text(c.email ?? null);
      return;
    }
    case "status": {
      const p: { status: Status; substatus: Substatus } = pairOf(v);
      d.status = p.status;
      d.substatus = p.substatus;
      return;
    }
    case "closeReason":
      d.closeReason = num(v);
      return;
    case "value":
      d.value = num(v) ?? 0;
      return;
    case "help": {
      const h = rec(v);
      d.helpRequired = h.required === true;
      d.helpType = num(h.type ?? null);
      // SPEC §6: help required ⇒ shared with Microsoft.
      if (d.helpRequired) d.shareWithMicrosoft = true;
      return;
    }
    case "shareWithMicrosoft":
    case "consent":
      d[field] = v === true;
      if (field === "shareWithMicrosoft" && d.helpRequired) d.shareWithMicrosoft = true;
      return;
    case "solutions":
      d.solutions = (Array.isArray(v) ? v : []).map((x) => {
        const s = rec(x);
        return {
          id: text(s.id ?? null) ?? "",
          currency: text(s.currency ?? null),
          price: num(s.price ?? null),
          quantity: num(s.quantity ?? null),
        };
      });
      return;
    case "team":
      d.team = (Array.isArray(v) ? v : []).map((x) => {
        const m = rec(x);
        return {
          firstName: text(m.firstName ?? null) ?? "",
          lastName: text(m.lastName ?? null) ?? "",
          phone: text(m.phone ?? null),
          email: text(m.email ?? null) ?? "",
        };
      });
      return;
  }
}

export interface PatchOp {
  op: "replace" | "add";
  path: string;
  value: JsonValue;
}

const member = (m: JsonValue): JsonValue => {
  const r = rec(m);
  return {
    firstName: r.firstName ?? null,
    lastName: r.lastName ?? null,
    phoneNumber: r.phone ?? null,
    email: r.email ?? null,
  };
};

const solutionItem = (s: JsonValue): JsonValue => {
  const r = rec(s);
  return {
    id: r.id ?? null,
    price: r.price ?? null,
    quantity: r.quantity ?? null,
    currency: r.currency ?? null,
  };
};

/**
 * The JSON Patch operations that set one field on Partner Center. `replace` where the member
 * was there at the last sync (`before` not null), `add` otherwise: RFC 6902's `add` sets a
 * member whether or not it exists, while `replace` needs it to be there.
 */
export function patchOps(
  field: SyncedField,
  v: JsonValue,
  before: JsonValue,
  otherIds: JsonValue,
): PatchOp[] {
  const op = (path: string, value: JsonValue, had: boolean): PatchOp => ({
    op: had ? "replace" : "add",
    path,
    value,
  });
  const had = before !== null;
  switch (field) {
    case "name":
      return [op("/name", v, true)];
    case "customerName":
      return [op("/customerProfile/name", v, true)];
    case "customerAddress1":
      return [op("/customerProfile/address/addressLine1", v, true)];
    case "customerAddress2":
      return [op("/customerProfile/address/addressLine2", v, had)];
    case "customerCity":
      return [op("/customerProfile/address/city", v, true)];
    case "customerState":
      return [op("/customerProfile/address/state", v, had)];
    case "customerPostalCode":
      return [op("/customerProfile/address/postalCode", v, had)];
    case "customerCountry":
      return [op("/customerProfile/address/country", v, true)];
    case "customerDuns": {
      const others = Array.isArray(otherIds) ? otherIds : [];
      return [
        op(
          "/customerProfile/ids",
          v === null ? others : [{ profileType: "Duns", id: v }, ...others],
          false,
        ),
      ];
    }
    case "contact":
      return [op("/customerProfile/team", v === null ? [] : [member(v)], false)];
    case "status": {
      const p = pairOf(v);
      return [op("/status", p.status, true), op("/substatus", p.substatus, true)];
    }
    case "closeReason":
      return [];
    case "value":
      return [op("/details/dealValue", v, true)];
    case "currency":
      return [op("/details/currency", v, true)];
    case "closeDate":
      return [op("/details/closingDateTime", `${text(v) ?? ""}T00:00:00Z`, true)];
    case "crmId":
      return [op("/externalReferenceId", v, had)];
    case "campaignId":
      return [op("/campaignId", v, had)];
    case "notes":
      return [op("/details/notes", v, had)];
    case "help": {
      const h = rec(v);
      const code =
        h.required === true ? (ASSISTANCE_CODES[(num(h.type ?? null) ?? 6) - 1] ?? null) : null;
      return [op("/inviteContext/assistanceRequestCode", code, false)];
    }
    case "shareWithMicrosoft":
      return [op("/consent/consentToShareReferralWithMicrosoftSellers", v, false)];
    case "notesToMicrosoft":
      return [op("/inviteContext/notes", v, had)];
    case "consent":
      return [
        op("/consent/consentToContact", v, false),
        op("/consent/consentToToShareInfoWithOthers", v, false),
      ];
    case "solutions":
      return [
        op("/details/requirements/solutions", (Array.isArray(v) ? v : []).map(solutionItem), false),
      ];
    case "team":
      return [op("/team", (Array.isArray(v) ? v : []).map(member), false)];
  }
}

/** The status pair Partner Center can hold: it has no `Error` substatus. */
export const isPushableStatus = (v: JsonValue): boolean => pairOf(v).substatus !== "Error";

/** The body of a create: the whole referral, `externalReferenceId` as the idempotency key. */
export function createBody(
  values: SyncedValues,
  externalReferenceId: string,
): { [key: string]: JsonValue } {
  const help = rec(values.help);
  const shared = help.required === true || values.shareWithMicrosoft === true;
  const code =
    help.required === true ? (ASSISTANCE_CODES[(num(help.type ?? null) ?? 6) - 1] ?? null) : null;
  const duns = text(values.customerDuns);
  return {
    name: values.name,
    externalReferenceId,
    status: "New",
    substatus: "Pending",
    type: shared ? "Shared" : "Independent",
    qualification: "SalesQualified",
    campaignId: values.campaignId,
    customerProfile: {
      name: values.customerName,
      address: {
        addressLine1: values.customerAddress1,
        addressLine2: values.customerAddress2,
        city: values.customerCity,
        state: values.customerState,
        postalCode: values.customerPostalCode,
        country: values.customerCountry,
      },
      team: values.contact === null ? [] : [member(values.contact)],
      ids: duns ? [{ profileType: "Duns", id: duns }] : [],
    },
    consent: {
      consentToToShareInfoWithOthers: values.consent,
      consentToContact: values.consent,
      consentToShareReferralWithMicrosoftSellers: values.shareWithMicrosoft,
    },
    details: {
      notes: values.notes,
      dealValue: values.value,
      currency: values.currency,
      closingDateTime: `${text(values.closeDate) ?? ""}T00:00:00Z`,
      requirements: {
        industries: [],
        products: [],
        services: [],
        solutions: (Array.isArray(values.solutions) ? values.solutions : []).map(solutionItem),
      },
    },
    team: (Array.isArray(values.team) ? values.team : []).map(member),
    inviteContext: { notes: values.notesToMicrosoft, assistanceRequestCode: code },
  };
}
