/**
 * The per-row results file (SPEC §4): the uploaded file, same columns in the same order,
 * with Errors filled, the new Referral ID and Engagement ID written into created rows and
 * an Import Result column — so uploading it again never creates a deal twice.
 */
import { encodeTimestamp } from "../codecs/index.js";
import { type ColumnKey, headerOf, type Lang } from "../columns.js";
import { neutraliseCell, restoreCell, writeCsv } from "../csv/index.js";
import type { RowError } from "../errors.js";
import { messageIn } from "../messages/text.js";
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
  /** The deal's version after this import, for the Version column; null: left as uploaded. */
  version: number | null;
}

export const ERRORS_SEPARATOR = "; ";

/** Columns the results file fills; those the input lacks are added (Errors first, the rest last). */
const FILLED: readonly { key: ColumnKey; addAt: "start" | "end" }[] = [
  { key: "errors", addAt: "start" },
  { key: "referralId", addAt: "end" },
  { key: "engagementId", addAt: "end" },
  { key: "importResult", addAt: "end" },
];

const cellFor = (key: ColumnKey, report: RowReport | undefined, lang: Lang): string | undefined => {
  if (!report) return undefined;
  switch (key) {
    case "errors":
      // In the file's language: a French file's errors in French (Import Result's values stay
      // the spec's English words, which scripts read).
      return report.errors.map((e) => messageIn(lang, e)).join(ERRORS_SEPARATOR);
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
    case "version":
      return report.version !== null && report.result !== "Not processed"
        ? String(report.version)
        : undefined;
    default:
      return undefined;
  }
};

/** First characters the formula guard acts on (after apostrophes): `'`, `=`, `+`, `-`, `@`, tab, CR. */
const GUARD_STARTS = new Set(["'", "=", "+", "-", "@", "\t", "\r"].map((c) => c.charCodeAt(0)));

/** neutraliseCell(restoreCell(cell)), skipping both for the many cells that cannot need them. */
const canonicalCell = (cell: string): string =>
  GUARD_STARTS.has(cell.charCodeAt(0)) ? neutraliseCell(restoreCell(cell)) : cell;

export const writeResultsFile = (file: ImportFile, reports: readonly RowReport[]): string => {
  const writer = resultsWriter(file);
  return writer.header + writer.lines(file.rows, new Map(reports.map((r) => [r.row, r])));
};

/** What the results file is written from, row by row: the row's number and its cells as read. */
export interface ResultsSourceRow {
  row: number;
  cells: readonly string[];
}

/**
 * The results file in pieces, for a file too large to write in one string (a streamed
 * import): its header line (with the byte-order mark), then the lines of each batch of rows,
 * concatenated in order.
 */
export const resultsWriter = (
  file: Pick<ImportFile, "map" | "delimiter">,
): {
  header: string;
  lines(rows: readonly ResultsSourceRow[], reports: ReadonlyMap<number, RowReport>): string;
} => {
  const { map, delimiter } = file;
  const before = FILLED.filter((c) => c.addAt === "start" && !map.columns.has(c.key));
  const after = FILLED.filter((c) => c.addAt === "end" && !map.columns.has(c.key));
  const inPlace = (["lastModified", "version", ...FILLED.map((c) => c.key)] as const).flatMap(
    (key) => {
      const at = map.columns.get(key);
      return at ? [{ key, index: at.index }] : [];
    },
  );

  const header = [
    ...before.map((c) => headerOf(c.key, map.lang)),
    ...map.headers,
    ...after.map((c) => headerOf(c.key, map.lang)),
  ];
  const width = map.headers.length;
  const line = (parsed: ResultsSourceRow, report: RowReport | undefined): string[] => {
    const row: string[] = [];
    for (const c of before) row.push(cellFor(c.key, report, map.lang) ?? "");
    const start = row.length;
    for (let i = 0; i < width; i++) row.push(parsed.cells[i] ?? "");
    for (const { key, index } of inPlace) {
      const value = cellFor(key, report, map.lang);
      if (value !== undefined) row[start + index] = value;
    }
    for (const c of after) row.push(cellFor(c.key, report, map.lang) ?? "");
    // Canonical neutralised form, so a re-upload reads back exactly what was read the first time.
    for (let i = 0; i < row.length; i++) row[i] = canonicalCell(row[i] ?? "");
    return row;
  };
  return {
    header: writeCsv([header], { delimiter }),
    lines: (rows, reports) =>
      writeCsv(
        rows.map((parsed) => line(parsed, reports.get(parsed.row))),
        { delimiter, bom: false },
      ),
  };
};
