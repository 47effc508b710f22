/**
 * The import template as an Excel workbook (`cosell template --format xlsx`): what a CSV cannot
 * carry — the header row frozen and styled, Text format on the columns a spreadsheet would
 * mangle (D-U-N-S, phone, postal code, CRM ID, dates), drop-down lists of the accepted values in
 * the workbook's language, and a second sheet explaining every column. The lists live on a
 * hidden sheet because Excel caps an inline list at 255 characters (the country codes alone
 * are longer).
 */
import ExcelJS from "exceljs";
import { countryCodes, currencyCodeList, statusWord } from "../../core/codecs/index.js";
import { columnGuideRows } from "../../core/column-guide.js";
import { type ColumnKey, headerOf, type Lang } from "../../core/columns.js";
import { STATUSES, SUBSTATUSES } from "../../core/deal.js";
import { normaliseHeader } from "../../core/header-map.js";
import { templateRows } from "../../core/template.js";
import { SHEET_KEYWORD } from "./read-workbook.js";

/** Rows the drop-downs reach: the header and the import's default row limit. */
const DATA_ROWS = 1001;

/** Columns a spreadsheet would turn into numbers or dates, losing zeros or the format. */
const TEXT_COLUMNS: readonly ColumnKey[] = [
  "engagementId",
  "referralId",
  "customerPostalCode",
  "customerDuns",
  "contactPhone",
  "closeReason",
  "salesStage",
  "closeDate",
  "crmId",
  "campaignId",
  "helpType",
];

interface ListDef {
  title: Record<Lang, string>;
  values: (lang: Lang) => readonly string[];
  columns: readonly ColumnKey[];
  prompt?: (lang: Lang) => string;
}

const yesNo = (lang: Lang) => (lang === "en" ? ["Yes", "No"] : ["Oui", "Non"]);
const numbers = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));

const LISTS: readonly ListDef[] = [
  {
    title: { en: "Status", fr: "État" },
    values: (lang) => STATUSES.map((s) => statusWord(s, lang)),
    columns: ["status"],
  },
  {
    title: { en: "Substatus", fr: "Sous-état" },
    values: (lang) => SUBSTATUSES.map((s) => statusWord(s, lang)),
    columns: ["substatus"],
  },
  {
    title: { en: "Yes/No", fr: "Oui/Non" },
    values: yesNo,
    columns: ["helpRequired", "shareWithMicrosoft", "consent"],
  },
  {
    title: { en: "Reason", fr: "Raison" },
    values: () => numbers(9),
    columns: ["closeReason"],
    prompt: (lang) =>
      lang === "en"
        ? "Declined/Lost: 1-8. Error: 1-9 (1 = duplicate created through bulk upload). See the Columns sheet."
        : "Refusé/Perdu : 1 à 8. Erreur : 1 à 9 (1 = doublon créé par import). Voir la feuille Colonnes.",
  },
  {
    title: { en: "Help", fr: "Aide" },
    values: () => numbers(6),
    columns: ["helpType"],
    prompt: (lang) =>
      lang === "en"
        ? "1 value proposition, 2 architecture, 3 proof of concept, 4 quotes and licensing, 5 post-sales, 6 other."
        : "1 proposition de valeur, 2 architecture, 3 preuve de concept, 4 devis et licences, 5 après-vente, 6 autre.",
  },
  {
    title: { en: "Sales stage", fr: "Étape de vente" },
    values: () => ["10", "20", "40", "60", "80", "100"],
    columns: ["salesStage"],
    prompt: (lang) =>
      lang === "en"
        ? "10 Created/Accepted, 20 Qualified, 40 Developed, 60 Proposed, 80 Negotiated, 100 Won."
        : "10 Créée/Acceptée, 20 Qualifiée, 40 Développée, 60 Proposée, 80 Négociée, 100 Gagnée.",
  },
  {
    title: { en: "Country", fr: "Pays" },
    values: () => countryCodes(),
    columns: ["customerCountry"],
  },
  {
    title: { en: "Currency", fr: "Devise" },
    values: () => currencyCodeList(),
    columns: ["currency"],
  },
];

const SHEETS: Readonly<Record<Lang, { data: string; guide: string; lists: string }>> = {
  en: { data: "Deals", guide: "Columns", lists: "Lists" },
  fr: { data: "Transactions", guide: "Colonnes", lists: "Listes" },
};

/** The workbook template: headers (and the example row when asked) in `lang`. */
export async function templateWorkbook(lang: Lang, example: boolean): Promise<Uint8Array> {
  const names = SHEETS[lang];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "cosell";
  workbook.keywords = `${SHEET_KEYWORD}${names.data}`;
  const data = workbook.addWorksheet(names.data, { views: [{ state: "frozen", ySplit: 1 }] });
  const [header = [], ...rows] = templateRows(lang, example);
  const byHeader = new Map(header.map((h, i) => [normaliseHeader(h), i + 1]));
  const columnOf = (key: ColumnKey): number | undefined =>
    byHeader.get(normaliseHeader(headerOf(key, lang)));

  data.columns = header.map((h) => ({
    header: h,
    width: Math.min(40, Math.max(12, h.length + 2)),
  }));
  const text = new Set(TEXT_COLUMNS.flatMap((k) => columnOf(k) ?? []));
  // Solution and Team member cells hold commas and digits: text too.
  for (let i = header.length - 1; i < header.length + 1; i++) text.add(i);
  for (const n of text) data.getColumn(n).numFmt = "@";
  for (const row of rows) data.addRow(row);

  const head = data.getRow(1);
  head.font = { bold: true, color: { argb: "FFFFFFFF" } };
  head.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FF2F5597" } };
  head.alignment = { vertical: "middle", wrapText: true };
  head.height = 32;
  data.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };

  const lists = workbook.addWorksheet(names.lists, { state: "hidden" });
  LISTS.forEach((list, i) => {
    const column = lists.getColumn(i + 1);
    const values = list.values(lang);
    column.values = [list.title[lang], ...values];
    const letter = column.letter;
    const range = `'${names.lists}'!$${letter}$2:$${letter}$${values.length + 1}`;
    for (const key of list.columns) {
      const at = columnOf(key);
      if (at === undefined) continue;
      const prompt = list.prompt?.(lang);
      const validation: ExcelJS.DataValidation = {
        type: "list",
        allowBlank: true,
        formulae: [range],
        showErrorMessage: true,
        errorStyle: "warning",
        errorTitle: list.title[lang],
        error:
          lang === "en" ? "Pick a value from the list." : "Choisissez une valeur dans la liste.",
        ...(prompt ? { showInputMessage: true, promptTitle: list.title[lang], prompt } : {}),
      };
      const letter = data.getColumn(at).letter;
      rangeValidations(data).add(`${letter}2:${letter}${DATA_ROWS}`, validation);
    }
  });

  const guide = workbook.addWorksheet(names.guide, { views: [{ state: "frozen", ySplit: 1 }] });
  guide.columns = [{ width: 42 }, { width: 16 }, { width: 90 }, { width: 40 }];
  for (const row of columnGuideRows(lang)) guide.addRow(row);
  guide.getRow(1).font = { bold: true };
  guide.getColumn(3).alignment = { wrapText: true, vertical: "top" };

  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

interface RangeValidations {
  add(range: string, validation: ExcelJS.DataValidation): void;
}

/**
 * A sheet's validations by range. ExcelJS has them (`worksheet.dataValidations.add`) but its
 * typings only declare the cell-by-cell form, which it writes back as overlapping ranges.
 */
function rangeValidations(sheet: ExcelJS.Worksheet): RangeValidations {
  const found: unknown = Reflect.get(sheet, "dataValidations");
  if (isRangeValidations(found)) return found;
  throw new Error("ExcelJS no longer has worksheet.dataValidations.add: see template-workbook.ts");
}

function isRangeValidations(value: unknown): value is RangeValidations {
  return (
    typeof value === "object" && value !== null && typeof Reflect.get(value, "add") === "function"
  );
}
