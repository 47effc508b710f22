/**
 * What a person may send for one deal outside a CSV file (the API, the web form), and what
 * they may change on it now. A JSON body is turned into the very cells an import row would
 * hold, so the row rules (`parseRow`, `planCreate` / `planUpdate`) judge it — no second copy
 * of a rule. Which fields are locked and which status moves are open are answered here, from
 * the column catalogue and the lifecycle table, for the server and the web page alike.
 */
import type { CodeList } from "./code-lists.js";
import {
  encodeCloseDate,
  encodeDecimal,
  encodeSolution,
  encodeTeamMember,
  encodeYesNo,
} from "./codecs/index.js";
import {
  FIELD_KEYS,
  type FieldKey,
  headerOf,
  LIST_COLUMNS,
  type ListKey,
  type Lock,
  listHeaderOf,
} from "./columns.js";
import { neutraliseCell } from "./csv/index.js";
import type { DealFields } from "./deal.js";
import {
  type Actor,
  formatPair,
  isTerminal,
  type StatusPair,
  samePair,
  TRANSITIONS,
} from "./lifecycle.js";
import { isFieldLocked, lockOf } from "./locks.js";

/** A scalar as JSON carries it: text, a number, Yes/No as a boolean, or null to clear. */
export type DealInputValue = string | number | boolean | null;

export interface SolutionInput {
  id: string;
  currency?: string | null | undefined;
  price?: number | null | undefined;
  quantity?: number | null | undefined;
}

export interface TeamMemberInput {
  firstName: string;
  lastName: string;
  phone?: string | null | undefined;
  email: string;
}

/** Deal fields by their FieldKey; an absent field is left alone, null clears it. */
export type DealInput = { [K in FieldKey]?: DealInputValue | undefined } & {
  solutions?: readonly SolutionInput[] | undefined;
  team?: readonly TeamMemberInput[] | undefined;
};

/** One import row built from a JSON body: English headers, cells as a file would carry them. */
export interface DealInputRow {
  headers: string[];
  cells: string[];
}

/** The multi-valued fields, `Solution n` and `Team member n` in a file. */
export const INPUT_LISTS: readonly ListKey[] = ["solutions", "team"];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A JSON scalar as cell text: booleans as Yes/No, numbers in plain digits, dates as MM/DD/YYYY. */
const cellOf = (key: FieldKey, value: DealInputValue): string => {
  if (value === null) return "";
  if (typeof value === "boolean") return encodeYesNo(value);
  if (typeof value === "number") return encodeDecimal(value);
  // Anything else is left for the close-date codec to judge and explain.
  if (key === "closeDate" && ISO_DATE.test(value.trim())) return encodeCloseDate(value.trim());
  return value;
};

/**
 * The row an import would carry for this input. A create row carries every column (an absent
 * field is an empty cell, so the rules name every missing mandatory field); an update row
 * carries the Referral ID and only the fields given. A list that is given but empty still
 * gets its first column, so the rules see it cleared.
 */
export const dealInputRow = (
  input: DealInput,
  target: { create: true } | { referralId: string },
): DealInputRow => {
  const headers: string[] = [];
  const cells: string[] = [];
  const put = (header: string, cell: string) => {
    headers.push(header);
    // The row rules undo the formula guard on every cell: guard first, so text comes back as sent.
    cells.push(neutraliseCell(cell));
  };

  const create = "create" in target;
  if (!create) put(headerOf("referralId", "en"), target.referralId);
  for (const key of FIELD_KEYS) {
    const value = input[key];
    if (value !== undefined) put(headerOf(key, "en"), cellOf(key, value));
    else if (create) put(headerOf(key, "en"), "");
  }
  const lists = [
    [
      "solutions",
      input.solutions?.map((s) =>
        encodeSolution({
          id: s.id,
          currency: s.currency ?? null,
          price: s.price ?? null,
          quantity: s.quantity ?? null,
        }),
      ),
    ],
    [
      "team",
      input.team?.map((m) =>
        encodeTeamMember({
          firstName: m.firstName,
          lastName: m.lastName,
          phone: m.phone ?? null,
          email: m.email,
        }),
      ),
    ],
  ] as const;
  for (const [list, given] of lists) {
    if (given === undefined && !create) continue;
    const items = given ?? [];
    for (let i = 0; i < Math.max(1, items.length); i++) {
      put(listHeaderOf(list, i + 1, "en"), items[i] ?? "");
    }
  }
  return { headers, cells };
};

const FIELD_OF_HEADER: ReadonlyMap<string, FieldKey> = new Map(
  FIELD_KEYS.map((key) => [headerOf(key, "en"), key]),
);
const LIST_HEADER = new RegExp(`^(?:(${LIST_COLUMNS.solutions.en})|${LIST_COLUMNS.team.en}) \\d+$`);

/**
 * The JSON property a row error of such a row stands for: `Customer Country` → `customerCountry`,
 * `Solution 2` → `solutions`; null for a row-level error.
 */
export const fieldOfColumn = (column: string): FieldKey | ListKey | null => {
  const field = FIELD_OF_HEADER.get(column);
  if (field) return field;
  const list = LIST_HEADER.exec(column);
  return list ? (list[1] ? "solutions" : "team") : null;
};

/** Why a field cannot change now: its column's lock (SPEC §6), or a terminal deal. */
export const LOCK_KINDS = [
  "terminal",
  "system",
  "after-create",
  "once-shared",
  "once-yes",
  "once-set",
] as const satisfies readonly (Exclude<Lock, "editable"> | "terminal")[];
export type LockKind = (typeof LOCK_KINDS)[number];

export interface FieldLock {
  field: FieldKey | ListKey;
  lock: LockKind;
  reason: string;
}

const LOCK_REASONS: Readonly<Record<Exclude<LockKind, "terminal">, string>> = {
  system: "Set by the system, never by a person",
  "after-create": "Read-only after the deal is created",
  "once-shared": "Read-only once the deal is shared with Microsoft",
  "once-yes": "Read-only once it is Yes",
  "once-set": "Read-only once set on a deal shared with Microsoft",
};

/** Every field that cannot change now, and why: what the row rules would refuse. */
export const fieldLocks = (deal: DealFields): FieldLock[] => {
  if (isTerminal(deal)) {
    const reason = `The deal is ${formatPair(deal)}, a terminal state: it accepts no change`;
    const all: (FieldKey | ListKey)[] = [...FIELD_KEYS, ...INPUT_LISTS];
    return all.map((field) => ({ field, lock: "terminal", reason }));
  }
  return FIELD_KEYS.flatMap((field): FieldLock[] => {
    const lock = lockOf(field);
    if (lock === "editable" || !isFieldLocked(field, deal)) return [];
    return [{ field, lock, reason: LOCK_REASONS[lock] }];
  });
};

/** The same, as the page reads it: field → why it is locked; absent fields are editable. */
export const lockReasons = (deal: DealFields): Partial<Record<FieldKey | ListKey, string>> =>
  Object.fromEntries(fieldLocks(deal).map((l) => [l.field, l.reason]));

export interface CodeOption {
  code: number;
  label: string;
}

export interface TransitionOption {
  /** The lifecycle table's name: accept, decline, win, lose, close-as-error. */
  name: string;
  to: StatusPair;
  /** The code list the reason comes from (`closeReason`), or null when none is asked. */
  reason: { name: string; codes: CodeOption[] } | null;
}

const codeOptions = (list: CodeList): { name: string; codes: CodeOption[] } => ({
  name: list.name,
  codes: [...list.entries].map(([code, label]) => ({ code, label })),
});

/** The status moves the lifecycle table opens from `from` to this actor, with the reason each asks. */
export const allowedTransitions = (
  from: StatusPair,
  actor: Actor = "partner",
): TransitionOption[] =>
  TRANSITIONS.filter((t) => t.by.includes(actor) && t.from.some((f) => samePair(f, from))).map(
    (t) => ({
      name: t.name,
      to: { status: t.to.status, substatus: t.to.substatus },
      reason: t.reason ? codeOptions(t.reason) : null,
    }),
  );
