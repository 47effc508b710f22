/**
 * An import job that ended early — given up on by the reaper, failed between two chunks,
 * canceled after a hand-back — is never left half-applied without a way forward: its record
 * gets a result for every row (the rows it applied as applied, the others "Not processed: the
 * import stopped before this row"), its totals and its results file. Uploading that results
 * file again finishes the import: applied rows carry their Referral ID and come back Unchanged.
 * Written in the caller's transaction, the one that moves the job to its final status.
 */
import { FileRejectedError } from "../../core/errors.js";
import {
  type ImportFile,
  openImportTable,
  parseImportRows,
} from "../../core/import/read-import-file.js";
import { writeResultsFile } from "../../core/import/results-file.js";
import { countResults, notReachedRow } from "../../core/import/row-summary.js";
import { parseImportParams } from "../../core/job-params.js";
import type { Limits } from "../../core/limits.js";
import type { Db } from "../db/db.js";
import { recordedImportRows, recordImportRows, recordImportSummary } from "../db/imports-repo.js";
import { getJobFile, jobById } from "../db/jobs-repo.js";
import { readUploadTable } from "../xlsx/open-upload.js";

/**
 * Records where a stopped import job stands. Does nothing when the uploaded file is gone
 * (removed after the retention period) or can no longer be read: nothing can be written then.
 */
export async function recordStoppedImport(trx: Db, jobId: string, limits: Limits): Promise<void> {
  const job = await jobById(trx, jobId);
  const input = job?.kind === "import" ? await getJobFile(trx, jobId, "input") : undefined;
  if (!job || !input) return;
  const { mapping } = parseImportParams(job.params);
  let file: ImportFile;
  try {
    const { csv, encoding } = await readUploadTable(input.data, limits);
    file = parseImportRows(openImportTable(csv, encoding, limits, mapping), limits);
  } catch (error) {
    // A file that cannot be read now could not have had a row applied either.
    if (error instanceof FileRejectedError) return;
    throw error;
  }
  const recorded = await recordedImportRows(trx, jobId);
  const reached = new Set(recorded.map((r) => r.row));
  const notReached = file.rows
    .filter((r) => !reached.has(r.row))
    .map((r) => notReachedRow(r.row, r.referralId));
  await recordImportRows(trx, jobId, notReached);
  const rows = [...recorded, ...notReached].sort((a, b) => a.row - b.row);
  // Last Modified and Version are left as uploaded: an applied row comes back Unchanged, and
  // a row someone changed since is still caught by the stale-row check.
  const resultsCsv = writeResultsFile(
    file,
    rows.map((r) => ({ updatedAt: null, version: null, ...r })),
  );
  await recordImportSummary(trx, jobId, { ...countResults(rows), resultsCsv }, "stopped");
}
