/**
 * Submitting import and export jobs: idempotent (an Idempotency-Key names one job), and an
 * import file is checked whole before anything is queued. The import record is written with
 * the job, so the history shows it straight away.
 */
import type { UserActor } from "../../core/actor.js";
import type { Lang } from "../../core/columns.js";
import type { DealFilter } from "../../core/deal-filter.js";
import type { ColumnMapping } from "../../core/column-mapping.js";
import type { CellCorrection } from "../../core/import/corrections.js";
import { baseFileName } from "../../core/file-name.js";
import { openImportTable, parseImportRows } from "../../core/import/read-import-file.js";
import type { ExportJobParams, ImportJobParams } from "../../core/job-params.js";
import type { JobKind, JobStatus } from "../../core/jobs.js";
import type { HeaderMap } from "../../core/header-map.js";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import type { Db } from "../db/db.js";
import { fileHashInTurns, insertImportRecord } from "../db/imports-repo.js";
import { findJobByIdempotencyKey, insertJob } from "../db/jobs-repo.js";
import type { Store } from "../db/store.js";
import { XLSX_TYPE } from "../xlsx/export-workbook.js";
import { readUploadTable } from "../xlsx/open-upload.js";
import { isXlsx } from "../xlsx/read-workbook.js";
import { httpOrigin } from "./audit.js";
import type { ExportFormat } from "./export-deals.js";
import { assertSameRequest, REQUEST_HASH, requestFingerprint } from "./idempotency.js";
import { importRecordOf } from "./import-apply.js";
import { type ChosenMapping, chooseMapping } from "./import-presets.js";
import type { ImportRequest } from "./import-prepare.js";
import { prepareStreamedImport, scanStreamedFile, streams, turn } from "./import-stream.js";

export interface Submitted {
  id: string;
  status: JobStatus;
  /** False when the Idempotency-Key named a job submitted before: nothing new was queued. */
  created: boolean;
}

/** The job an earlier request with this key made, if any; refused when it was another request. */
const jobWithKey = async (
  store: Store,
  actor: UserActor,
  kind: JobKind,
  key: string,
  fingerprint: string,
): Promise<Submitted | undefined> => {
  const job = await findJobByIdempotencyKey(store.db, actor.userId, key);
  if (!job) return undefined;
  assertSameRequest(job, kind, fingerprint);
  return { id: job.id, status: job.status, created: false };
};

/** Runs `insert` in one transaction, unless the key names an earlier job — even one that won a race. */
const insertOnce = async (
  store: Store,
  actor: UserActor,
  kind: JobKind,
  key: string | null,
  fingerprint: string,
  insert: (trx: Db, now: string) => Promise<string>,
): Promise<Submitted> => {
  try {
    const id = await store.db.transaction().execute((trx) => insert(trx, new Date().toISOString()));
    return { id, status: "queued", created: true };
  } catch (error) {
    // Two requests with one key at once: the unique index (user, key) let one through.
    const winner = key ? await jobWithKey(store, actor, kind, key, fingerprint) : undefined;
    if (winner) return winner;
    throw error;
  }
};

/** Import jobs are submitted through the API: their changes are audited as that route's. */
export const IMPORT_JOB_ORIGIN = httpOrigin("POST", "/api/imports");

export interface ImportSubmission {
  actor: UserActor;
  bytes: Uint8Array;
  fileName: string | null;
  dryRun: boolean;
  upsertByCrmId: boolean;
  idempotencyKey: string | null;
  limits: Limits;
  /** A column mapping, or a preset by name (else a preset that fits the file's headers). */
  mapping?: ColumnMapping | null;
  preset?: string | null;
  /** Cells corrected in the browser before the upload. */
  corrections?: readonly CellCorrection[];
  /** Files from this many bytes on are streamed (default `STREAM_FROM_BYTES`; tests go lower). */
  streamFromBytes?: number;
}

/**
 * A file's whole-file checks, before anything is queued: read whole (and every row parsed),
 * or for a large CSV streamed through once, counted and checked, with no row held.
 */
const checkWholeFile = async (
  store: Store,
  request: ImportRequest,
): Promise<{ file: { map: HeaderMap }; mapping: ChosenMapping; total: number }> => {
  const limits = request.limits ?? DEFAULT_LIMITS;
  const streamed = streams(request) ? await prepareStreamedImport(store, request) : null;
  if (streamed) {
    return {
      file: streamed.file,
      mapping: streamed.mapping,
      total: await scanStreamedFile(streamed),
    };
  }
  const raw = await readUploadTable(request.bytes, limits);
  // Chosen once, here: the worker applies this very mapping even if the preset changes meanwhile.
  const mapping = await chooseMapping(store.db, request.actor, raw.csv.header, request);
  await turn();
  const file = parseImportRows(
    openImportTable(raw.csv, raw.encoding, limits, mapping.mapping),
    limits,
  );
  return { file, mapping, total: file.rows.length };
};

/**
 * Queues an import. The file is read first, so a whole-file rejection (too large, too many
 * rows, a duplicated header…) throws `FileRejectedError` at once and nothing is written.
 */
export async function submitImport(store: Store, input: ImportSubmission): Promise<Submitted> {
  const { actor, idempotencyKey: key } = input;
  const fileName = input.fileName === null ? null : baseFileName(input.fileName) || null;
  const asked = { mapping: input.mapping ?? null, preset: input.preset ?? null };
  const corrections = input.corrections ?? [];
  // Hashed in turns: a large upload's hash is a tenth of a second of work.
  const fileHash = await fileHashInTurns(input.bytes);
  const fingerprint = requestFingerprint(
    "import",
    {
      dryRun: input.dryRun,
      upsertByCrmId: input.upsertByCrmId,
      fileName,
      ...asked,
      ...(corrections.length > 0 ? { corrections } : {}),
    },
    fileHash,
  );
  const earlier = key ? await jobWithKey(store, actor, "import", key, fingerprint) : undefined;
  if (earlier) return earlier;
  // Hashing, reading and parsing a large upload are separate turns of the event loop: others'
  // requests are answered in between.
  await turn();
  const request: ImportRequest = {
    actor,
    bytes: input.bytes,
    fileName,
    dryRun: input.dryRun,
    upsertByCrmId: input.upsertByCrmId,
    origin: IMPORT_JOB_ORIGIN,
    limits: input.limits,
    corrections,
    fileHash,
    ...asked,
    ...(input.streamFromBytes ? { streamFromBytes: input.streamFromBytes } : {}),
  };
  const { file, mapping, total } = await checkWholeFile(store, request);
  const params: ImportJobParams = {
    dryRun: input.dryRun,
    upsertByCrmId: input.upsertByCrmId,
    fileName,
    mapping: mapping.mapping,
    preset: mapping.preset,
  };
  return insertOnce(store, actor, "import", key, fingerprint, async (trx, now) => {
    const id = await insertJob(
      trx,
      {
        kind: "import",
        orgId: actor.orgId,
        userId: actor.userId,
        params: { ...params, [REQUEST_HASH]: fingerprint },
        total,
        idempotencyKey: key,
        files: [
          {
            role: "input",
            name: fileName ?? (isXlsx(input.bytes) ? "upload.xlsx" : "upload.csv"),
            contentType: isXlsx(input.bytes) ? XLSX_TYPE : "text/csv",
            data: input.bytes,
          },
        ],
      },
      now,
    );
    const record = importRecordOf({ request, file, now, mapping }, id, "queued", total);
    if (record) await insertImportRecord(trx, record);
    return id;
  });
}

export interface ExportSubmission {
  actor: UserActor;
  filter: DealFilter;
  lang: Lang;
  format?: ExportFormat;
  idempotencyKey: string | null;
}

/** Queues an export of the deals the filter selects in the actor's scope. */
export async function submitExport(store: Store, input: ExportSubmission): Promise<Submitted> {
  const { actor, idempotencyKey: key } = input;
  const params: ExportJobParams = {
    filter: input.filter,
    lang: input.lang,
    format: input.format ?? "csv",
  };
  const fingerprint = requestFingerprint("export", { ...params });
  const earlier = key ? await jobWithKey(store, actor, "export", key, fingerprint) : undefined;
  if (earlier) return earlier;
  return insertOnce(store, actor, "export", key, fingerprint, (trx, now) =>
    insertJob(
      trx,
      {
        kind: "export",
        orgId: actor.orgId,
        userId: actor.userId,
        params: { ...params, [REQUEST_HASH]: fingerprint },
        idempotencyKey: key,
      },
      now,
    ),
  );
}
