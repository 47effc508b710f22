/**
 * The import driver (SPEC §4): the one function that applies a prepared import, for the CLI
 * and for the worker alike, dry run included. The CLI applies the whole file in one
 * transaction; a worker applies it in chunks, each one transaction holding its deals, their
 * children, the rows' results and the audit trail — so a crash never leaves half a row, and a
 * resumed job skips the rows whose results are already recorded (their primary key makes a
 * second application impossible). Only the chunking differs.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "../db/db.js";
import { chunks } from "../db/db.js";
import { insertImportRecord, recordedRowNumbers, recordImportRows } from "../db/imports-repo.js";
import type { Store } from "../db/store.js";
import { applyRows, finishImport, importRecordOf } from "./import-apply.js";
import { type ImportRequest, type PreparedImport, prepareImport } from "./import-prepare.js";
import { dryRunRows, type ImportSummary, summarize } from "./import-summary.js";

/** The whole file in one transaction (the CLI): a dry run writes nothing at all. */
export interface WholeFile {
  kind: "whole";
  /**
   * A real run's last step in its one transaction, once the summary is recorded: what must
   * commit with the import or not at all (an undo's record, its job settled).
   */
  finish?(trx: Db, summary: ImportSummary): Promise<void>;
}

/** In chunks, each its own transaction (a worker); a dry run records its rows' results. */
export interface InChunks {
  kind: "chunks";
  /** The import record (the job's id), written when the import was submitted. */
  importId: string;
  size: number;
  /** Between chunks, outside any transaction: the worker yields and hears a shutdown. */
  betweenChunks(): Promise<void>;
  /**
   * First in each chunk's transaction, told the rows done once it commits: the worker renews
   * its lease here, so a worker that lost its job cannot commit.
   */
  beforeChunk(trx: Db, progress: { done: number; total: number }): Promise<void>;
  /** In the last transaction, once the summary is recorded: the worker settles its job. */
  finish(trx: Db, summary: ImportSummary): Promise<void>;
}

/** Applies a prepared import the given way and returns its summary. */
export async function applyImport(
  store: Store,
  prepared: PreparedImport,
  how: WholeFile | InChunks,
): Promise<ImportSummary> {
  switch (how.kind) {
    case "whole":
      return applyWhole(store, prepared, how);
    case "chunks":
      return applyInChunks(store, prepared, how);
  }
}

const applyWhole = async (
  store: Store,
  prepared: PreparedImport,
  how: WholeFile,
): Promise<ImportSummary> => {
  if (prepared.request.dryRun) return summarize(prepared, dryRunRows(prepared), null, true);
  return store.db.transaction().execute(async (trx) => {
    const record = importRecordOf(prepared, randomUUID(), "running");
    let summary: ImportSummary | null;
    if (!record) {
      const { rows } = await applyRows(trx, prepared, prepared.writes, null);
      summary = summarize(prepared, rows, null, false);
    } else {
      await insertImportRecord(trx, record);
      summary = (await applyRows(trx, prepared, prepared.writes, record.id, true)).summary;
      if (!summary) throw new Error("a finished import has its summary");
    }
    await how.finish?.(trx, summary);
    return summary;
  });
};

const applyInChunks = async (
  store: Store,
  prepared: PreparedImport,
  how: InChunks,
): Promise<ImportSummary> => {
  const { importId } = how;
  const record = importRecordOf(prepared, importId, "running");
  const total = prepared.writes.length;
  const done = await recordedRowNumbers(store.db, importId);
  const dryRows = prepared.request.dryRun ? dryRunRows(prepared) : [];
  const remaining = prepared.writes.filter((w) => !done.has(w.planned.parsed.row));
  let applied = done.size;
  for (const part of chunks(remaining, how.size)) {
    await how.betweenChunks();
    await store.db.transaction().execute(async (trx) => {
      await how.beforeChunk(trx, { done: applied + part.length, total });
      if (record) await insertImportRecord(trx, record);
      if (prepared.request.dryRun) {
        const rows = new Set(part.map((w) => w.planned.parsed.row));
        await recordImportRows(
          trx,
          importId,
          dryRows.filter((r) => rows.has(r.row)),
        );
      } else {
        await applyRows(trx, prepared, part, importId);
      }
    });
    applied += part.length;
  }
  return store.db.transaction().execute(async (trx) => {
    if (record) await insertImportRecord(trx, record);
    const summary = await finishImport(trx, prepared, importId);
    await how.finish(trx, summary);
    return summary;
  });
};

/** Runs a whole import in one transaction (the CLI's way); a dry run writes nothing. */
export async function importDeals(store: Store, request: ImportRequest): Promise<ImportSummary> {
  const progress = request.onProgress ?? (() => {});
  const prepared = await prepareImport(store, request);
  const total = prepared.writes.length;
  progress(total, total, "checking");
  const summary = await applyImport(store, prepared, { kind: "whole" });
  if (!prepared.request.dryRun) progress(total, total, "writing");
  return summary;
}
