/**
 * The import command (SPEC §4). Every row is planned with the pure core rules first; the
 * rows are then applied in chunks, each chunk one transaction holding its deals, their
 * children, the rows' results and the audit trail — so a crash never leaves half a row,
 * and a resumed job skips the rows whose results are already recorded (their primary key
 * makes a second application impossible). The CLI applies everything in one chunk.
 * Also serves the vendor side's `receive` (inbound referrals), which only creates.
 */
import { createHash, randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Deal, DealFields } from "../../core/deal.js";
import type { RowError } from "../../core/errors.js";
import { describeIgnored } from "../../core/header-map.js";
import { type PlannedRow, planImport, referencedIds } from "../../core/import/plan-import.js";
import {
  type ImportFile,
  openImportTable,
  parseImportRows,
} from "../../core/import/read-import-file.js";
import { type RowReport, writeResultsFile } from "../../core/import/results-file.js";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import { columnLabel } from "../../core/row/parse-row.js";
import type { Change, RowResult } from "../../core/row/plan-row.js";
import { insertMany, pipeline } from "../db/bulk.js";
import { bumpDealListVersion } from "../db/deal-list-version.js";
import {
  type Db,
  type DealUpdate,
  findDealsByCrmIds,
  findDealsByIds,
  insertSteps,
  optimisticUpdateSteps,
} from "../db/deals-repo.js";
import { newDealId } from "../db/ids.js";
import type { NewAuditEventRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { readUploadTable } from "../xlsx/open-upload.js";
import { canSee, requiredMember, type UserActor, type VendorActor } from "./actor.js";
import {
  type AuditOrigin,
  auditContext,
  auditEvent,
  cliOrigin,
  insertAuditEvents,
} from "./audit.js";
import { type ChosenMapping, chooseMapping, type MappingRequest } from "./import-presets.js";
import { parseStoredChanges, parseStoredErrors } from "./stored-rows.js";

export interface ImportOptions extends MappingRequest {
  dryRun?: boolean;
  upsertByCrmId?: boolean;
}

export interface ImportRequest extends ImportOptions {
  actor: UserActor | VendorActor;
  bytes: Uint8Array;
  fileName?: string | null;
  /** Where the request came from, for the audit trail (default: the CLI's `cosell import` or `cosell receive`). */
  origin?: AuditOrigin;
  limits?: Limits;
  now?: Date;
  /** Told how far along the import is: rows checked, then rows written. */
  onProgress?: (done: number, total: number, phase: "checking" | "writing") => void;
}

export interface RowSummary {
  row: number;
  result: RowResult;
  referralId: string | null;
  engagementId: string | null;
  errors: RowError[];
  changes: Change[];
}

export interface ImportCounts {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  notProcessed: number;
}

export interface ImportSummary extends ImportCounts {
  /** Null for a dry run and for the vendor side (nothing recorded). */
  importId: string | null;
  dryRun: boolean;
  ignoredColumns: string[];
  rows: RowSummary[];
  resultsCsv: string;
  /** The column-mapping preset the file was read with, if any. */
  preset?: string | null;
}

/** A file read and every row planned: what a dry run reports and a real run applies. */
export interface PreparedImport {
  request: ImportRequest;
  file: ImportFile;
  /** The column mapping the file was read with (none: `{}`). */
  mapping: ChosenMapping;
  now: string;
  /** One per data row, in file order. */
  writes: RowWrite[];
}

interface RowWrite {
  planned: PlannedRow;
  create: Deal | null;
  update: DealUpdate | null;
}

const CONFLICT: RowError = {
  column: "",
  code: "stale_row",
  message:
    "The deal was changed by someone else while this file was being imported; upload the row again",
};

/**
 * A planned new deal with its ids: outbound from a partner, inbound (received now) from the
 * vendor. Its own properties come before the fields: V8 (Node 20) adds properties written
 * after a spread one by one, slowly — 12 ms for 1,000 deals, against 1 ms this way (the
 * same holds for the per-row literals of `summarize` and `auditEvents`).
 */
export const newDeal = (fields: DealFields, actor: UserActor | VendorActor, now: string): Deal => ({
  id: newDealId(),
  orgId: actor.orgId,
  direction: actor.kind === "vendor" ? "inbound" : "outbound",
  createdAt: now,
  updatedAt: now,
  receivedAt: actor.kind === "vendor" ? now : null,
  version: 1,
  ...fields,
  engagementId: fields.engagementId || newDealId(),
});

/** Reads and plans the file (throws `FileRejectedError` for a whole-file problem). Writes nothing. */
export const prepareImport = async (
  store: Store,
  request: ImportRequest,
): Promise<PreparedImport> => {
  const limits = request.limits ?? DEFAULT_LIMITS;
  const now = (request.now ?? new Date()).toISOString();
  const { actor } = request;
  const raw = await readUploadTable(request.bytes, limits);
  const mapping = await chooseMapping(store.db, actor, raw.csv.header, request);
  const table = openImportTable(raw.csv, raw.encoding, limits, mapping.mapping);
  // The look-ups go out first; the rows are parsed while the database answers (PostgreSQL
  // works in its own processes; a yield lets the statements leave before parsing starts).
  const lookups = lookUp(store.db, actor, referencedIds(table));
  lookups.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
  await new Promise<void>((resolve) => setImmediate(resolve));
  const file = parseImportRows(table, limits);
  const planned = plan(actor, file, await lookups, request.upsertByCrmId ?? false, limits);
  const writes = planned.map((p): RowWrite => {
    const { outcome } = p;
    if (outcome.result === "Created") {
      const create = newDeal(outcome.fields, actor, now);
      return { planned: p, create, update: null };
    }
    if (outcome.result === "Updated" && p.deal) {
      const update = {
        before: p.deal,
        after: { ...p.deal, ...outcome.fields, updatedAt: now, version: p.deal.version + 1 },
      };
      return { planned: p, create: null, update };
    }
    return { planned: p, create: null, update: null };
  });
  return { request, file, mapping, now, writes };
};

/** What a row reports, given whether its update lost a race. */
const rowSummary = (w: RowWrite, conflicted: boolean, dryRun: boolean): RowSummary => {
  const { parsed, outcome, deal } = w.planned;
  if (conflicted) {
    return {
      row: parsed.row,
      result: "Not processed",
      referralId: deal?.id ?? null,
      engagementId: deal?.engagementId ?? null,
      errors: [CONFLICT],
      changes: [],
    };
  }
  return {
    row: parsed.row,
    result: outcome.result,
    referralId: w.create ? (dryRun ? null : w.create.id) : (deal?.id ?? parsed.referralId),
    engagementId: w.create ? (dryRun ? null : w.create.engagementId) : (deal?.engagementId ?? null),
    errors: outcome.result === "Not processed" ? outcome.errors : [],
    changes: outcome.result === "Updated" ? outcome.changes : [],
  };
};

/** The import record, so that its rows' results can be recorded against it. */
export const insertImportRecord = async (
  db: Db,
  prepared: Pick<PreparedImport, "request" | "file" | "now" | "mapping">,
  importId: string,
  status: "queued" | "running",
): Promise<void> => {
  const { request, file, now } = prepared;
  if (request.actor.kind !== "user") return;
  await db
    .insertInto("imports")
    .values({
      id: importId,
      org_id: request.actor.orgId,
      user_id: request.actor.userId,
      file_name: request.fileName ?? null,
      file_hash: createHash("sha256").update(request.bytes).digest("hex"),
      dry_run: request.dryRun ? 1 : 0,
      status,
      options: JSON.stringify({
        upsertByCrmId: request.upsertByCrmId ?? false,
        ...(Object.keys(prepared.mapping.mapping).length > 0
          ? { mapping: prepared.mapping.mapping, preset: prepared.mapping.preset }
          : {}),
      }),
      total: file.rows.length,
      ignored_columns: JSON.stringify(file.map.ignored.map(describeIgnored)),
      results_csv: null,
      error_code: null,
      error_message: null,
      created_at: now,
      finished_at: null,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
};

/**
 * Applies some rows in the caller's transaction: their deals, their recorded results (when
 * there is an import record) and their audit entries; with `finish`, the import record's
 * totals and results file too (a one-pass import). Returns what each row reports.
 *
 * The statements go out back to back (`pipeline`), each built while the database runs the
 * ones before, so the rows' results are written before the updates' outcome is known: they
 * assume that no deal was changed by someone else since it was read. If one was, everything
 * since a savepoint is undone and the rows are applied again with those deals' rows reported
 * as conflicts (rare: it takes a concurrent edit of the same deal).
 */
export const applyRows = async (
  trx: Db,
  prepared: PreparedImport,
  writes: readonly RowWrite[],
  importId: string | null,
  finish = false,
): Promise<{ rows: RowSummary[]; summary: ImportSummary | null }> => {
  const { request, now } = prepared;
  const creates = writes.flatMap((w) => (w.create ? [w.create] : []));
  const updates = writes.flatMap((w) => (w.update ? [w.update] : []));
  const conflicted = new Set<string>();
  const savepoint = updates.length > 0;
  if (savepoint) await sql`savepoint apply_rows`.execute(trx);
  for (;;) {
    const lost = new Set<string>();
    const rows = writes.map((w) =>
      rowSummary(w, w.update !== null && conflicted.has(w.update.after.id), false),
    );
    const finished =
      finish && importId ? { importId, summary: summarize(prepared, rows, importId, false) } : null;
    await pipeline(trx, [
      ...insertSteps(trx, creates),
      ...optimisticUpdateSteps(
        trx,
        updates.filter((u) => !conflicted.has(u.after.id)),
        lost,
      ),
      () => (importId ? recordRows(trx, importId, rows) : Promise.resolve()),
      () => insertAuditEvents(trx, auditEvents(request, importId, rows, now)),
      () =>
        finished ? recordSummary(trx, finished.importId, finished.summary) : Promise.resolve(),
      () => bumpDealListVersion(trx, request.actor.orgId), // last: cached list pages are now stale
    ]);
    if (lost.size === 0) {
      if (savepoint) await sql`release savepoint apply_rows`.execute(trx);
      return { rows, summary: finished?.summary ?? null };
    }
    await sql`rollback to savepoint apply_rows`.execute(trx);
    for (const id of lost) conflicted.add(id);
  }
};

/** Records rows' results against the import (a second recording of a row is refused by its key). */
export const recordRows = (trx: Db, importId: string, rows: readonly RowSummary[]): Promise<void> =>
  insertMany(
    trx,
    "import_rows",
    ["import_id", "row_no", "result", "referral_id", "engagement_id", "errors", "changes"],
    rows.map((r) => ({
      import_id: importId,
      row_no: r.row,
      result: r.result,
      referral_id: r.referralId,
      engagement_id: r.engagementId,
      errors: JSON.stringify(r.errors),
      changes: JSON.stringify(r.changes),
    })),
  );

/** What a dry run reports for every row: exactly the real run's plan, with no ids yet. */
export const dryRunRows = (prepared: PreparedImport): RowSummary[] =>
  prepared.writes.map((w) => rowSummary(w, false, true));

/** The rows' results recorded against an import, in row order. */
const recordedRows = async (trx: Db, importId: string): Promise<RowSummary[]> => {
  const recorded = await trx
    .selectFrom("import_rows")
    .selectAll()
    .where("import_id", "=", importId)
    .orderBy("row_no")
    .execute();
  return recorded.map(
    (r): RowSummary => ({
      row: r.row_no,
      result: parseResult(r.result),
      referralId: r.referral_id,
      engagementId: r.engagement_id,
      errors: parseStoredErrors(r.errors),
      changes: parseStoredChanges(r.changes),
    }),
  );
};

/** The import record's totals and results file, and that it finished. */
const recordSummary = async (trx: Db, importId: string, summary: ImportSummary): Promise<void> => {
  await trx
    .updateTable("imports")
    .set({
      status: "succeeded",
      total: summary.total,
      created: summary.created,
      updated: summary.updated,
      unchanged: summary.unchanged,
      not_processed: summary.notProcessed,
      results_csv: summary.resultsCsv,
      finished_at: new Date().toISOString(),
    })
    .where("id", "=", importId)
    .execute();
};

/** Fills in the import record from its recorded rows: totals, the results file, finished. */
export const finishImport = async (
  trx: Db,
  prepared: PreparedImport,
  importId: string,
): Promise<ImportSummary> => {
  const summary = summarize(
    prepared,
    await recordedRows(trx, importId),
    importId,
    prepared.request.dryRun ?? false,
  );
  await recordSummary(trx, importId, summary);
  return summary;
};

const RESULTS: readonly RowResult[] = ["Created", "Updated", "Unchanged", "Not processed"];
const parseResult = (s: string): RowResult => RESULTS.find((r) => r === s) ?? "Not processed";

/** Runs a whole import in one transaction (the CLI's way); a dry run writes nothing. */
export const importDeals = async (store: Store, request: ImportRequest): Promise<ImportSummary> => {
  const progress = request.onProgress ?? (() => {});
  const prepared = await prepareImport(store, request);
  const total = prepared.writes.length;
  progress(total, total, "checking");
  const dryRun = request.dryRun ?? false;
  if (dryRun) return summarize(prepared, dryRunRows(prepared), null, true);
  const summary = await store.db.transaction().execute(async (trx) => {
    if (request.actor.kind === "vendor") {
      const { rows } = await applyRows(trx, prepared, prepared.writes, null);
      return summarize(prepared, rows, null, false);
    }
    const importId = randomUUID();
    await insertImportRecord(trx, prepared, importId, "running");
    const { summary } = await applyRows(trx, prepared, prepared.writes, importId, true);
    if (!summary) throw new Error("a finished import has its summary");
    return summary;
  });
  progress(total, total, "writing");
  return summary;
};

/** The deals a file names, as the import rules need them. */
interface Lookups {
  visible: Map<string, Deal>;
  byCrmId: Map<string, { deal: Deal | null; id: string }[]>;
}

/** Finds the deals the file names by Referral ID (those the actor sees) and by CRM ID. */
const lookUp = async (
  db: Db,
  actor: UserActor | VendorActor,
  { referralIds, crmIds }: { referralIds: string[]; crmIds: string[] },
): Promise<Lookups> => {
  const sees = (d: Deal) => actor.kind === "user" && canSee(actor, d);
  const [byId, byCrm] = await Promise.all([
    actor.kind === "user" ? findDealsByIds(db, actor.orgId, referralIds) : [],
    findDealsByCrmIds(db, actor.orgId, crmIds),
  ]);
  const byCrmId = new Map<string, { deal: Deal | null; id: string }[]>();
  for (const d of byCrm) {
    if (!d.crmId) continue;
    const list = byCrmId.get(d.crmId) ?? [];
    list.push({ deal: sees(d) ? d : null, id: d.id });
    byCrmId.set(d.crmId, list);
  }
  return { visible: new Map(byId.filter(sees).map((d) => [d.id, d])), byCrmId };
};

/** Runs the core rules on every row, with what was looked up. */
const plan = (
  actor: UserActor | VendorActor,
  file: ImportFile,
  lookups: Lookups,
  upsertByCrmId: boolean,
  limits: Limits,
): PlannedRow[] => {
  const ctx = {
    map: file.map,
    limits,
    mode: actor.kind === "vendor" ? ("receive" as const) : ("import" as const),
    requiredMember: actor.kind === "user" ? requiredMember(actor) : null,
  };
  const planned = planImport(file, lookups, ctx, { upsertByCrmId });
  if (actor.kind === "user") return planned;
  // The vendor side only sends new referrals.
  const column = columnLabel(file.map, "referralId");
  return planned.map((p) =>
    p.parsed.referralId
      ? {
          ...p,
          deal: null,
          outcome: {
            result: "Not processed",
            errors: [
              {
                column,
                code: "not_found",
                message: `${column} must be empty: receiving creates new inbound referrals only`,
              },
            ],
          },
        }
      : p,
  );
};

const KEY = {
  Created: "created",
  Updated: "updated",
  Unchanged: "unchanged",
  "Not processed": "notProcessed",
} as const satisfies Record<RowResult, string>;

export const countResults = (rows: readonly { result: RowResult }[]): ImportCounts => {
  const counts = { total: rows.length, created: 0, updated: 0, unchanged: 0, notProcessed: 0 };
  for (const r of rows) counts[KEY[r.result]]++;
  return counts;
};

const summarize = (
  prepared: Pick<PreparedImport, "file" | "now" | "mapping">,
  rows: RowSummary[],
  importId: string | null,
  dryRun: boolean,
): ImportSummary => {
  let resultsCsv: string | undefined;
  return {
    importId,
    dryRun,
    ...countResults(rows),
    ignoredColumns: prepared.file.map.ignored.map(describeIgnored),
    rows,
    preset: prepared.mapping.preset,
    // Written when first asked for: a real import stores it, a dry run only when someone
    // wants the file (`--results`, a job's download).
    get resultsCsv() {
      resultsCsv ??= writeResultsFile(
        prepared.file,
        rows.map(
          (r): RowReport => ({
            updatedAt:
              dryRun || (r.result !== "Created" && r.result !== "Updated") ? null : prepared.now,
            ...r,
          }),
        ),
      );
      return resultsCsv;
    },
  };
};

const auditEvents = (
  request: ImportRequest,
  importId: string | null,
  rows: readonly RowSummary[],
  at: string,
): NewAuditEventRow[] => {
  const { actor } = request;
  const vendor = actor.kind === "vendor";
  const origin = request.origin ?? cliOrigin(vendor ? "receive" : "import");
  const ctx = auditContext(actor, actor.orgId, origin, at, importId);
  const events: NewAuditEventRow[] = [];
  for (const r of rows) {
    const { row, referralId } = r;
    if (!referralId) continue;
    if (r.result === "Created") {
      events.push(auditEvent(ctx, referralId, vendor ? "receive" : "create", null, row));
    } else if (r.result === "Updated") {
      for (const c of r.changes) events.push(auditEvent(ctx, referralId, "update", c, row));
    }
  }
  return events;
};
