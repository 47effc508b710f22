/**
 * SPEC §6: the deal lifecycle as data. Every status change — from a CSV row, the API,
 * the vendor side or the expiry sweep — goes through `planTransition`.
 */
import { type CodeList, DECLINE_LOST_REASONS, ERROR_REASONS } from "./code-lists.js";
import type { Status, Substatus } from "./deal.js";
import { TRANSITION } from "./messages/rows.js";
import { splitText } from "./messages/text.js";

export interface StatusPair {
  status: Status;
  substatus: Substatus;
}

/** The status table: which substatuses each status allows, and where it may move. */
export const STATUS_TABLE: Readonly<
  Record<Status, { substatuses: readonly Substatus[]; next: readonly Status[] }>
> = {
  New: { substatuses: ["Pending", "Received"], next: ["New", "Active", "Closed"] },
  Active: { substatuses: ["Accepted"], next: ["Active", "Closed"] },
  Closed: { substatuses: ["Won", "Lost", "Declined", "Expired", "Error"], next: [] },
};

/** Closed is the only terminal status: Declined, Expired, Won, Lost and Error accept no change. */
export const isTerminal = (pair: StatusPair): boolean =>
  STATUS_TABLE[pair.status].next.length === 0;

export const isValidPair = (pair: StatusPair): boolean =>
  STATUS_TABLE[pair.status].substatuses.includes(pair.substatus);

/** Who asks for the change: partner staff (CSV, API, web), the vendor side, or the system (expiry). */
export type Actor = "partner" | "vendor" | "system";

export interface Transition {
  name: string;
  from: readonly StatusPair[];
  to: StatusPair;
  by: readonly Actor[];
  /** The code list the reason must come from; absent when no reason is asked. */
  reason?: CodeList;
  /** Won sets the sales stage to 100. */
  salesStage?: number;
}

const pair = (status: Status, substatus: Substatus): StatusPair => ({ status, substatus });
const NEW = [pair("New", "Pending"), pair("New", "Received")];
const ACTIVE = [pair("Active", "Accepted")];

export const TRANSITIONS: readonly Transition[] = [
  { name: "accept", from: NEW, to: pair("Active", "Accepted"), by: ["partner"] },
  {
    name: "decline",
    from: NEW,
    to: pair("Closed", "Declined"),
    by: ["partner"],
    reason: DECLINE_LOST_REASONS,
  },
  { name: "win", from: ACTIVE, to: pair("Closed", "Won"), by: ["partner"], salesStage: 100 },
  {
    name: "lose",
    from: ACTIVE,
    to: pair("Closed", "Lost"),
    by: ["partner"],
    reason: DECLINE_LOST_REASONS,
  },
  {
    name: "close-as-error",
    from: [...NEW, ...ACTIVE],
    to: pair("Closed", "Error"),
    by: ["partner"],
    reason: ERROR_REASONS,
  },
  { name: "expire", from: NEW, to: pair("Closed", "Expired"), by: ["system"] },
  { name: "receive", from: [pair("New", "Pending")], to: pair("New", "Received"), by: ["vendor"] },
];

/** Where a new deal starts, by who creates it. */
export const CREATE_STATES: Readonly<Record<"outbound" | "inbound", readonly StatusPair[]>> = {
  outbound: ACTIVE,
  inbound: NEW,
};

/** Where a new deal starts when its row names no status: one of `CREATE_STATES`. */
export const CREATE_START: Readonly<Record<"outbound" | "inbound", StatusPair>> = {
  outbound: pair("Active", "Accepted"),
  inbound: pair("New", "Received"),
};

export const samePair = (a: StatusPair, b: StatusPair): boolean =>
  a.status === b.status && a.substatus === b.substatus;

export const formatPair = (p: StatusPair): string => `${p.status}/${p.substatus}`;

export type TransitionPlan =
  | { ok: true; transition: Transition | null }
  | {
      ok: false;
      code: "terminal" | "invalid_status_pair" | "invalid_transition" | "system_only_status";
      message: string;
      fr?: string | undefined;
    };

/**
 * Decides whether `from` may move to `to` for this actor. A move to the same pair is no
 * transition at all (`transition: null`). The caller applies the reason and sales stage.
 */
export const planTransition = (from: StatusPair, to: StatusPair, actor: Actor): TransitionPlan => {
  if (!isValidPair(to)) {
    return {
      ok: false,
      code: "invalid_status_pair",
      ...splitText(
        TRANSITION.pairMismatch(to.substatus, to.status, STATUS_TABLE[to.status].substatuses),
      ),
    };
  }
  if (samePair(from, to)) return { ok: true, transition: null };
  if (isTerminal(from)) {
    return {
      ok: false,
      code: "terminal",
      ...splitText(TRANSITION.terminal(formatPair(from))),
    };
  }
  const toTarget = TRANSITIONS.filter((t) => samePair(t.to, to));
  const owners = toTarget.flatMap((t) => t.by);
  if (toTarget.length > 0 && !owners.includes(actor)) {
    return {
      ok: false,
      code: "system_only_status",
      ...splitText(TRANSITION.systemOnly(formatPair(to), [...new Set(owners)])),
    };
  }
  const allowed = toTarget.find(
    (t) => t.by.includes(actor) && t.from.some((f) => samePair(f, from)),
  );
  if (allowed) return { ok: true, transition: allowed };
  const reachable = TRANSITIONS.filter(
    (t) => t.by.includes(actor) && t.from.some((f) => samePair(f, from)),
  ).map((t) => formatPair(t.to));
  return {
    ok: false,
    code: "invalid_transition",
    ...splitText(TRANSITION.notAllowed(formatPair(from), formatPair(to), reachable)),
  };
};
