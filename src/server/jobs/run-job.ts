/**
 * What a worker does with a claimed job. An import applies its rows in chunks, each in a
 * transaction that first renews the lease — a worker that lost its job cannot commit — and
 * skips rows already recorded, so a job resumed after a crash applies every row exactly once.
 */
import { RequestError } from "../../core/errors.js";
import type { Limits } from "../../core/limits.js";
import { actorById } from "../commands/accounts.js";
import { exportDealsFile } from "../commands/export-deals.js";
import {
  applyRows,
  countResults,
  dryRunRows,
  finishImport,
  insertImportRecord,
  prepareImport,
  recordRows,
} from "../commands/import-deals.js";
import { IMPORT_JOB_ORIGIN } from "../commands/jobs.js";
import { syncOne } from "../commands/sync.js";
import { chunks } from "../db/deals-repo.js";
import type { JobRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { getJobFile, heartbeat, putJobFile, settleJob } from "./jobs-repo.js";
import { parseExportParams, parseImportParams, parseSyncParams } from "./params.js";

export interface RunContext {
  owner: string;
  leaseMs: number;
  /** Rows per transaction. */
  chunkSize: number;
  /** Set when the worker is shutting down: stop between chunks and hand the job back. */
  signal: AbortSignal;
  /** The limits the server checked the upload against, so both agree. */
  limits?: Limits;
}

export class HandedBack extends Error {
  constructor() {
    super("Handed back to the queue");
    this.name = "HandedBack";
  }
}

export const runJob = async (store: Store, job: JobRow, ctx: RunContext): Promise<void> => {
  switch (job.kind) {
    case "import":
      return runImport(store, job, ctx);
    case "export":
      return runExport(store, job, ctx);
    case "sync":
      return runSync(store, job, ctx);
    default: {
      const unknown: never = job.kind;
      throw new Error(`No handler for job kind '${String(unknown)}'`);
    }
  }
};

/** One sync of a connection; Partner Center out of reach fails the job with a stable code. */
const runSync = async (store: Store, job: JobRow, ctx: RunContext): Promise<void> => {
  const { connectionId, referralIds } = parseSyncParams(job.params);
  await heartbeat(store.db, job.id, ctx.owner, ctx.leaseMs);
  let last = 0;
  const result = await syncOne(store, connectionId, {
    actorUserId: job.user_id,
    jobId: job.id,
    ...(referralIds ? { referralIds } : {}),
    onProgress: (done, total) => {
      // A heartbeat per page's worth keeps the lease without a write per referral.
      if (done - last >= 100 || done === total) {
        last = done;
        void heartbeat(store.db, job.id, ctx.owner, ctx.leaseMs, { done, total }).catch(() => {});
      }
    },
  });
  const { reachable, ...summary } = result;
  if (!reachable) {
    await settleJob(store.db, job.id, ctx.owner, "failed", {
      result: summary,
      errorCode: "vendor_unreachable",
      errorMessage: summary.errors[0]?.message ?? "Partner Center could not be reached",
    });
    return;
  }
  await settleJob(store.db, job.id, ctx.owner, "succeeded", { result: summary });
};

const runImport = async (store: Store, job: JobRow, ctx: RunContext): Promise<void> => {
  const params = parseImportParams(job.params);
  const input = await getJobFile(store.db, job.id, "input");
  if (!input)
    throw new RequestError(
      "not_found",
      "The uploaded file is gone (removed after the retention period)",
    );
  const actor = await actorById(store, job.user_id);
  const prepared = await prepareImport(store, {
    actor,
    bytes: input.data,
    fileName: params.fileName,
    dryRun: params.dryRun,
    upsertByCrmId: params.upsertByCrmId,
    mapping: params.mapping,
    autoPreset: false,
    origin: IMPORT_JOB_ORIGIN,
    ...(ctx.limits ? { limits: ctx.limits } : {}),
  });
  await store.db
    .updateTable("imports")
    .set({ status: "running" })
    .where("id", "=", job.id)
    .where("status", "=", "queued")
    .execute();
  const total = prepared.writes.length;
  const done = new Set(
    (
      await store.db
        .selectFrom("import_rows")
        .select("row_no")
        .where("import_id", "=", job.id)
        .execute()
    ).map((r) => r.row_no),
  );
  const dryRows = params.dryRun ? dryRunRows(prepared) : [];
  const remaining = prepared.writes.filter((w) => !done.has(w.planned.parsed.row));
  let applied = done.size;
  for (const part of chunks(remaining, ctx.chunkSize)) {
    // SQLite answers synchronously: without a turn of the event loop between chunks, a whole
    // import would run without the server answering a request, a timer firing or a shutdown
    // signal being heard.
    await new Promise((resolve) => setImmediate(resolve));
    if (ctx.signal.aborted) throw new HandedBack();
    await store.db.transaction().execute(async (trx) => {
      await heartbeat(trx, job.id, ctx.owner, ctx.leaseMs, { done: applied + part.length, total });
      await insertImportRecord(trx, prepared, job.id, "running");
      if (params.dryRun) {
        const rows = new Set(part.map((w) => w.planned.parsed.row));
        await recordRows(
          trx,
          job.id,
          dryRows.filter((r) => rows.has(r.row)),
        );
      } else {
        await applyRows(trx, prepared, part, job.id);
      }
    });
    applied += part.length;
  }
  await store.db.transaction().execute(async (trx) => {
    await insertImportRecord(trx, prepared, job.id, "running");
    const summary = await finishImport(trx, prepared, job.id);
    const counts = countResults(summary.rows);
    await settleJob(trx, job.id, ctx.owner, "succeeded", {
      result: { dryRun: params.dryRun, ...counts, ignoredColumns: summary.ignoredColumns },
    });
  });
};

const runExport = async (store: Store, job: JobRow, ctx: RunContext): Promise<void> => {
  const { filter, lang, format } = parseExportParams(job.params);
  const actor = await actorById(store, job.user_id);
  await heartbeat(store.db, job.id, ctx.owner, ctx.leaseMs);
  const result = await exportDealsFile(store, {
    actor,
    filter,
    lang,
    format,
    ...(ctx.limits ? { limits: ctx.limits } : {}),
  });
  const name = `deals-export-${job.created_at.replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-")}.${result.extension}`;
  await store.db.transaction().execute(async (trx) => {
    await heartbeat(trx, job.id, ctx.owner, ctx.leaseMs, {
      done: result.count,
      total: result.count,
    });
    await putJobFile(trx, job.id, "export", name, result.contentType, result.data);
    await settleJob(trx, job.id, ctx.owner, "succeeded", {
      result: { count: result.count, leftOut: result.leftOut, fileName: name },
    });
  });
};
