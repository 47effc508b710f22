/**
 * The import driver (SPEC §4): the one function that applies a prepared import, for the CLI
 * and for the worker alike, dry run included. The CLI applies the whole file in one
 * transaction; a worker applies it in chunks, each one transaction holding its deals, their
 * children, the rows' results and the audit trail — so a crash never leaves half a row, and a
 * resumed job skips the rows whose results are already recorded (their primary key makes a
 * second application impossible). Only the chunking differs. A large CSV is streamed
 * (`import-stream.ts`): planned and applied chunk after chunk, never held whole as rows.
 */
import { randomUUID } from "node:crypto";
import { describeIgnored } from "../../core/header-map.js";
import { countResults, type ImportCounts, type RowSummary } from "../../core/import/row-summary.js";
import type { Db } from "../db/db.js";
import { chunks } from "../db/db.js";
import { resultsWriter } from "../../core/import/results-file.js";
import {
  clearResultParts,
  countImportRows,
  insertImportRecord,
  recordedImportRows,
  recordedRowNumbers,
  recordImportRows,
  recordImportSummary,
} from "../db/imports-repo.js";
import type { Store } from "../db/store.js";
import { applyRows, finishImport, importRecordOf } from "./import-apply.js";
import { type ImportRequest, type PreparedImport, prepareImport } from "./import-prepare.js";
import {
  prepareStreamedImport,
  reportsByRow,
  resultsSinks,
  type StreamedImport,
  streams,
  writeStreamedResults,
} from "./import-stream.js";
import { dryRunRows, type ImportSummary, rowSummary, summarize } from "./import-summary.js";

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
  /** A streamed file's rows, counted when it was submitted (the job's progress total). */
  total?: number;
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

/** Applies a prepared import (whole or streamed) the given way and returns its summary. */
export async function applyImport(
  store: Store,
  prepared: PreparedImport | StreamedImport,
  how: WholeFile | InChunks,
): Promise<ImportSummary> {
  switch (how.kind) {
    case "whole":
      return prepared.kind === "whole"
        ? applyWhole(store, prepared, how)
        : applyStreamWhole(store, prepared, how);
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
      summary = (await applyRows(trx, prepared, prepared.writes, record.id, prepared)).summary;
      if (!summary) throw new Error("a finished import has its summary");
    }
    await how.finish?.(trx, summary);
    return summary;
  });
};

/**
 * A streamed file in one transaction (the CLI): chunk after chunk, each planned on what the
 * chunks before it wrote, its lines of the results file written as soon as it is applied (to
 * the store's parts and to `resultsTo`); a whole-file rejection found part-way (one row too
 * many) rolls it all back. A dry run writes nothing at all.
 */
const applyStreamWhole = async (
  store: Store,
  streamed: StreamedImport,
  how: WholeFile,
): Promise<ImportSummary> => {
  const { request, now } = streamed;
  const dryRun = request.dryRun ?? false;
  const progress = request.onProgress ?? (() => {});
  const keep = keptRows(request.keepRows ?? "all");
  const run = async (db: Db): Promise<ImportSummary> => {
    const record = dryRun ? null : importRecordOf(streamed, randomUUID(), "running");
    if (record) await insertImportRecord(db, record);
    const writer = resultsWriter(streamed.file);
    const sink = resultsSinks(record ? db : null, record?.id ?? null, request.resultsTo);
    await sink(writer.header);
    let counts = countResults([]);
    for await (const part of streamed.writes(db)) {
      const rows = dryRun
        ? part.map((w) => rowSummary(w, false, true))
        : (await applyRows(db, streamed, part, record?.id ?? null)).rows;
      counts = plus(counts, countResults(rows));
      keep.add(rows);
      await sink(
        writer.lines(
          part.map((w) => w.planned.parsed),
          reportsByRow(rows, dryRun, now),
        ),
      );
      const { done, estimate } = streamed.progress();
      progress(done, estimate, dryRun ? "checking" : "writing");
    }
    if (record) await recordImportSummary(db, record.id, { ...counts, resultsCsv: null });
    const summary = streamedSummary(streamed, counts, keep.rows, record?.id ?? null);
    if (!dryRun) await how.finish?.(db, summary);
    return summary;
  };
  return dryRun ? run(store.db) : store.db.transaction().execute(run);
};

const plus = (a: ImportCounts, b: ImportCounts): ImportCounts => ({
  total: a.total + b.total,
  created: a.created + b.created,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
  notProcessed: a.notProcessed + b.notProcessed,
});

/** How many updates a person is shown (`formatImportSummary` prints 20). */
const SHOWN_UPDATES = 20;

/** The rows' summaries a streamed import keeps for its report. */
const keptRows = (which: "all" | "shown") => {
  const rows: RowSummary[] = [];
  let updates = 0;
  return {
    rows,
    add(more: readonly RowSummary[]) {
      for (const r of more) {
        if (which === "all" || r.result === "Not processed") rows.push(r);
        else if (r.result === "Updated" && updates < SHOWN_UPDATES) {
          updates++;
          rows.push(r);
        }
      }
    },
  };
};

/**
 * A streamed import's summary. Its results file is in the store's parts and went to
 * `resultsTo`; it is never held whole, so asking the summary for it is a mistake said aloud.
 */
const streamedSummary = (
  streamed: StreamedImport,
  counts: ImportCounts,
  rows: RowSummary[],
  importId: string | null,
): ImportSummary => ({
  importId,
  dryRun: streamed.request.dryRun ?? false,
  ...counts,
  ignoredColumns: streamed.file.map.ignored.map(describeIgnored),
  rows,
  preset: streamed.mapping.preset,
  get resultsCsv(): string {
    throw new Error(
      "a streamed import's results file is not held whole: pass resultsTo, or read it from the store (importResultsCsv)",
    );
  },
});

/**
 * In chunks of `how.size` rows, each its own transaction; a resumed job skips the rows
 * already recorded. A streamed file is planned batch by batch as it goes (every batch, even
 * one whose rows are all recorded, so the planner remembers the ids of the rows before).
 */
const applyInChunks = async (
  store: Store,
  prepared: PreparedImport | StreamedImport,
  how: InChunks,
): Promise<ImportSummary> => {
  const { importId } = how;
  const dryRun = prepared.request.dryRun ?? false;
  const total = prepared.kind === "whole" ? prepared.writes.length : (how.total ?? 0);
  const record = importRecordOf(prepared, importId, "running", total);
  const done = await recordedRowNumbers(store.db, importId);
  let applied = done.size;
  const batches = prepared.kind === "whole" ? [prepared.writes] : prepared.writes(store.db);
  for await (const batch of batches) {
    const remaining = batch.filter((w) => !done.has(w.planned.parsed.row));
    for (const part of chunks(remaining, how.size)) {
      await how.betweenChunks();
      await store.db.transaction().execute(async (trx) => {
        const progress = {
          done: applied + part.length,
          total: Math.max(total, applied + part.length),
        };
        await how.beforeChunk(trx, progress);
        if (record) await insertImportRecord(trx, record);
        if (dryRun) {
          await recordImportRows(
            trx,
            importId,
            part.map((w) => rowSummary(w, false, true)),
          );
        } else {
          await applyRows(trx, prepared, part, importId);
        }
      });
      applied += part.length;
    }
  }
  // A streamed file's results are written before the last transaction, which then only
  // records the totals: reading the file again holds no lock. An attempt that died part-way
  // through them left parts behind: they are written again, whole.
  if (prepared.kind === "stream") {
    await clearResultParts(store.db, importId);
    await writeStreamedResults(
      prepared,
      dryRun,
      (first, last) => recordedImportRows(store.db, importId, { first, last }),
      resultsSinks(store.db, importId),
    );
  }
  return store.db.transaction().execute(async (trx) => {
    if (record) await insertImportRecord(trx, record);
    let summary: ImportSummary;
    if (prepared.kind === "whole") summary = await finishImport(trx, prepared, importId);
    else {
      const counts = await countImportRows(trx, importId);
      await recordImportSummary(trx, importId, { ...counts, resultsCsv: null });
      summary = streamedSummary(prepared, counts, [], importId);
    }
    await how.finish(trx, summary);
    return summary;
  });
};

/** Prepares an import: streamed when its file is large (a CSV from `STREAM_FROM_BYTES` on), else whole. */
export async function prepareAnyImport(
  store: Store,
  request: ImportRequest,
): Promise<PreparedImport | StreamedImport> {
  if (streams(request)) {
    const streamed = await prepareStreamedImport(store, request);
    if (streamed) return streamed;
  }
  // Read whole: a file on disk is read in at last (a workbook, UTF-16).
  const { file, ...rest } = request;
  return prepareImport(store, file ? { ...rest, bytes: await file.readAll() } : rest);
}

/** Runs a whole import in one transaction (the CLI's way); a dry run writes nothing. */
export async function importDeals(store: Store, request: ImportRequest): Promise<ImportSummary> {
  const progress = request.onProgress ?? (() => {});
  const prepared = await prepareAnyImport(store, request);
  if (prepared.kind === "stream") return applyImport(store, prepared, { kind: "whole" });
  const total = prepared.writes.length;
  progress(total, total, "checking");
  const summary = await applyImport(store, prepared, { kind: "whole" });
  if (!prepared.request.dryRun) progress(total, total, "writing");
  if (request.resultsTo) await request.resultsTo(summary.resultsCsv);
  return summary;
}
