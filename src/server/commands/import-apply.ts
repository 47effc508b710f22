/**
 * The second half of an import: planned rows applied in the caller's transaction — their
 * deals, their recorded results (when there is an import record), their audit entries and the
 * list version — and the import record's own lines (created, finished). Which transaction,
 * and how many rows at a time, is the driver's business (import-deals.ts).
 */
import type { RowSummary } from "../../core/import/row-summary.js";
import { describeIgnored, type HeaderMap } from "../../core/header-map.js";
import type { Db } from "../db/db.js";
import { bumpDealListVersion } from "../db/deal-list-version.js";
import { writeDealsOptimistically } from "../db/deals-repo.js";
import {
  fileHashOf,
  type NewImportRecord,
  recordedImportRows,
  recordImportRows,
  recordImportSummary,
} from "../db/imports-repo.js";
import type { NewAuditEventRow } from "../db/schema.js";
import { auditContext, auditEvent, cliOrigin, insertAuditEvents } from "./audit.js";
import type { ImportRequest, PreparedImport, RowWrite } from "./import-prepare.js";
import { type ImportSummary, rowSummary, summarize } from "./import-summary.js";

/** The import record of a partner's import (the vendor side's receive records none). */
export function importRecordOf(
  prepared: Pick<PreparedImport, "request" | "now" | "mapping"> & {
    file: { map: HeaderMap; rows?: readonly unknown[] };
  },
  importId: string,
  status: "queued" | "running",
  total = prepared.file.rows?.length ?? 0,
): NewImportRecord | null {
  const { request, file, now, mapping } = prepared;
  if (request.actor.kind !== "user") return null;
  return {
    id: importId,
    orgId: request.actor.orgId,
    userId: request.actor.userId,
    fileName: request.fileName ?? null,
    // Hashed once here: a job writes its record again in every chunk's transaction.
    fileHash: request.fileHash ?? request.file?.sha256 ?? fileHashOf(request.bytes),
    dryRun: request.dryRun ?? false,
    upsertByCrmId: request.upsertByCrmId ?? false,
    mapping: Object.keys(mapping.mapping).length > 0 ? mapping : null,
    corrections: request.corrections ?? [],
    total,
    ignoredColumns: file.map.ignored.map(describeIgnored),
    status,
    now,
  };
}

/**
 * Applies some rows in the caller's transaction: their deals, their recorded results (when
 * there is an import record) and their audit entries; with `finish` (the whole prepared
 * import), the import record's totals and results file too (a one-pass import). Returns what each row reports. The deals'
 * statements and these go out back to back; an update that lost a race to someone else's
 * edit has its row reported as a conflict (`writeDealsOptimistically`).
 */
export async function applyRows(
  trx: Db,
  prepared: Pick<PreparedImport, "request" | "now">,
  writes: readonly RowWrite[],
  importId: string | null,
  finish: PreparedImport | null = null,
): Promise<{ rows: RowSummary[]; summary: ImportSummary | null }> {
  const { request, now } = prepared;
  const creates = writes.flatMap((w) => (w.create ? [w.create] : []));
  const updates = writes.flatMap((w) => (w.update ? [w.update] : []));
  return writeDealsOptimistically(trx, creates, updates, (conflicted) => {
    const rows = writes.map((w) =>
      rowSummary(w, w.update !== null && conflicted.has(w.update.after.id), false),
    );
    const summary = finish && importId ? summarize(finish, rows, importId, false) : null;
    return {
      value: { rows, summary },
      steps: [
        () => (importId ? recordImportRows(trx, importId, rows) : Promise.resolve()),
        () => insertAuditEvents(trx, auditEvents(request, importId, rows, now)),
        () =>
          summary && importId ? recordImportSummary(trx, importId, summary) : Promise.resolve(),
        () => bumpDealListVersion(trx, request.actor.orgId), // last: cached list pages are now stale
      ],
    };
  });
}

/** Fills in the import record from its recorded rows: totals, the results file, succeeded. */
export async function finishImport(
  trx: Db,
  prepared: PreparedImport,
  importId: string,
): Promise<ImportSummary> {
  const summary = summarize(
    prepared,
    await recordedImportRows(trx, importId),
    importId,
    prepared.request.dryRun ?? false,
  );
  await recordImportSummary(trx, importId, summary);
  return summary;
}

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
