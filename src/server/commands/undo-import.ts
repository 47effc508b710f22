/**
 * Undo of an applied import, within a configurable time (`COSELL_UNDO_DAYS`, default 7).
 *
 * The undo is itself an import, of a file cosell writes: each updated deal's changed cells set
 * back to the values the import recorded it changed them from, each created deal closed as
 * Error with reason 1 "Duplicate – created through bulk upload" (closed, not removed: its
 * Referral ID may have been shared, and the trail keeps it). Running it through the import
 * command means every row meets the same rules — locks, transitions, terminal states — and its
 * dry run is the import's dry run, so the two cannot disagree. SPEC §6 has no move out of
 * Closed: a deal the import closed (Won, Lost, Declined, Error) stays closed and is reported.
 * A deal changed by anything after the import (an audit entry newer than the import's last for
 * it) is left alone and reported, so an undo never overwrites later work. An import is undone
 * at most once (`import_undos`, keyed by the import's id, written in the undo's transaction).
 *
 * Through the API the undo is a job (`undo`, run by the worker, `runUndo`); the CLI runs the
 * very same function in its own process. Either way the undo's deals, its audit entries
 * (source `undo`, origin "undo of import N"), its record and the job's settlement commit in
 * one transaction, or none of them does.
 */
import { Value } from "typebox/value";
import type { UserActor } from "../../core/actor.js";
import { UndoRowSchema, type UndoRowJson } from "../../core/api/job-schemas.js";
import { FIELD_KEYS, headerOf, type ListKey, listHeaderOf } from "../../core/columns.js";
import { writeCsv } from "../../core/csv/index.js";
import type { Deal } from "../../core/deal.js";
import { RequestError } from "../../core/errors.js";
import { encodeSolution, encodeTeamMember } from "../../core/codecs/index.js";
import { encodeField } from "../../core/row/field-codecs.js";
import type { Change } from "../../core/row/plan-row.js";
import { isRecord } from "../../core/json.js";
import type { Db } from "../db/db.js";
import { toCount } from "../db/count.js";
import { findDealsByIds } from "../db/deals-repo.js";
import type { Store } from "../db/store.js";
import { parseStoredChanges } from "../db/stored-rows.js";
import { undoOrigin } from "./audit.js";
import { applyImport } from "./import-deals.js";
import { prepareImport } from "./import-prepare.js";
import type { ImportSummary } from "./import-summary.js";

export const DEFAULT_UNDO_DAYS = 7;

/** `COSELL_UNDO_DAYS`: how long after an import it may be undone; refused by name when bad. */
export function undoDaysFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.COSELL_UNDO_DAYS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_UNDO_DAYS;
  const days = Number(raw);
  if (!Number.isFinite(days) || days <= 0) {
    throw new RequestError(
      "invalid_argument",
      `COSELL_UNDO_DAYS must be a number of days above 0, not '${raw}'`,
    );
  }
  return days;
}

export const CHANGED_SINCE = "changed since the import; not undone";

export type UndoRow = UndoRowJson;

export interface UndoSummary {
  undoOf: string;
  dryRun: boolean;
  /** The undo's own import record (null for a dry run, or when no deal was left to undo). */
  importId: string | null;
  total: number;
  undone: number;
  notUndone: number;
  rows: UndoRow[];
}

export interface UndoRequest {
  actor: UserActor;
  importId: string;
  dryRun?: boolean;
  undoDays?: number;
  now?: Date;
}

/** What the worker adds to an undo: its job, and what must commit with the undo. */
export interface UndoHooks {
  jobId?: string;
  /** A real undo's last step in its transaction, told what it did. */
  finish?(trx: Db, summary: UndoSummary): Promise<void>;
}

interface Plan {
  row: number;
  deal: Deal;
  action: "close" | "restore";
  cells: Map<string, string>;
}

/** The import the actor may undo (theirs, or any of the organisation's for an admin), or why not. */
export async function checkUndoable(
  store: Store,
  actor: UserActor,
  importId: string,
  undoDays: number,
  now: Date,
): Promise<void> {
  const record = await store.db
    .selectFrom("imports")
    .select(["id", "user_id", "status", "dry_run", "created_at", "finished_at"])
    .where("id", "=", importId)
    .where("org_id", "=", actor.orgId)
    .executeTakeFirst();
  if (!record || (actor.role !== "admin" && record.user_id !== actor.userId)) {
    throw new RequestError("not_found", `No import ${importId} that you may undo`);
  }
  if (record.dry_run === 1 || record.status !== "succeeded") {
    throw new RequestError(
      "conflict",
      `Import ${importId} ${record.dry_run === 1 ? "was a dry run" : `is ${record.status}`}: there is nothing to undo`,
    );
  }
  const at = Date.parse(record.finished_at ?? record.created_at);
  if (now.getTime() - at > undoDays * 86_400_000) {
    throw new RequestError(
      "conflict",
      `Import ${importId} ran more than ${undoDays} days ago (${record.finished_at ?? record.created_at}); it can no longer be undone`,
    );
  }
  const undone = await store.db
    .selectFrom("import_undos")
    .select("created_at")
    .where("import_id", "=", importId)
    .executeTakeFirst();
  if (undone) throw alreadyUndone(importId, undone.created_at);
}

const alreadyUndone = (importId: string, at: string): RequestError =>
  new RequestError(
    "conflict",
    `Import ${importId} was already undone (${at}); an import is undone once`,
  );

/** The deals some later change touched: an audit entry newer than this import's last one for it. */
async function changedSince(store: Store, importId: string, dealIds: readonly string[]) {
  if (dealIds.length === 0) return new Set<string>();
  const last = await store.db
    .selectFrom("audit_events")
    .select(["deal_id", (eb) => eb.fn.max("id").as("last")])
    .where("import_id", "=", importId)
    .where("deal_id", "in", dealIds)
    .groupBy("deal_id")
    .execute();
  const changed = new Set<string>();
  for (const { deal_id, last: lastId } of last) {
    const later = await store.db
      .selectFrom("audit_events")
      .select("id")
      .where("deal_id", "=", deal_id)
      .where("id", ">", Number(lastId))
      .limit(1)
      .executeTakeFirst();
    if (later) changed.add(deal_id);
  }
  return changed;
}

/** A list as it was before the import: the current items, with the changed positions set back. */
function listBefore(deal: Deal, list: ListKey, changes: readonly Change[]): string[] {
  const current =
    list === "solutions" ? deal.solutions.map(encodeSolution) : deal.team.map(encodeTeamMember);
  const before: (string | null)[] = [...current];
  for (const c of changes) {
    if (c.field !== list) continue;
    const n = Number(/(\d+)$/.exec(c.header)?.[1] ?? "0");
    if (n >= 1) before[n - 1] = c.from;
  }
  return before.filter((v): v is string => v !== null && v !== "");
}

/** The cells of one deal's undo row, by English header. */
function restoreCells(deal: Deal, changes: readonly Change[]): Map<string, string> {
  const cells = new Map<string, string>([["Referral ID", deal.id]]);
  const changed = new Map(changes.map((c) => [c.field, c]));
  for (const key of FIELD_KEYS) {
    if (key === "engagementId" || key === "microsoftStatus") continue;
    const c = changed.get(key);
    cells.set(headerOf(key, "en"), c ? (c.from ?? "") : encodeField(key, deal[key]));
  }
  for (const list of ["solutions", "team"] as const) {
    listBefore(deal, list, changes).forEach((cell, i) => {
      cells.set(listHeaderOf(list, i + 1, "en"), cell);
    });
  }
  return cells;
}

function closeCells(deal: Deal): Map<string, string> {
  const cells = restoreCells(deal, []);
  cells.set(headerOf("status", "en"), "Closed");
  cells.set(headerOf("substatus", "en"), "Error");
  cells.set(headerOf("closeReason", "en"), "1");
  return cells;
}

/** Each deal of the import: left alone (and why), or the row of the undo file that sets it back. */
async function planUndo(store: Store, actor: UserActor, importId: string) {
  const rows = await store.db
    .selectFrom("import_rows")
    .select(["row_no", "result", "referral_id", "changes"])
    .where("import_id", "=", importId)
    .where("result", "in", ["Created", "Updated"])
    .orderBy("row_no")
    .execute();
  const ids = rows.flatMap((r) => (r.referral_id ? [r.referral_id] : []));
  const deals = new Map((await findDealsByIds(store.db, actor.orgId, ids)).map((d) => [d.id, d]));
  const changed = await changedSince(store, importId, ids);

  const report: UndoRow[] = [];
  const plans: Plan[] = [];
  for (const r of rows) {
    const action = r.result === "Created" ? ("close" as const) : ("restore" as const);
    const deal = r.referral_id ? deals.get(r.referral_id) : undefined;
    const changes = parseStoredChanges(r.changes);
    const base = { row: r.row_no, referralId: r.referral_id ?? "", action, changes };
    if (!deal) {
      report.push({
        ...base,
        result: "Not undone",
        reason: "the deal is gone or out of your scope",
        reasonCode: "gone",
      });
    } else if (changed.has(deal.id)) {
      report.push({
        ...base,
        result: "Not undone",
        reason: CHANGED_SINCE,
        reasonCode: "changed_since",
      });
    } else {
      const cells = action === "close" ? closeCells(deal) : restoreCells(deal, changes);
      plans.push({ row: r.row_no, deal, action, cells });
      report.push({ ...base, result: "Undone", reason: null });
    }
  }
  return { report, plans };
}

/** How many deals the undo of this import looks at: its job's progress total. */
export async function undoTotal(store: Store, importId: string): Promise<number> {
  const row = await store.db
    .selectFrom("import_rows")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("import_id", "=", importId)
    .where("result", "in", ["Created", "Updated"])
    .executeTakeFirst();
  return toCount(row?.n ?? 0);
}

/** The undo file: one row per deal to set back, English headers. */
function undoFile(plans: readonly Plan[]): Uint8Array {
  const headers = [...new Set(plans.flatMap((p) => [...p.cells.keys()]))];
  const file = writeCsv([headers, ...plans.map((p) => headers.map((h) => p.cells.get(h) ?? ""))]);
  return new TextEncoder().encode(file);
}

/** The report, with each planned row's outcome: a row the rules refused (a terminal deal, a lock) is not undone. */
function undoSummary(
  request: { importId: string; dryRun: boolean },
  report: readonly UndoRow[],
  plans: readonly Plan[],
  summary: ImportSummary | null,
): UndoSummary {
  // The undo file's rows follow `plans`.
  const byDeal = new Map(plans.map((p, i) => [p.deal.id, summary?.rows[i]]));
  const rows = report.map((entry): UndoRow => {
    const outcome = byDeal.get(entry.referralId);
    if (entry.result !== "Undone" || !outcome) return entry;
    if (outcome.result === "Not processed") {
      return {
        ...entry,
        result: "Not undone",
        reason: outcome.errors.map((e) => e.message).join("; "),
        reasonCode: "refused",
      };
    }
    return { ...entry, changes: outcome.changes };
  });
  const undone = rows.filter((r) => r.result === "Undone").length;
  return {
    undoOf: request.importId,
    dryRun: request.dryRun,
    importId: summary?.importId ?? null,
    total: rows.length,
    undone,
    notUndone: rows.length - undone,
    rows,
  };
}

/** Records an applied undo; a second one of the same import (a race) is refused and rolls back. */
async function recordUndo(
  trx: Db,
  actor: UserActor,
  jobId: string | null,
  result: UndoSummary,
  at: string,
): Promise<void> {
  const inserted = await trx
    .insertInto("import_undos")
    .values({
      import_id: result.undoOf,
      org_id: actor.orgId,
      user_id: actor.userId,
      job_id: jobId,
      undone: result.undone,
      skipped: result.notUndone,
      report: JSON.stringify({ importId: result.importId, rows: result.rows }),
      created_at: at,
    })
    .onConflict((oc) => oc.column("import_id").doNothing())
    .returning("import_id")
    .execute();
  if (inserted.length !== 1) throw alreadyUndone(result.undoOf, at);
}

/** Undoes (or, with `dryRun`, reports how it would undo) an applied import. */
export async function undoImport(
  store: Store,
  request: UndoRequest,
  hooks: UndoHooks = {},
): Promise<UndoSummary> {
  const now = request.now ?? new Date();
  const { actor, importId } = request;
  const dryRun = request.dryRun ?? false;
  await checkUndoable(store, actor, importId, request.undoDays ?? DEFAULT_UNDO_DAYS, now);
  const { report, plans } = await planUndo(store, actor, importId);

  const recorded: { summary?: UndoSummary } = {};
  const finish = async (trx: Db, summary: ImportSummary | null) => {
    const done = undoSummary({ importId, dryRun }, report, plans, summary);
    await recordUndo(trx, actor, hooks.jobId ?? null, done, now.toISOString());
    await hooks.finish?.(trx, done);
    recorded.summary = done;
  };
  if (plans.length === 0) {
    if (dryRun) return undoSummary({ importId, dryRun }, report, plans, null);
    await store.db.transaction().execute((trx) => finish(trx, null));
  } else {
    const prepared = await prepareImport(store, {
      actor,
      bytes: undoFile(plans),
      fileName: `undo of import ${importId}`,
      dryRun,
      mapping: {},
      autoPreset: false,
      origin: undoOrigin(importId),
      now,
    });
    // A dry run writes nothing and has no transaction: `finish` runs for a real undo only.
    const summary = await applyImport(store, prepared, { kind: "whole", finish });
    if (dryRun) return undoSummary({ importId, dryRun }, report, plans, summary);
  }
  if (!recorded.summary) throw new Error("a real undo is recorded in its transaction");
  return recorded.summary;
}

const undoRows = (value: unknown): UndoRow[] =>
  Array.isArray(value) ? value.filter((r): r is UndoRow => Value.Check(UndoRowSchema, r)) : [];

/** An undo's stored summary (the job's result), or null when it has none (yet). */
export function parseUndoSummary(json: string | null): UndoSummary | null {
  if (json === null) return null;
  const v: unknown = JSON.parse(json);
  if (!isRecord(v) || typeof v.undoOf !== "string") return null;
  const rows = undoRows(v.rows);
  const undone = rows.filter((r) => r.result === "Undone").length;
  return {
    undoOf: v.undoOf,
    dryRun: v.dryRun === true,
    importId: typeof v.importId === "string" ? v.importId : null,
    total: rows.length,
    undone,
    notUndone: rows.length - undone,
    rows,
  };
}

/** What an applied undo did, deal by deal, as `import_undos.report` keeps it. */
export function parseUndoReport(json: string): { importId: string | null; rows: UndoRow[] } {
  const v: unknown = JSON.parse(json);
  if (!isRecord(v)) return { importId: null, rows: [] };
  return {
    importId: typeof v.importId === "string" ? v.importId : null,
    rows: undoRows(v.rows),
  };
}
