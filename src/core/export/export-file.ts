/**
 * Deals as a Partner Center co-sell CSV (SPEC §3): a valid import file, UTF-8 with BOM,
 * every cell neutralised against formula injection, as many Solution and Team member
 * columns as the widest deal needs, `Last Modified` for people and, last, `Version` for the
 * stale-row check (exact whatever a spreadsheet does to the time).
 */
import { encodeSolution, encodeTeamMember, encodeTimestamp } from "../codecs/index.js";
import {
  COLUMNS,
  type ColumnKey,
  type FieldKey,
  headerOf,
  type Lang,
  listHeaderOf,
} from "../columns.js";
import { neutraliseCell, writeCsv } from "../csv/index.js";
import type { Deal } from "../deal.js";
import { encodeField } from "../row/field-codecs.js";

/**
 * Export columns: the template's, then Last Modified; never the import-only Import Result.
 * `Version` is not among them: it comes after the numbered columns, the row's last cell.
 */
export const EXPORT_COLUMNS: readonly ColumnKey[] = COLUMNS.map((c) => c.key).filter(
  (k) => k !== "importResult" && k !== "version",
);

const cell = (deal: Deal, key: ColumnKey): string => {
  switch (key) {
    case "errors":
    case "importResult":
      return "";
    case "version":
      return String(deal.version);
    case "referralId":
      return deal.id;
    case "lastModified":
      return encodeTimestamp(deal.updatedAt);
    default:
      return encodeField(key satisfies FieldKey, deal[key]);
  }
};

export const exportHeader = (lang: Lang, solutions: number, team: number): string[] => [
  ...EXPORT_COLUMNS.map((key) => COLUMNS.find((c) => c.key === key)?.[lang] ?? key),
  ...Array.from({ length: solutions }, (_, i) => listHeaderOf("solutions", i + 1, lang)),
  ...Array.from({ length: team }, (_, i) => listHeaderOf("team", i + 1, lang)),
  headerOf("version", lang),
];

export const exportRow = (deal: Deal, solutions: number, team: number): string[] => {
  const row = EXPORT_COLUMNS.map((key) => cell(deal, key));
  for (let i = 0; i < solutions; i++) {
    const s = deal.solutions[i];
    row.push(s ? encodeSolution(s) : "");
  }
  for (let i = 0; i < team; i++) {
    const m = deal.team[i];
    row.push(m ? encodeTeamMember(m) : "");
  }
  row.push(cell(deal, "version"));
  for (let i = 0; i < row.length; i++) row[i] = neutraliseCell(row[i] ?? "");
  return row;
};

export const writeExportFile = (deals: readonly Deal[], lang: Lang): string => {
  let solutions = 1;
  let team = 1;
  for (const d of deals) {
    if (d.solutions.length > solutions) solutions = d.solutions.length;
    if (d.team.length > team) team = d.team.length;
  }
  return writeCsv([
    exportHeader(lang, solutions, team),
    ...deals.map((d) => exportRow(d, solutions, team)),
  ]);
};

/** The name of an export file made at `at` (ISO 8601): `deals-export-20261124-093000.csv` (or `.xlsx`). */
export function exportFileName(at: string, extension: "csv" | "xlsx" = "csv"): string {
  return `deals-export-${at.replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-")}.${extension}`;
}
