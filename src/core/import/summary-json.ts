/**
 * An import's summary as JSON, its own keys picked out of a fuller report in the schema's
 * order. Apart from the schema module (whose type it only borrows) so that the CLI, which
 * prints it, loads no schema library to start.
 */
import type { ImportSummaryJson } from "../api/job-schemas.js";

/**
 * The summary's own keys out of a fuller report, in the schema's order: what a job stores as
 * its result and what `cosell import --json` starts with.
 */
export function importSummaryJson(s: ImportSummaryJson): ImportSummaryJson {
  return {
    dryRun: s.dryRun,
    total: s.total,
    created: s.created,
    updated: s.updated,
    unchanged: s.unchanged,
    notProcessed: s.notProcessed,
    ignoredColumns: s.ignoredColumns,
  };
}
