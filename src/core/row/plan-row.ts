/**
 * The row rules of SPEC §4–§6: what a parsed row would do to a deal. Pure — the caller
 * looks up the deal, assigns ids and writes; the same function answers a dry run and a
 * real run, so they can never disagree.
 */
import { type CodeList, describeCodes, HELP_TYPES } from "../code-lists.js";
import { decodeCode, encodeSolution, encodeTeamMember } from "../codecs/index.js";
import {
  COLUMNS,
  type ColumnKey,
  FIELD_KEYS,
  type FieldKey,
  headerOf,
  isFieldKey,
  type ListKey,
  listHeaderOf,
} from "../columns.js";
import {
  type Deal,
  type DealFields,
  MICROSOFT_STATUSES,
  type Solution,
  type Status,
  type Substatus,
  type TeamMember,
  toMicrosoftStatus,
} from "../deal.js";
import { type RowError, rowError } from "../errors.js";
import type { HeaderMap } from "../header-map.js";
import {
  CREATE_START,
  CREATE_STATES,
  formatPair,
  isTerminal,
  planTransition,
  type StatusPair,
  samePair,
} from "../lifecycle.js";
import type { Limits } from "../limits.js";
import { isFieldLocked, lockOf } from "../locks.js";
import { type LockWhy, ROW } from "../messages/rows.js";
import { splitText, type Text } from "../messages/text.js";
import { encodeField } from "./field-codecs.js";
import { columnLabel, type FieldPatch, listLabel, type ParsedRow } from "./parse-row.js";

export interface RowContext {
  map: HeaderMap;
  limits: Limits;
  /** "import": partner staff; "receive": the vendor side sending inbound referrals. */
  mode: "import" | "receive";
  /** A Referrals user stays on the team of every deal they create or edit, or they could not see it. */
  requiredMember: TeamMember | null;
}

/** One field that an update changes, as cell text (what the person would see in the file). */
export interface Change {
  field: FieldKey | ListKey;
  /** The column as the file spells it (for people). */
  column: string;
  /** The canonical English header, e.g. `Deal Name`, `Solution 2` (for the audit trail). */
  header: string;
  from: string | null;
  to: string | null;
}

export type RowOutcome =
  | { result: "Created"; fields: DealFields; changes: Change[] }
  | { result: "Updated"; fields: DealFields; changes: Change[] }
  | { result: "Unchanged"; fields: DealFields; changes: Change[] }
  | { result: "Not processed"; errors: RowError[] };

export type RowResult = RowOutcome["result"];

/** Fields a partner's file never sets: the system or the vendor does. */
const NOT_FROM_PARTNER_FILE: ReadonlySet<FieldKey> = new Set([
  "engagementId",
  "microsoftStatus",
  "closeReason",
]);

const MANDATORY: readonly FieldKey[] = COLUMNS.filter((c) => c.mandatory)
  .map((c) => c.key)
  .filter(isFieldKey);

const CONTACT_FIELDS: readonly FieldKey[] = [
  "contactFirstName",
  "contactLastName",
  "contactPhone",
  "contactEmail",
];

/** Partner Center's template says to create with New/Accepted; it means Active/Accepted. */
const normalisePair = (status: Status, substatus: Substatus): StatusPair =>
  status === "New" && substatus === "Accepted"
    ? { status: "Active", substatus: "Accepted" }
    : { status, substatus };

class RowCheck {
  readonly errors: RowError[];
  constructor(
    readonly parsed: ParsedRow,
    readonly ctx: RowContext,
  ) {
    this.errors = [...parsed.errors];
  }
  label(key: ColumnKey): string {
    return columnLabel(this.ctx.map, key);
  }
  add(column: string, code: RowError["code"], message: Text): void {
    this.errors.push(rowError(column, { code, ...splitText(message) }));
  }
  required(key: FieldKey): void {
    const column = this.label(key);
    this.add(column, "required", ROW.missing(column));
  }
  /** The field's cell was there but unreadable: its error is already listed. */
  isInvalid(key: FieldKey | ListKey): boolean {
    return this.parsed.invalid.has(key);
  }
}

/** The value a row gives a field: the decoded cell, or `undefined` when the column is absent or unreadable. */
const given = <K extends FieldKey>(check: RowCheck, key: K): DealFields[K] | null | undefined =>
  check.isInvalid(key) ? undefined : check.parsed.fields[key];

/**
 * Puts the row's value of one field into `target`, if the row gives one; an emptied
 * mandatory field is an error instead. A cleared optional field becomes null, which every
 * optional field accepts (`target` is written through its patch view for that).
 */
const takeField = <K extends FieldKey>(check: RowCheck, target: DealFields, key: K): void => {
  const value = given(check, key);
  if (value === undefined) return;
  if (value === null && MANDATORY.includes(key)) {
    check.required(key);
    return;
  }
  const patch: FieldPatch = target;
  patch[key] = value;
};

/** Invariants every stored deal satisfies, whatever the row said. */
const applyInvariants = (deal: DealFields, ctx: RowContext): void => {
  if (deal.helpRequired) deal.shareWithMicrosoft = true;
  if (deal.substatus === "Won") deal.salesStage = 100;
  const member = ctx.requiredMember;
  if (member && !deal.team.some((m) => m.email.toLowerCase() === member.email.toLowerCase())) {
    deal.team = [...deal.team, member];
  }
};

/** Rules on the finished deal that hold on create and on update alike. */
const checkDeal = (check: RowCheck, deal: DealFields): void => {
  const helpLabel = check.label("helpRequired");
  if (deal.helpRequired) {
    if (deal.helpType === null && !check.isInvalid("helpType")) {
      const column = check.label("helpType");
      check.add(
        column,
        "help_type_required",
        ROW.helpTypeRequired(column, helpLabel, describeCodes(HELP_TYPES)),
      );
    }
    for (const key of CONTACT_FIELDS) {
      if (deal[key] === null && !check.isInvalid(key)) {
        const column = check.label(key);
        check.add(column, "contact_required", ROW.contactRequired(column, helpLabel));
      }
    }
  } else if (deal.helpType !== null) {
    const column = check.label("helpType");
    check.add(
      column,
      "help_type_not_allowed",
      ROW.helpTypeNotAllowed(column, helpLabel, deal.helpType),
    );
  }
  if (deal.team.length > check.ctx.limits.teamMembersPerDeal) {
    check.add(
      listLabel(check.ctx.map, "team", 1),
      "too_many_team_members",
      ROW.tooManyTeamMembers(check.ctx.limits.teamMembersPerDeal, deal.team.length),
    );
  }
};

const checkConsent = (check: RowCheck): void => {
  if (given(check, "consent") === false) {
    const column = check.label("consent");
    check.add(column, "consent_required", ROW.consentRequired(column));
  }
};

/** A row with no Referral ID: a new deal (outbound from a partner file, inbound from the vendor). */
export const planCreate = (parsed: ParsedRow, ctx: RowContext): RowOutcome => {
  const check = new RowCheck(parsed, ctx);
  const f = parsed.fields;

  for (const key of MANDATORY) {
    // The vendor side may leave the status out: an inbound referral arrives New/Received.
    if (ctx.mode === "receive" && (key === "status" || key === "substatus")) continue;
    if ((f[key] === null || f[key] === undefined) && !check.isInvalid(key)) check.required(key);
  }
  for (const list of ["solutions", "team"] as const) {
    if ((parsed[list] ?? []).length === 0 && !check.isInvalid(list)) {
      const column = listLabel(ctx.map, list, 1);
      check.add(column, "required", ROW.missing(column));
    }
  }
  checkConsent(check);

  const engagementId = given(check, "engagementId") ?? null;
  if (ctx.mode === "import" && engagementId !== null) {
    const column = check.label("engagementId");
    check.add(column, "engagement_on_create", ROW.engagementOnCreate(column, engagementId));
  }

  const status = f.status ?? null;
  const substatus = f.substatus ?? null;
  // The lifecycle table says where a deal may start: partner staff create outbound deals, the
  // vendor side sends inbound ones.
  const direction = ctx.mode === "import" ? "outbound" : "inbound";
  let pair: StatusPair = CREATE_START[direction];
  if (status !== null && substatus !== null) {
    const asked = normalisePair(status, substatus);
    if (CREATE_STATES[direction].some((p) => samePair(p, asked))) pair = asked;
    else {
      const column = check.label("substatus");
      check.add(
        column,
        "invalid_create_status",
        ctx.mode === "import"
          ? ROW.createStatusImport(column, formatPair(asked))
          : ROW.createStatusReceive(column, formatPair(asked)),
      );
    }
  }

  if (
    ctx.mode === "receive" &&
    f.microsoftStatus &&
    toMicrosoftStatus(f.microsoftStatus) === null
  ) {
    const column = check.label("microsoftStatus");
    check.add(
      column,
      "invalid_status",
      ROW.notMicrosoftStatus(column, f.microsoftStatus, MICROSOFT_STATUSES),
    );
  }

  const deal: DealFields = {
    engagementId: engagementId ?? "",
    name: f.name ?? "",
    customerName: f.customerName ?? "",
    customerAddress1: f.customerAddress1 ?? "",
    customerAddress2: f.customerAddress2 ?? null,
    customerCity: f.customerCity ?? "",
    customerState: f.customerState ?? null,
    customerPostalCode: f.customerPostalCode ?? null,
    customerCountry: f.customerCountry ?? "",
    customerDuns: f.customerDuns ?? null,
    contactFirstName: f.contactFirstName ?? null,
    contactLastName: f.contactLastName ?? null,
    contactPhone: f.contactPhone ?? null,
    contactEmail: f.contactEmail ?? null,
    status: pair.status,
    substatus: pair.substatus,
    microsoftStatus:
      ctx.mode === "receive"
        ? (toMicrosoftStatus(f.microsoftStatus ?? "") ?? null)
        : f.helpRequired
          ? "Pending"
          : null,
    closeReason: null,
    salesStage: f.salesStage ?? null,
    value: f.value ?? 0,
    currency: f.currency ?? "",
    closeDate: f.closeDate ?? "",
    crmId: f.crmId ?? null,
    campaignId: f.campaignId ?? null,
    notes: f.notes ?? null,
    helpRequired: f.helpRequired ?? false,
    helpType: f.helpType ?? null,
    shareWithMicrosoft: f.shareWithMicrosoft ?? false,
    notesToMicrosoft: f.notesToMicrosoft ?? null,
    consent: f.consent ?? false,
    solutions: parsed.solutions ?? [],
    team: parsed.team ?? [],
  };
  applyInvariants(deal, ctx);
  checkDeal(check, deal);

  if (check.errors.length > 0) return { result: "Not processed", errors: check.errors };
  return { result: "Created", fields: deal, changes: [] };
};

/** Reads the reason a closing transition asks for, from the code list that transition names. */
const closeReason = (check: RowCheck, list: CodeList, to: StatusPair): number | null => {
  const at = check.ctx.map.columns.get("closeReason");
  const raw = at ? (check.parsed.cells[at.index] ?? "").trim() : "";
  const column = check.label("closeReason");
  if (raw === "") {
    check.add(
      column,
      "reason_required",
      ROW.reasonRequired(column, formatPair(to), describeCodes(list)),
    );
    return null;
  }
  const decoded = decodeCode(raw, column, list);
  if (decoded.ok) return decoded.value;
  check.errors.push(rowError(column, decoded));
  return null;
};

const sameSolution = (a: Solution, b: Solution): boolean =>
  a.id === b.id && a.currency === b.currency && a.price === b.price && a.quantity === b.quantity;

const sameMember = (a: TeamMember, b: TeamMember): boolean =>
  a.firstName === b.firstName &&
  a.lastName === b.lastName &&
  a.phone === b.phone &&
  a.email === b.email;

/** The cells of a list that differ; equal items are not encoded at all (most rows keep most). */
const diffList = <T>(
  ctx: RowContext,
  changes: Change[],
  list: ListKey,
  before: readonly T[],
  after: readonly T[],
  same: (a: T, b: T) => boolean,
  encode: (item: T) => string,
): void => {
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const a = before[i];
    const b = after[i];
    if (a !== undefined && b !== undefined && same(a, b)) continue;
    const from = a === undefined ? undefined : encode(a);
    const to = b === undefined ? undefined : encode(b);
    if (from === to) continue;
    changes.push({
      field: list,
      column: listLabel(ctx.map, list, i + 1),
      header: listHeaderOf(list, i + 1, "en"),
      from: from ?? null,
      to: to ?? null,
    });
  }
};

// Equal values are equal cells; only different values need their cells compared (10 and 10.0).
const sameValue = (key: FieldKey, a: DealFields, b: DealFields): boolean =>
  a[key] === b[key] || encodeField(key, a[key]) === encodeField(key, b[key]);

/** Field-by-field differences, as the cells a person would see. */
export const diffDeals = (ctx: RowContext, before: DealFields, after: DealFields): Change[] => {
  const changes: Change[] = [];
  for (const key of FIELD_KEYS) {
    if (sameValue(key, before, after)) continue;
    const from = encodeField(key, before[key]);
    const to = encodeField(key, after[key]);
    changes.push({
      field: key,
      column: columnLabel(ctx.map, key),
      header: headerOf(key, "en"),
      from: from || null,
      to: to || null,
    });
  }
  diffList(
    ctx,
    changes,
    "solutions",
    before.solutions,
    after.solutions,
    sameSolution,
    encodeSolution,
  );
  diffList(ctx, changes, "team", before.team, after.team, sameMember, encodeTeamMember);
  return changes;
};

/** The units a `Last Modified` cell may keep, by its precision, for messages. */
const unitOf = (precisionMs: number): string =>
  precisionMs >= 60_000 ? "minute" : precisionMs >= 1000 ? "second" : "fraction of a second";

/**
 * Why the row comes from an export older than the deal's last change, or null when it does not.
 * The `Version` column decides exactly. Without it, `Last Modified` at the precision the row
 * carries (whole seconds from an export, minutes once Excel re-saved it): a last change in a
 * later second (minute) is a change since the export; a last change within the row's own
 * second (minute) is the very change the export saw — unless the deal also changed before it
 * within that interval (`previousChangeAt`, from its audit trail), when the export may have
 * seen only the earlier one and cosell cannot tell: refused too, never applied over it.
 */
const staleReason = (
  deal: Deal,
  parsed: ParsedRow,
  label: (key: "lastModified" | "version") => string,
  previousChangeAt: string | null,
): { column: string; message: Text } | null => {
  const redo = "export again and redo this row's edits";
  const redoFr = "exportez à nouveau et refaites les modifications de cette ligne";
  if (parsed.version !== null) {
    if (parsed.version === deal.version) return null;
    const column = label("version");
    const message: Text = {
      en: `${column}: the deal changed since your export (version ${parsed.version} in the file, ${deal.version} now, last change ${deal.updatedAt}); ${redo}`,
      fr: `${column} : la transaction a changé depuis votre export (version ${parsed.version} dans le fichier, ${deal.version} maintenant, dernière modification ${deal.updatedAt}) ; ${redoFr}`,
    };
    return { column, message };
  }
  const lm = parsed.lastModified;
  if (!lm) return null;
  const p = lm.precisionMs;
  const exported = Date.parse(lm.iso);
  const lastChange = Math.floor(Date.parse(deal.updatedAt) / p) * p;
  const column = label("lastModified");
  if (lastChange > exported) {
    return { column, message: ROW.stale(column, lm.iso, deal.updatedAt) };
  }
  if (
    p > 1 &&
    lastChange === exported &&
    previousChangeAt !== null &&
    Date.parse(previousChangeAt) >= exported
  ) {
    const message: Text = {
      en: `${column}: the deal changed since your export, as far as cosell can tell: it changed twice within the ${unitOf(p)} of your file's ${lm.iso} (at ${previousChangeAt} and ${deal.updatedAt}), and the file's time keeps no finer detail; ${redo} (keep the Version column, which makes the check exact)`,
      fr: `${column} : la transaction a changé depuis votre export, autant que cosell puisse en juger : elle a changé deux fois dans la même unité de temps que l'heure ${lm.iso} de votre fichier (à ${previousChangeAt} et ${deal.updatedAt}), qui n'en dit pas plus ; ${redoFr} (gardez la colonne Version, qui rend la vérification exacte)`,
    };
    return { column, message };
  }
  return null;
};

/** A row with a Referral ID the actor can see: an update of `current`. */
export const planUpdate = (
  parsed: ParsedRow,
  current: Deal,
  ctx: RowContext,
  /** When the deal changed before its last change, if it did and it was looked up (staleReason). */
  previousChangeAt: string | null = null,
): RowOutcome => {
  const check = new RowCheck(parsed, ctx);
  const f = parsed.fields;

  const engagementId = given(check, "engagementId");
  if (engagementId && engagementId !== current.engagementId) {
    const column = check.label("engagementId");
    check.add(
      column,
      "engagement_mismatch",
      ROW.engagementMismatch(column, engagementId, current.id, current.engagementId),
    );
  }

  const target: DealFields = { ...current, solutions: current.solutions, team: current.team };
  for (const key of FIELD_KEYS) {
    if (NOT_FROM_PARTNER_FILE.has(key) || key === "status" || key === "substatus") continue;
    takeField(check, target, key);
  }
  checkConsent(check);

  for (const key of ["status", "substatus"] as const) {
    if ((f[key] === null || f[key] === undefined) && !check.isInvalid(key)) check.required(key);
  }
  if (f.status && f.substatus) {
    const to = normalisePair(f.status, f.substatus);
    const plan = planTransition(current, to, "partner");
    if (!plan.ok) {
      const column = check.label("substatus");
      // The status-pair message names both columns already; the others name only the pairs.
      const said = { en: plan.message, fr: plan.fr ?? plan.message };
      check.add(
        column,
        plan.code,
        plan.code === "invalid_status_pair" ? said : ROW.ofColumn(column, said),
      );
    } else if (plan.transition) {
      target.status = to.status;
      target.substatus = to.substatus;
      const list = plan.transition.reason;
      target.closeReason = list ? closeReason(check, list, to) : null;
    }
  }

  for (const list of ["solutions", "team"] as const) {
    const items = parsed[list];
    if (items === undefined || check.isInvalid(list)) continue;
    if (items.length === 0) {
      const column = listLabel(ctx.map, list, 1);
      check.add(column, "required", ROW.missing(column));
    } else if (list === "solutions") target.solutions = parsed.solutions ?? [];
    else target.team = parsed.team ?? [];
  }

  applyInvariants(target, ctx);
  if (!current.helpRequired && target.helpRequired && target.microsoftStatus === null) {
    target.microsoftStatus = "Pending";
  }

  if (isTerminal(current)) {
    const changes = diffDeals(ctx, current, target);
    // The row's own errors still count (a wrong Engagement ID, a cleared mandatory cell, a
    // status move, which planTransition already refused as terminal).
    const errors = [...check.errors];
    if (changes.length > 0 && !errors.some((e) => e.code === "terminal")) {
      const text = ROW.terminalRow(
        formatPair(current),
        changes.map((c) => c.column),
      );
      errors.push(rowError(check.label("substatus"), { code: "terminal", ...splitText(text) }));
    }
    return errors.length > 0
      ? { result: "Not processed", errors }
      : { result: "Unchanged", fields: target, changes: [] };
  }

  const changes = diffDeals(ctx, current, target);
  for (const { field: key } of changes) {
    // A field a partner's file never sets cannot be changed by the file: when it differs, the
    // system changed it (the Microsoft status goes to Pending when help is first asked for).
    if (key === "solutions" || key === "team" || NOT_FROM_PARTNER_FILE.has(key)) continue;
    if (f[key] === undefined || !isFieldLocked(key, current)) continue;
    const column = check.label(key);
    const was = encodeField(key, current[key]);
    check.add(column, "locked", ROW.locked(column, lockReason(key, current), was));
  }
  checkDeal(check, target);

  if (check.errors.length === 0 && changes.length > 0) {
    const stale = staleReason(current, parsed, (key) => check.label(key), previousChangeAt);
    if (stale) check.add(stale.column, "stale_row", stale.message);
  }
  if (check.errors.length > 0) return { result: "Not processed", errors: check.errors };
  return changes.length === 0
    ? { result: "Unchanged", fields: target, changes }
    : { result: "Updated", fields: target, changes };
};

const lockReason = (key: FieldKey, current: DealFields): LockWhy => {
  switch (lockOf(key)) {
    case "once-yes":
      return "onceYes";
    case "once-set":
    case "once-shared":
      return "onceShared";
    default:
      return current.status === "Closed" ? "onClosed" : "afterCreate";
  }
};
