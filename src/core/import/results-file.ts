/**
 * The per-row results file (SPEC §4): the uploaded file, same columns in the same order,
 * with Errors filled, the new Referral ID and Engagement ID written into created rows and
 * an Import Result column — so uploading it again never creates a deal twice.
 */
import { encodeTimestamp } from "../codecs/index.js";
import { type ColumnKey, headerOf } from "../columns.js";
import { neutraliseCell, restoreCell, writeCsv } from "../csv/index.js";
import type { RowError } from "../errors.js";
import type { RowResult } from "../row/plan-row.js";
import type { ImportFile } from "./read-import-file.js";

export interface RowReport {
  row: number;
  result: RowResult;
  referralId: string | null;
  engagementId: string | null;
  errors: readonly RowError[];
  /** The deal's last change after this import, for the Last Modified column. */
  updatedAt: string | null;
}

export const ERRORS_SEPARATOR = "; ";

/** Columns the results file fills; those the input lacks are added (Errors first, the rest last). */
const FILLED: readonly { key: ColumnKey; addAt: "start" | "end" }[] = [
  { key: "errors", addAt: "start" },
  { key: "referralId", addAt: "end" },
  { key: "engagementId", addAt: "end" },
  { key: "importResult", addAt: "end" },
];

const cellFor = (key: ColumnKey, report: RowReport | undefined): string | undefined => {
  if (!report) return undefined;
  switch (key) {
    case "errors":
      return report.errors.map((e) => e.message).join(ERRORS_SEPARATOR);
    case "referralId":
      return report.result === "Created" ? (report.referralId ?? "") : undefined;
    case "engagementId":
      return report.result === "Created" ? (report.engagementId ?? "") : undefined;
    case "importResult":
      return report.result;
    case "lastModified":
      return report.updatedAt && report.result !== "Not processed"
        ? encodeTimestamp(report.updatedAt)
        : undefined;
    default:
      return undefined;
  }
};

export const writeResultsFile = (file: ImportFile, reports: readonly RowReport[]): string => {
  const { map } = file;
  const before = FILLED.filter((c) => c.addAt === "start" && !map.columns.has(c.key));
  const after = FILLED.filter((c) => c.addAt === "end" && !map.columns.has(c.key));
  const inPlace = (["lastModified", ...FILLED.map((c) => c.key)] as const).flatMap((key) => {
    const at = map.columns.get(key);
    return at ? [{ key, index: at.index }] : [];
  });

  const header = [
    ...before.map((c) => headerOf(c.key, map.lang)),
    ...map.headers,
    ...after.map((c) => headerOf(c.key, map.lang)),
  ];
  const byRow = new Map(reports.map((r) => [r.row, r]));
  const body = file.rows.map((parsed) => {
    const report = byRow.get(parsed.row);
    const cells = map.headers.map((_, i) => parsed.cells[i] ?? "");
    for (const { key, index } of inPlace) {
      const value = cellFor(key, report);
      if (value !== undefined) cells[index] = value;
    }
    const row = [
      ...before.map((c) => cellFor(c.key, report) ?? ""),
      ...cells,
      ...after.map((c) => cellFor(c.key, report) ?? ""),
    ];
    // Canonical neutralised form, so a re-upload reads back exactly what was read the first time.
    return row.map((c) => neutraliseCell(restoreCell(c)));
  });
  return writeCsv([header, ...body], { delimiter: file.delimiter });
};
