/**
 * A streamed import (issue 13; decision 0023): a CSV too large to hold whole as rows — up to
 * 100,000 rows and more once `COSELL_IMPORT_MAX_ROWS` is raised — is read, parsed, looked up
 * and planned chunk after chunk, each chunk's look-ups in two statements; only the file's bytes
 * are held whole. The rules are the whole-file import's: the same core planner, which remembers
 * every Referral ID and new CRM ID it has seen, so a deal named twice is caught however far
 * apart its rows are; the same results file, written in pieces by reading the file again.
 * Between chunks the event loop turns, so a server keeps answering while a file is planned.
 * Smaller files, workbooks and UTF-16 files are read whole (`import-prepare.ts`).
 */
import { isUtf8 } from "node:buffer";
import { type ByteSource, bytesSource, isUtf8Source } from "../../core/csv/index.js";
import { needsPreviousChanges, referencedIds } from "../../core/import/plan-import.js";
import {
  checkRowCount,
  openImportCsvStream,
  parseRecords,
} from "../../core/import/read-import-file.js";
import {
  type ResultsSourceRow,
  type RowReport,
  resultsWriter,
} from "../../core/import/results-file.js";
import type { RowSummary } from "../../core/import/row-summary.js";
import { mapHeadersWith } from "../../core/column-mapping.js";
import type { HeaderMap } from "../../core/header-map.js";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import type { Db } from "../db/db.js";
import { fileHashInTurns, putResultParts } from "../db/imports-repo.js";
import type { Store } from "../db/store.js";
import { isXlsx } from "../xlsx/read-workbook.js";
import { type ChosenMapping, chooseMapping } from "./import-presets.js";
import {
  type ImportRequest,
  lookUp,
  type RowWrite,
  rowPlanner,
  rowWrites,
} from "./import-prepare.js";
import { rowReport } from "./import-summary.js";

/** Files from this size on are streamed (a 1,000-row file is well under half a megabyte). */
export const STREAM_FROM_BYTES = 4 * 1024 * 1024;

/**
 * Bytes decoded, parsed and planned between two turns of the event loop on a server: about 150
 * rows, a few ms of work, so a request waits little behind it (issue 10).
 */
export const SERVER_SLICE_BYTES = 64 * 1024;

/**
 * The same for the CLI, which serves nobody meanwhile: about 2,000 rows, so each chunk's
 * look-ups and writes are few and large.
 */
export const CLI_SLICE_BYTES = 1024 * 1024;

/** A file opened for streaming: its header matched, its rows still in its bytes. */
export interface StreamedImport {
  kind: "stream";
  request: ImportRequest;
  file: { encoding: string; delimiter: "," | ";" | "\t"; map: HeaderMap };
  mapping: ChosenMapping;
  now: string;
  /**
   * The planned rows, chunk by chunk, each chunk's deals looked up on `db` just before it is
   * planned (so a chunk sees what the chunks before it wrote in the same transaction).
   */
  writes(db: Db): AsyncGenerator<RowWrite[], void, undefined>;
  /** The file's rows again, batch by batch, as the results file needs them. */
  sourceRows(): Generator<ResultsSourceRow[], void, undefined>;
  /** Rows planned so far, and an estimate of the file's rows from the bytes read so far. */
  progress(): { done: number; estimate: number };
}

/** A turn of the event loop: others' requests, timers and signals are served in between. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Whether this request's file is streamed rather than read whole. */
export function streams(
  request: Pick<ImportRequest, "bytes" | "file" | "streamFromBytes">,
): boolean {
  const from = request.streamFromBytes ?? STREAM_FROM_BYTES;
  const source = sourceOf(request);
  return source.size >= from && !isXlsx(source.read(0, 8));
}

/** The request's bytes, as a source: from disk, or in memory. */
const sourceOf = ({ bytes, file }: Pick<ImportRequest, "bytes" | "file">): ByteSource =>
  file?.source ?? bytesSource(bytes);

const openStream = (
  request: Pick<ImportRequest, "bytes" | "file" | "sliceBytes">,
  limits: Limits,
) => {
  const source = sourceOf(request);
  // Node's validator on bytes in memory (one call, microseconds a MB); a file, slice by slice.
  const valid = request.file
    ? (from: number) => isUtf8Source(source, from)
    : (from: number) => isUtf8(request.bytes.subarray(from));
  return openImportCsvStream(source, limits, valid, request.sliceBytes ?? SERVER_SLICE_BYTES);
};

/**
 * Opens a large CSV import for streaming (throws `FileRejectedError` for a whole-file problem
 * seen in the header); null for a file read whole (UTF-16). Writes nothing.
 */
export async function prepareStreamedImport(
  store: Store,
  asked: ImportRequest,
): Promise<StreamedImport | null> {
  const limits = asked.limits ?? DEFAULT_LIMITS;
  const opened = openStream(asked, limits);
  if (!opened) return null;
  // Hashed now, in turns, so the import record never hashes the whole file in one go.
  const request =
    asked.fileHash === undefined && !asked.file
      ? { ...asked, fileHash: await fileHashInTurns(asked.bytes) }
      : asked;
  const now = (request.now ?? new Date()).toISOString();
  const { actor } = request;
  const size = sourceOf(request).size;
  const sliceBytes = request.sliceBytes ?? SERVER_SLICE_BYTES;
  const mapping = await chooseMapping(store.db, actor, opened.csv.header, request);
  const map = mapHeadersWith(opened.csv.header, mapping.mapping);
  const file = { encoding: opened.encoding, delimiter: opened.csv.delimiter, map };
  let done = 0;
  let batches = 0;

  const records = function* () {
    const csv = openStream(request, limits)?.csv;
    if (!csv) return;
    let row = 1;
    for (const batch of csv.batches) {
      checkRowCount(row - 1 + batch.length, limits, false);
      yield { row, batch };
      row += batch.length;
    }
  };

  return {
    kind: "stream",
    request,
    file,
    mapping,
    now,
    async *writes(db) {
      const planner = rowPlanner(actor, map, request.upsertByCrmId ?? false, limits);
      done = 0;
      batches = 0;
      for (const { row, batch } of records()) {
        // The look-ups go out first; the rows are parsed while the database answers.
        const lookups = lookUp(
          db,
          actor,
          referencedIds({ map, records: batch }),
          needsPreviousChanges(map),
        );
        lookups.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
        const parsed = parseRecords(map, batch, row, limits);
        await turn();
        const planned = planner(parsed, await lookups);
        done += batch.length;
        batches++;
        yield rowWrites(planned, actor, now);
        await turn();
      }
    },
    *sourceRows() {
      for (const { row, batch } of records()) {
        yield batch.map((r, i) => ({ row: row + i, cells: r.cells }));
      }
    },
    progress: () => ({
      done,
      estimate:
        batches === 0 ? 0 : Math.max(done, Math.round((done * size) / (batches * sliceBytes))),
    }),
  };
}

/** Where a results file goes, piece by piece, in order. */
export type ResultsSink = (piece: string) => Promise<void>;

/** The pieces to the store (a streamed import's parts, numbered from 0) and to `resultsTo`. */
export function resultsSinks(
  db: Db | null,
  importId: string | null,
  resultsTo?: ResultsSink,
): ResultsSink {
  let part = 0;
  return async (piece) => {
    if (db && importId) await putResultParts(db, importId, part++, [piece]);
    if (resultsTo) await resultsTo(piece);
  };
}

/**
 * The results file of a streamed import written again from the file and each batch's
 * recorded reports (`reportsOf(first, last)`: the rows' summaries, in row order) — for a job,
 * whose rows were applied in earlier attempts too.
 */
export async function writeStreamedResults(
  streamed: StreamedImport,
  dryRun: boolean,
  reportsOf: (first: number, last: number) => Promise<readonly RowSummary[]>,
  sink: ResultsSink,
): Promise<void> {
  const writer = resultsWriter(streamed.file);
  await sink(writer.header);
  for (const rows of streamed.sourceRows()) {
    const first = rows[0]?.row ?? 0;
    const last = rows.at(-1)?.row ?? 0;
    await sink(
      writer.lines(rows, reportsByRow(await reportsOf(first, last), dryRun, streamed.now)),
    );
    await turn();
  }
}

/** Rows' lines of the results file, by row number. */
export function reportsByRow(
  rows: readonly RowSummary[],
  dryRun: boolean,
  now: string,
): Map<number, RowReport> {
  return new Map(rows.map((r) => [r.row, rowReport(r, dryRun, now)]));
}

/**
 * The whole-file checks of a streamed file, with no row planned (what a submission runs
 * before queuing the job, so that a rejected file queues nothing): every record read, checked
 * and counted, a turn of the event loop between batches. Returns the rows counted.
 */
export async function scanStreamedFile(streamed: StreamedImport): Promise<number> {
  let rows = 0;
  for (const batch of streamed.sourceRows()) {
    rows += batch.length;
    await turn();
  }
  return rows;
}
