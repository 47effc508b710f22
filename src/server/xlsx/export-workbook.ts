/**
 * Deals as an Excel workbook (`cosell export --format xlsx`): the CSV export's very columns and
 * cells (`exportHeader`/`exportRow`, formula guard applied), written as text cells in columns
 * formatted as Text — never a formula, and nothing a spreadsheet would turn into a number or a
 * date when someone edits it. ExcelJS's streaming writer keeps a 5,000-deal file quick.
 */
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { Lang } from "../../core/columns.js";
import type { Deal } from "../../core/deal.js";
import { exportHeader, exportRow } from "../../core/export/export-file.js";
import { SHEET_KEYWORD } from "./read-workbook.js";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const SHEET: Readonly<Record<Lang, string>> = { en: "Deals", fr: "Transactions" };

export async function writeExportWorkbook(deals: readonly Deal[], lang: Lang): Promise<Uint8Array> {
  let solutions = 1;
  let team = 1;
  for (const d of deals) {
    if (d.solutions.length > solutions) solutions = d.solutions.length;
    if (d.team.length > team) team = d.team.length;
  }
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => parts.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useSharedStrings: false,
    useStyles: true,
  });
  workbook.creator = "cosell";
  workbook.keywords = `${SHEET_KEYWORD}${SHEET[lang]}`;
  const sheet = workbook.addWorksheet(SHEET[lang], { views: [{ state: "frozen", ySplit: 1 }] });
  const header = exportHeader(lang, solutions, team);
  sheet.columns = header.map((h) => ({
    width: Math.min(40, Math.max(12, h.length + 2)),
    style: { numFmt: "@" },
  }));
  const head = sheet.addRow(header);
  head.font = { bold: true };
  head.commit();
  for (const deal of deals) sheet.addRow(exportRow(deal, solutions, team)).commit();
  sheet.commit();
  await workbook.commit();
  await ended;
  return new Uint8Array(Buffer.concat(parts));
}
