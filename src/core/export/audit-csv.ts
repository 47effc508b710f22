/**
 * The audit trail as a CSV download for people (a spreadsheet, an auditor): one line per entry,
 * newest first, every cell neutralised against formula injection like the deals' export.
 */
import type { AuditEntryJson } from "../api/audit-schemas.js";
import { neutraliseCell, writeCsv } from "../csv/index.js";

const HEADERS = [
  "Time (UTC)",
  "Actor",
  "Actor role",
  "Source",
  "Origin",
  "Import ID",
  "Import row",
  "Referral ID",
  "Action",
  "Field",
  "Old value",
  "New value",
] as const;

const cellsOf = (e: AuditEntryJson): string[] => {
  const cells: string[] = [
    e.at,
    e.actor,
    e.actorRole ?? "",
    e.source,
    e.origin ?? "",
    e.importId ?? "",
    e.importRow === null ? "" : String(e.importRow),
    e.dealId,
    e.action,
    e.field ?? "",
    e.oldValue ?? "",
    e.newValue ?? "",
  ];
  return cells.map(neutraliseCell);
};

/** UTF-8 with a byte-order mark (Excel reads it right), CRLF line ends, as the deals' export. */
export function writeAuditCsv(entries: readonly AuditEntryJson[]): string {
  return writeCsv([HEADERS, ...entries.map(cellsOf)]);
}
