/**
 * An uploaded Excel workbook → the table the core import reader takes (header + records of
 * text cells), so an .xlsx meets exactly the rules a CSV meets. ExcelJS needs Node, which
 * `src/core` must not; this adapter is the only place that knows what a workbook cell is.
 *
 * Cells are turned into the text a person sees typed, never reinterpreted: text stays text
 * (a D-U-N-S stored as text keeps its zeros), a real number is written without exponent or
 * float noise, a real date cell becomes MM/DD/YYYY, TRUE/FALSE stay words the Yes/No codec
 * reads (ExcelJS already turns a 1904-based workbook's serials into dates). A formula is refused, not evaluated (its cached result may be stale, and a file with
 * formulas is not what a person meant to send), as is an error value such as #N/A.
 */
import ExcelJS from "exceljs";
import type { CsvRecord, CsvTable } from "../../core/csv/index.js";
import { FileRejectedError } from "../../core/errors.js";
import { FILE } from "../../core/messages/files.js";

/** Office Open XML files are ZIP archives: `PK\x03\x04`. */
export function isXlsx(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The workbook's keywords may name the sheet to import (`cosell-sheet:Deals`): the template
 * writes it, so a sheet moved in front of it does not get imported instead.
 */
export const SHEET_KEYWORD = "cosell-sheet:";

/** Reads the sheet to import, or throws the whole-file rejection that says what to fix. */
export async function readWorkbook(bytes: Uint8Array): Promise<CsvTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    // ExcelJS takes an ArrayBuffer of its own (a copy: the upload is at most a few MiB).
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  } catch (error) {
    throw new FileRejectedError(
      "unreadable_file",
      FILE.workbookUnreadable(error instanceof Error ? error.message : String(error)),
    );
  }
  const sheet = sheetToImport(workbook);
  const rows: { line: number; cells: string[] }[] = [];
  const problems: string[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, colNumber) => {
      const text = cellText(cell.value);
      if (typeof text === "string") cells[colNumber - 1] = text;
      else if (problems.length < 5) problems.push(`${cell.address} ${text.problem}`);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= "";
    rows.push({ line: rowNumber, cells });
  });
  if (problems.length > 0) {
    throw new FileRejectedError(
      "unreadable_file",
      `Sheet '${sheet.name}': ${problems.join("; ")}. cosell imports values, not formulas: copy the cells and paste them as values, then upload again`,
    );
  }
  const first = rows[0];
  if (first === undefined || first.line !== 1 || first.cells.every((c) => c.trim() === "")) {
    throw new FileRejectedError("no_header", FILE.sheetEmptyHeader(sheet.name));
  }
  const header = first.cells;
  const records: CsvRecord[] = [];
  for (const r of rows.slice(1)) {
    // Rows of empty cells carry nothing, as in a CSV; cells past the header stay for the row check.
    if (r.cells.every((c) => c === "")) continue;
    let width = r.cells.length;
    while (width > header.length && r.cells[width - 1] === "") width--;
    records.push({ line: r.line, cells: r.cells.slice(0, width) });
  }
  return { delimiter: ",", header, records };
}

function sheetToImport(workbook: ExcelJS.Workbook): ExcelJS.Worksheet {
  const keyword = (workbook.keywords ?? "")
    .split(/[,;\s]+/)
    .find((k) => k.startsWith(SHEET_KEYWORD));
  const named = keyword ? workbook.getWorksheet(keyword.slice(SHEET_KEYWORD.length)) : undefined;
  const sheet = named ?? workbook.worksheets.find((s) => s.state !== "hidden");
  if (!sheet) {
    throw new FileRejectedError("no_header", FILE.noSheet);
  }
  return sheet;
}

/** One cell's value as the text the core reader takes, or what is wrong with it. */
function cellText(value: ExcelJS.CellValue): string | { problem: string } {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return dateText(value);
  if ("formula" in value || "sharedFormula" in value) {
    const formula = "formula" in value ? value.formula : value.sharedFormula;
    return { problem: `holds a formula (=${formula})` };
  }
  if ("error" in value) return { problem: `holds the error ${value.error}` };
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  if ("hyperlink" in value) {
    // An email typed into Excel becomes a link whose text is the address.
    const text: unknown = value.text;
    if (typeof text === "string") return text;
    if (text && typeof text === "object" && "richText" in text && Array.isArray(text.richText)) {
      return text.richText
        .map((part: unknown) =>
          part && typeof part === "object" && "text" in part ? String(part.text) : "",
        )
        .join("");
    }
    return value.hyperlink;
  }
  return { problem: "holds a value cosell cannot read" };
}

/** Excel keeps 15 significant digits: print them, without exponent for whole numbers. */
function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(Number(n.toPrecision(15)));
}

/** A date cell is a calendar day (MM/DD/YYYY); one with a time of day keeps it (ISO 8601, UTC). */
function dateText(d: Date): string {
  const ms = d.getTime() % 86_400_000;
  if (ms === 0) {
    const mm = String(d.getUTCMonth() + 1).padStart(2, "0");
    const dd = String(d.getUTCDate()).padStart(2, "0");
    return `${mm}/${dd}/${d.getUTCFullYear()}`;
  }
  return d.toISOString().replace(/\.000Z$/, "Z");
}
