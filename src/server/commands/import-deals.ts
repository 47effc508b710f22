/**
 * The import command (SPEC §4): plan every row with the core rules, then apply the rows
 * that succeed in one transaction — deals, their children, the import record, its row
 * results and the audit trail together, so a crash never leaves half a row.
 * Also serves the vendor side's `receive` (inbound referrals), which only creates.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Deal } from "../../core/deal.js";
import type { RowError } from "../../core/errors.js";
import { describeIgnored } from "../../core/header-map.js";
import { type PlannedRow, planImport, referencedIds } from "../../core/import/plan-import.js";
import { type ImportFile, readImportFile } from "../../core/import/read-import-file.js";
import { type RowReport, writeResultsFile } from "../../core/import/results-file.js";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import { columnLabel } from "../../core/row/parse-row.js";
import type { Change, RowResult } from "../../core/row/plan-row.js";
import { findDealsByCrmIds, findDealsByIds, insertDeals, updateDeals } from "../db/deals-repo.js";
import type { NewAuditEventRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { canSee, requiredMember, type UserActor, type VendorActor } from "./actor.js";
import { insertAuditEvents } from "./audit.js";

export interface ImportRequest {
  actor: UserActor | VendorActor;
  bytes: Uint8Array;
  fileName?: string | null;
  dryRun?: boolean;
  upsertByCrmId?: boolean;
  /** Where the request came from, for the audit trail. */
  source?: "cli" | "api";
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

export interface ImportSummary {
  /** Null for a dry run and for the vendor side (nothing recorded). */
  importId: string | null;
  dryRun: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  notProcessed: number;
  ignoredColumns: string[];
  rows: RowSummary[];
  resultsCsv: string;
}

const CONFLICT: RowError = {
  column: "",
  code: "stale_row",
  message:
    "The deal was changed by someone else while this file was being imported; upload the row again",
};

export const importDeals = async (store: Store, req: ImportRequest): Promise<ImportSummary> => {
  const limits = req.limits ?? DEFAULT_LIMITS;
  const now = (req.now ?? new Date()).toISOString();
  const { actor } = req;
  const file = readImportFile(req.bytes, limits);
  const progress = req.onProgress ?? (() => {});
  progress(0, file.rows.length, "checking");
  const planned = await plan(store, actor, file, req.upsertByCrmId ?? false, limits);
  progress(planned.length, planned.length, "checking");

  const newDeals = new Map<number, Deal>();
  const updates: { row: number; deal: Deal; expectedVersion: number; lists: boolean }[] = [];
  for (const p of planned) {
    const { outcome } = p;
    if (outcome.result === "Created") {
      newDeals.set(p.parsed.row, {
        ...outcome.fields,
        id: randomUUID(),
        engagementId: outcome.fields.engagementId || randomUUID(),
        orgId: actor.orgId,
        direction: actor.kind === "vendor" ? "inbound" : "outbound",
        createdAt: now,
        updatedAt: now,
        receivedAt: actor.kind === "vendor" ? now : null,
        version: 1,
      });
    } else if (outcome.result === "Updated" && p.deal) {
      updates.push({
        row: p.parsed.row,
        deal: { ...p.deal, ...outcome.fields, updatedAt: now, version: p.deal.version + 1 },
        expectedVersion: p.deal.version,
        lists: outcome.changes.some((c) => c.field === "solutions" || c.field === "team"),
      });
    }
  }

  const dryRun = req.dryRun ?? false;
  const importId = dryRun || actor.kind === "vendor" ? null : randomUUID();
  let conflicts = new Set<string>();
  const summarise = () => summarize(file, planned, newDeals, updates, conflicts, importId, dryRun);

  if (dryRun) return summarise();

  await store.db.transaction().execute(async (trx) => {
    await insertDeals(trx, [...newDeals.values()]);
    conflicts = new Set(await updateDeals(trx, updates));
    const summary = summarise();
    if (importId && actor.kind === "user") {
      await trx
        .insertInto("imports")
        .values({
          id: importId,
          org_id: actor.orgId,
          user_id: actor.userId,
          file_name: req.fileName ?? null,
          file_hash: createHash("sha256").update(req.bytes).digest("hex"),
          dry_run: 0,
          status: "succeeded",
          options: JSON.stringify({ upsertByCrmId: req.upsertByCrmId ?? false }),
          total: summary.total,
          created: summary.created,
          updated: summary.updated,
          unchanged: summary.unchanged,
          not_processed: summary.notProcessed,
          ignored_columns: JSON.stringify(summary.ignoredColumns),
          results_csv: summary.resultsCsv,
          error_code: null,
          error_message: null,
          created_at: now,
          finished_at: now,
        })
        .execute();
      const rows = summary.rows.map((r) => ({
        import_id: importId,
        row_no: r.row,
        result: r.result,
        referral_id: r.referralId,
        engagement_id: r.engagementId,
        errors: JSON.stringify(r.errors),
        changes: JSON.stringify(r.changes),
      }));
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto("import_rows")
          .values(rows.slice(i, i + 500))
          .execute();
      }
    }
    await insertAuditEvents(trx, auditEvents(req, summary, now));
  });
  progress(planned.length, planned.length, "writing");
  return summarise();
};

/** Looks up what the file names and runs the core rules on every row. */
const plan = async (
  store: Store,
  actor: UserActor | VendorActor,
  file: ImportFile,
  upsertByCrmId: boolean,
  limits: Limits,
): Promise<PlannedRow[]> => {
  const { referralIds, crmIds } = referencedIds(file);
  const sees = (d: Deal) => actor.kind === "user" && canSee(actor, d);
  const [byId, byCrm] = await Promise.all([
    actor.kind === "user" ? findDealsByIds(store.db, actor.orgId, referralIds) : [],
    findDealsByCrmIds(store.db, actor.orgId, crmIds),
  ]);
  const byCrmId = new Map<string, { deal: Deal | null; id: string }[]>();
  for (const d of byCrm) {
    if (!d.crmId) continue;
    const list = byCrmId.get(d.crmId) ?? [];
    list.push({ deal: sees(d) ? d : null, id: d.id });
    byCrmId.set(d.crmId, list);
  }
  const ctx = {
    map: file.map,
    limits,
    mode: actor.kind === "vendor" ? ("receive" as const) : ("import" as const),
    requiredMember: actor.kind === "user" ? requiredMember(actor) : null,
  };
  const planned = planImport(
    file,
    { visible: new Map(byId.filter(sees).map((d) => [d.id, d])), byCrmId },
    ctx,
    { upsertByCrmId },
  );
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

const summarize = (
  file: ImportFile,
  planned: readonly PlannedRow[],
  newDeals: ReadonlyMap<number, Deal>,
  updates: readonly { row: number; deal: Deal }[],
  conflicts: ReadonlySet<string>,
  importId: string | null,
  dryRun: boolean,
): ImportSummary => {
  const updated = new Map(updates.map((u) => [u.row, u.deal]));
  const rows: RowSummary[] = [];
  const reports: RowReport[] = [];
  const counts = { created: 0, updated: 0, unchanged: 0, notProcessed: 0 };
  for (const { parsed, outcome, deal } of planned) {
    let result: RowResult = outcome.result;
    let errors: RowError[] = outcome.result === "Not processed" ? outcome.errors : [];
    if (deal && conflicts.has(deal.id)) {
      result = "Not processed";
      errors = [CONFLICT];
    }
    const created = newDeals.get(parsed.row);
    const after = created ?? updated.get(parsed.row) ?? deal;
    const referralId = created ? (dryRun ? null : created.id) : (deal?.id ?? parsed.referralId);
    const engagementId = created
      ? dryRun
        ? null
        : created.engagementId
      : (deal?.engagementId ?? null);
    const changes = result === "Updated" && outcome.result === "Updated" ? outcome.changes : [];
    counts[KEY[result]]++;
    rows.push({ row: parsed.row, result, referralId, engagementId, errors, changes });
    reports.push({
      row: parsed.row,
      result,
      referralId,
      engagementId,
      errors,
      updatedAt: dryRun ? null : (after?.updatedAt ?? null),
    });
  }
  return {
    importId,
    dryRun,
    total: planned.length,
    ...counts,
    ignoredColumns: file.map.ignored.map(describeIgnored),
    rows,
    resultsCsv: writeResultsFile(file, reports),
  };
};

const KEY = {
  Created: "created",
  Updated: "updated",
  Unchanged: "unchanged",
  "Not processed": "notProcessed",
} as const satisfies Record<RowResult, string>;

const auditEvents = (
  req: ImportRequest,
  summary: ImportSummary,
  at: string,
): NewAuditEventRow[] => {
  const { actor } = req;
  const base = {
    at,
    org_id: actor.orgId,
    actor_user_id: actor.kind === "user" ? actor.userId : null,
    actor: actor.kind === "user" ? actor.email : "vendor",
    source: actor.kind === "vendor" ? ("vendor" as const) : ("import" as const),
    import_id: summary.importId,
  };
  return summary.rows.flatMap((r): NewAuditEventRow[] => {
    if (!r.referralId) return [];
    const row = { ...base, import_row: r.row, deal_id: r.referralId };
    if (r.result === "Created") {
      const action = actor.kind === "vendor" ? "receive" : "create";
      return [{ ...row, action, field: null, old_value: null, new_value: null }];
    }
    if (r.result !== "Updated") return [];
    return r.changes.map((c) => ({
      ...row,
      action: "update",
      field: c.header,
      old_value: c.from,
      new_value: c.to,
    }));
  });
};
