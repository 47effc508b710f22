/**
 * What one row of an import reports — its result, ids, errors and changes — and the counts of
 * a whole file. Shared by the import command, the imports repository (which records rows and
 * reads them back) and the presenters, so the shape is written once.
 */
import type { RowError } from "../errors.js";
import type { Change, RowResult } from "../row/plan-row.js";

export interface RowSummary {
  row: number;
  result: RowResult;
  referralId: string | null;
  engagementId: string | null;
  errors: RowError[];
  changes: Change[];
}

export interface ImportCounts {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  notProcessed: number;
}

/** Each result's key in `ImportCounts`; every result has one. */
const COUNT_KEY = {
  Created: "created",
  Updated: "updated",
  Unchanged: "unchanged",
  "Not processed": "notProcessed",
} as const satisfies Record<RowResult, keyof ImportCounts>;

/** Every row result, in the order the counts are reported. */
export const ROW_RESULTS = [
  "Created",
  "Updated",
  "Unchanged",
  "Not processed",
] as const satisfies readonly (keyof typeof COUNT_KEY)[];

/**
 * What a row reports that an import never reached: the import stopped before it (given up on,
 * failed part-way, canceled after a hand-back). Uploading the results file again applies it.
 */
export function notReachedRow(row: number, referralId: string | null): RowSummary {
  return {
    row,
    result: "Not processed",
    referralId,
    engagementId: null,
    errors: [
      {
        column: "",
        code: "not_reached",
        message: "Not processed: the import stopped before this row",
      },
    ],
    changes: [],
  };
}

/** A stored result read back; anything unknown is reported as not processed. */
export function parseRowResult(text: string): RowResult {
  return ROW_RESULTS.find((r) => r === text) ?? "Not processed";
}

export function countResults(rows: readonly { result: RowResult }[]): ImportCounts {
  const counts = { total: rows.length, created: 0, updated: 0, unchanged: 0, notProcessed: 0 };
  for (const r of rows) counts[COUNT_KEY[r.result]]++;
  return counts;
}

/** Counts from (result, number of rows) pairs, as a database counts them. */
export function countsOf(groups: readonly { result: RowResult; n: number }[]): ImportCounts {
  const counts = { total: 0, created: 0, updated: 0, unchanged: 0, notProcessed: 0 };
  for (const g of groups) {
    counts.total += g.n;
    counts[COUNT_KEY[g.result]] += g.n;
  }
  return counts;
}
