/**
 * What a worker does with a claimed job, by kind. The dispatch is an exhaustive `switch`:
 * a kind added to `JOB_KINDS` without its handler here does not compile. An import goes
 * through the one import driver (`applyImport`, in chunks, the lease renewed before each);
 * so does an undo (in one transaction).
 */
import { importSummaryJson } from "../../core/import/summary-json.js";
import { RequestError } from "../../core/errors.js";
import { exportFileName } from "../../core/export/export-file.js";
import {
  parseExportParams,
  parseImportParams,
  parseSyncParams,
  parseUndoParams,
} from "../../core/job-params.js";
import type { Limits } from "../../core/limits.js";
import { assertUnreachable } from "../../core/unreachable.js";
import { actorById } from "../commands/accounts.js";
import { exportDealsFile } from "../commands/export-deals.js";
import { applyImport, prepareAnyImport } from "../commands/import-deals.js";
import { IMPORT_JOB_ORIGIN } from "../commands/job-submit.js";
import { getJobFile, heartbeat, putJobFile, settleJob } from "../db/jobs-repo.js";
import type { Db } from "../db/db.js";
import type { JobRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { SyncBusyError, syncOne } from "../connectors/sync-organization.js";
import { type UndoSummary, undoImport } from "../commands/undo-import.js";

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

export async function runJob(store: Store, job: JobRow, ctx: RunContext): Promise<void> {
  switch (job.kind) {
    case "import":
      return runImport(store, job, ctx);
    case "export":
      return runExport(store, job, ctx);
    case "sync":
      return runSync(store, job, ctx);
    case "undo":
      return runUndo(store, job, ctx);
    default:
      return assertUnreachable(job.kind);
  }
}

/** One sync of a connection; Partner Center out of reach fails the job with a stable code. */
const runSync = async (store: Store, job: JobRow, ctx: RunContext): Promise<void> => {
  const { connectionId, referralIds } = parseSyncParams(job.params);
  await heartbeat(store.db, job.id, ctx.owner, ctx.leaseMs);
  let last = 0;
  const result = await syncOneOrHandBack(store, connectionId, {
    actorUserId: job.user_id,
    jobId: job.id,
    // Another sync of this connection running: wait for it while this job's lease is renewed,
    // and after a while (or at shutdown) hand the job back to the queue.
    leaseMs: ctx.leaseMs,
    waitMs: Math.max(10_000, ctx.leaseMs * 2),
    signal: ctx.signal,
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

const syncOneOrHandBack = async (...args: Parameters<typeof syncOne>) => {
  try {
    return await syncOne(...args);
  } catch (error) {
    if (error instanceof SyncBusyError) throw new HandedBack();
    throw error;
  }
};

const runImport = async (store: Store, job: JobRow, ctx: RunContext): Promise<void> => {
  // The import record is running already: the claim moved it with its job (claimJob).
  const params = parseImportParams(job.params);
  const input = await getJobFile(store.db, job.id, "input");
  if (!input)
    throw new RequestError(
      "not_found",
      "The uploaded file is gone (removed after the retention period)",
    );
  const actor = await actorById(store, job.user_id);
  const prepared = await prepareAnyImport(store, {
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
  await applyImport(store, prepared, {
    kind: "chunks",
    importId: job.id,
    size: ctx.chunkSize,
    total: job.progress_total,
    betweenChunks: async () => {
      // SQLite answers synchronously: without a turn of the event loop between chunks, a
      // whole import would run without the server answering a request, a timer firing or a
      // shutdown signal being heard.
      await new Promise((resolve) => setImmediate(resolve));
      if (ctx.signal.aborted) throw new HandedBack();
    },
    beforeChunk: (trx, progress) => heartbeat(trx, job.id, ctx.owner, ctx.leaseMs, progress),
    finish: async (trx, summary) => {
      // Picked field by field: a streamed import's summary does not hold its results file, and
      // a spread would read it (its getter throws).
      const result = { ...importSummaryJson(summary), dryRun: params.dryRun };
      await settleJob(trx, job.id, ctx.owner, "succeeded", { result });
    },
  });
};

/**
 * The undo of an import, in one transaction with its record and the job's settlement (an
 * undo is bounded by the import it undoes). The lease is renewed in that transaction first,
 * so a worker that lost the job cannot commit the undo.
 */
const runUndo = async (store: Store, job: JobRow, ctx: RunContext): Promise<void> => {
  const { importId, dryRun, undoDays } = parseUndoParams(job.params);
  const actor = await actorById(store, job.user_id);
  const settle = async (trx: Db, result: UndoSummary) => {
    await heartbeat(trx, job.id, ctx.owner, ctx.leaseMs, {
      done: result.total,
      total: result.total,
    });
    await settleJob(trx, job.id, ctx.owner, "succeeded", { result });
  };
  const summary = await undoImport(
    store,
    { actor, importId, dryRun, undoDays },
    { jobId: job.id, finish: settle },
  );
  // A dry run writes nothing on its way: its job is settled with what it would do.
  if (dryRun) await store.db.transaction().execute((trx) => settle(trx, summary));
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
  const name = exportFileName(job.created_at, result.extension);
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
