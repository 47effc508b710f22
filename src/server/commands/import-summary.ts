/**
 * What an import reports, row by row and as a whole (the CLI's `--json`, the job's summary,
 * the results file): one place, so that a dry run, a whole-file run and a chunked job report
 * exactly the same things.
 */
import { describeIgnored } from "../../core/header-map.js";
import type { ImportSummaryJson } from "../../core/api/job-schemas.js";
import { countResults, type RowSummary } from "../../core/import/row-summary.js";
import { importSummaryJson } from "../../core/import/summary-json.js";
import { type RowError, rowError } from "../../core/errors.js";
import { ROW } from "../../core/messages/rows.js";
import { splitText } from "../../core/messages/text.js";
import { type RowReport, writeResultsFile } from "../../core/import/results-file.js";
import type { PreparedImport, RowWrite } from "./import-prepare.js";

/** The summary's JSON (`ImportSummaryJson`: a job's result, `cosell import --json`) and what the commands add to it. */
export interface ImportSummary extends ImportSummaryJson {
  /** Null for a dry run and for the vendor side (nothing recorded). */
  importId: string | null;
  rows: RowSummary[];
  resultsCsv: string;
  /** The column-mapping preset the file was read with, if any. */
  preset?: string | null;
}

const CONFLICT: RowError = rowError("", { code: "stale_row", ...splitText(ROW.raceLost) });

/** A summary without its results file and import id (the vendor side's report), field by field. */
export function summaryWithoutFile(
  s: Omit<ImportSummary, "resultsCsv">,
): Omit<ImportSummary, "resultsCsv" | "importId"> {
  return {
    ...importSummaryJson(s),
    rows: s.rows,
    ...(s.preset === undefined ? {} : { preset: s.preset }),
  };
}

/** What a row reports, given whether its update lost a race. */
export function rowSummary(w: RowWrite, conflicted: boolean, dryRun: boolean): RowSummary {
  const { parsed, outcome, deal } = w.planned;
  if (conflicted) {
    return {
      row: parsed.row,
      result: "Not processed",
      referralId: deal?.id ?? null,
      engagementId: deal?.engagementId ?? null,
      errors: [CONFLICT],
      changes: [],
    };
  }
  return {
    row: parsed.row,
    result: outcome.result,
    referralId: w.create ? (dryRun ? null : w.create.id) : (deal?.id ?? parsed.referralId),
    engagementId: w.create ? (dryRun ? null : w.create.engagementId) : (deal?.engagementId ?? null),
    errors: outcome.result === "Not processed" ? outcome.errors : [],
    changes: outcome.result === "Updated" ? outcome.changes : [],
  };
}

/**
 * The version each row written now left its deal at, by row. A row a resumed job applied in an
 * earlier attempt has no write now: its Last Modified and Version cells stay as uploaded (the
 * stale-row check then errs on the safe side), as the time and version are not known here.
 */
const versionsWritten = (writes: readonly RowWrite[]): Map<number, number> => {
  const versions = new Map<number, number>();
  for (const w of writes) {
    const deal = w.create ?? w.update?.after;
    if (deal) versions.set(w.planned.parsed.row, deal.version);
  }
  return versions;
};

/** What a dry run reports for every row: exactly the real run's plan, with no ids yet. */
export function dryRunRows(prepared: PreparedImport): RowSummary[] {
  return prepared.writes.map((w) => rowSummary(w, false, true));
}

/** The whole import's report from its rows' (the results file written when first asked for). */
export function summarize(
  prepared: Pick<PreparedImport, "file" | "now" | "mapping" | "writes">,
  rows: RowSummary[],
  importId: string | null,
  dryRun: boolean,
): ImportSummary {
  let resultsCsv: string | undefined;
  return {
    importId,
    dryRun,
    ...countResults(rows),
    ignoredColumns: prepared.file.map.ignored.map(describeIgnored),
    rows,
    preset: prepared.mapping.preset,
    // Written when first asked for: a real import stores it, a dry run only when someone
    // wants the file (`--results`, a job's download).
    get resultsCsv() {
      if (resultsCsv === undefined) {
        const versions = dryRun ? new Map<number, number>() : versionsWritten(prepared.writes);
        resultsCsv = writeResultsFile(
          prepared.file,
          rows.map((r) => rowReport(r, dryRun, prepared.now, versions.get(r.row))),
        );
      }
      return resultsCsv;
    },
  };
}

/** A row's line of the results file: its summary, and its deal's last change when it wrote one. */
export function rowReport(
  r: RowSummary,
  dryRun: boolean,
  now: string,
  /** The version the row left its deal at, when known (else its Version cell stays as uploaded). */
  version?: number,
): RowReport {
  const written = !dryRun && (r.result === "Created" || r.result === "Updated");
  return {
    updatedAt: written ? now : null,
    version: written ? (version ?? null) : null,
    ...r,
  };
}
