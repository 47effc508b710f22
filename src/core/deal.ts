/** SPEC §5–§6: the deal and its parts. Plain data, so it travels to the browser and back. */

export const STATUSES = ["New", "Active", "Closed"] as const;
export type Status = (typeof STATUSES)[number];

export const SUBSTATUSES = [
  "Pending",
  "Received",
  "Accepted",
  "Won",
  "Lost",
  "Declined",
  "Expired",
  "Error",
] as const;
export type Substatus = (typeof SUBSTATUSES)[number];

export const DEAL_TYPES = ["Co-sell", "Partner-led", "Private"] as const;
export type DealType = (typeof DEAL_TYPES)[number];

/** Inbound: received from the vendor side. Outbound: created by the partner. */
export type Direction = "inbound" | "outbound";

export interface Solution {
  id: string;
  currency: string | null;
  price: number | null;
  quantity: number | null;
}

export interface TeamMember {
  firstName: string;
  lastName: string;
  phone: string | null;
  email: string;
}

/** Every field a CSV row can carry (SPEC §5), in the shape the engine works with. */
export interface DealFields {
  engagementId: string;
  name: string;
  customerName: string;
  customerAddress1: string;
  customerAddress2: string | null;
  customerCity: string;
  customerState: string | null;
  customerPostalCode: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  customerCountry: string;
  /** Nine digits, as text. */
  customerDuns: string | null;
  contactFirstName: string | null;
  contactLastName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  status: Status;
  substatus: Substatus;
  /** Set by the vendor side only. */
  microsoftStatus: string | null;
  /** Declined/Lost reason 1–8, or error reason 1–9 when the substatus is Error. */
  closeReason: number | null;
  salesStage: number | null;
  value: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** A UTC calendar date, `YYYY-MM-DD`. */
  closeDate: string;
  crmId: string | null;
  campaignId: string | null;
  notes: string | null;
  helpRequired: boolean;
  /** 1–6, required when help is required. */
  helpType: number | null;
  shareWithMicrosoft: boolean;
  notesToMicrosoft: string | null;
  consent: boolean;
  solutions: Solution[];
  team: TeamMember[];
}

export interface Deal extends DealFields {
  /** The Referral ID. */
  id: string;
  orgId: string;
  direction: Direction;
  /** ISO 8601 UTC instants. */
  createdAt: string;
  updatedAt: string;
  /** When an inbound deal was received; the 14-day expiry counts from here. */
  receivedAt: string | null;
  /** Bumped on every change; the API's ETag. */
  version: number;
}

/** SPEC §6: Co-sell = help required; Partner-led = no help, shared; Private = neither. */
export const dealType = (
  deal: Pick<DealFields, "helpRequired" | "shareWithMicrosoft">,
): DealType =>
  deal.helpRequired ? "Co-sell" : deal.shareWithMicrosoft ? "Partner-led" : "Private";

/** Shared with the vendor's sales team: help asked for, or shared explicitly. */
export const isSharedWithMicrosoft = (
  deal: Pick<DealFields, "helpRequired" | "shareWithMicrosoft">,
): boolean => deal.helpRequired || deal.shareWithMicrosoft;

/**
 * The Microsoft Referral Status, set by the vendor side only (SPEC §1, §5 row 19): the
 * vendor's answer to a shared deal, then its outcome on the vendor's side.
 */
export const MICROSOFT_STATUSES = ["Pending", "Accepted", "Declined", "Won", "Lost"] as const;
export type MicrosoftStatus = (typeof MICROSOFT_STATUSES)[number];

/** The Microsoft status this text names (any case, surrounding spaces ignored), or null. */
export const toMicrosoftStatus = (text: string): MicrosoftStatus | null => {
  const wanted = text.trim().toLowerCase();
  return MICROSOFT_STATUSES.find((s) => s.toLowerCase() === wanted) ?? null;
};
