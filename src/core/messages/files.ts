/**
 * What the core says when it refuses a whole file (bytes, CSV, headers, limits), in English and
 * French with the same details: the line, the column, the byte, the limit. Keyed by the file
 * error code each goes with; the English is the published wording.
 */
import { formatCount, type Text } from "./text.js";

const SAVE_AS_CSV: Text = {
  en: "Save it as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8) and upload again.",
  fr: "Enregistrez-le en CSV UTF-8 (dans Excel : Fichier > Enregistrer sous > CSV UTF-8) et envoyez-le à nouveau.",
};
const thenSave = (en: string, fr: string): Text => ({
  en: `${en} ${SAVE_AS_CSV.en}`,
  fr: `${fr} ${SAVE_AS_CSV.fr}`,
});
const en = (n: number): string => formatCount(n, "en");
const fr = (n: number): string => formatCount(n, "fr");

/** Why a CSV line cannot be read: the end of an `unreadable_file` message. */
export const CSV_WHY = {
  notText: {
    en: "the CSV parser returned something other than text cells",
    fr: "le lecteur CSV a rendu autre chose que des cellules de texte",
  },
  cellTooLong: (column: number, max: number): Text => ({
    en: `column ${column} holds more than ${en(max)} characters. This is usually a quote (") that is never closed; check that cell`,
    fr: `la colonne ${column} contient plus de ${fr(max)} caractères. C'est souvent un guillemet (") jamais refermé : vérifiez cette cellule`,
  }),
  missingQuotes: {
    en: 'a quoted cell is never closed (its closing " is missing)',
    fr: "une cellule entre guillemets n'est jamais refermée (le \" final manque)",
  },
  invalidQuotes: {
    en: 'a quoted cell has text after its closing quote (write a quote inside a quoted cell as "")',
    fr: 'une cellule entre guillemets a du texte après son guillemet final (écrivez un guillemet à l\'intérieur comme "")',
  },
} satisfies Record<string, Text | ((...args: never[]) => Text)>;

export const FILE = {
  // empty_file
  empty: {
    en: "The file is empty. Download the template, fill it in, and upload it again.",
    fr: "Le fichier est vide. Téléchargez le modèle, remplissez-le et envoyez-le à nouveau.",
  },
  // unreadable_file
  utf16WithoutBom: thenSave(
    "This file looks like UTF-16 text without a byte-order mark, which cannot be read reliably.",
    "Ce fichier semble être du texte UTF-16 sans marque d'ordre des octets, qui ne se lit pas de façon sûre.",
  ),
  nulBytes: thenSave(
    "This file contains NUL bytes, so it is not a CSV text file.",
    "Ce fichier contient des octets NUL : ce n'est pas un fichier texte CSV.",
  ),
  nulCharacters: thenSave(
    "This file contains NUL characters, so it is not a CSV text file.",
    "Ce fichier contient des caractères NUL : ce n'est pas un fichier texte CSV.",
  ),
  badAfterBom: (name: string): Text =>
    thenSave(
      `This file starts with a ${name} byte-order mark but contains bytes that are not valid ${name}, so some characters would be lost.`,
      `Ce fichier commence par une marque d'ordre des octets ${name} mais contient des octets qui ne sont pas du ${name} valide : des caractères seraient perdus.`,
    ),
  neitherEncoding: (byte: string, offset: number): Text =>
    thenSave(
      `This file is neither UTF-8 nor Windows-1252 text (byte 0x${byte} at position ${offset} is not a character in either), so some characters would be lost.`,
      `Ce fichier n'est ni du texte UTF-8 ni du Windows-1252 (l'octet 0x${byte} à la position ${offset} n'est un caractère dans aucun des deux) : des caractères seraient perdus.`,
    ),
  xlsxAsCsv: thenSave(
    "This looks like an Excel workbook (.xlsx) or another zipped file, not a CSV file.",
    "Ceci ressemble à un classeur Excel (.xlsx) ou à un autre fichier compressé, pas à un fichier CSV.",
  ),
  xlsAsCsv: thenSave(
    "This looks like an Excel 97–2003 workbook (.xls), not a CSV file.",
    "Ceci ressemble à un classeur Excel 97–2003 (.xls), pas à un fichier CSV.",
  ),
  controlCharacters: thenSave(
    "This file is full of control characters, so it looks like a binary file rather than CSV text.",
    "Ce fichier est plein de caractères de contrôle : il ressemble à un fichier binaire plutôt qu'à du texte CSV.",
  ),
  unreadableLine: (line: number | undefined, why: Text): Text => ({
    en: `${line === undefined ? "The file cannot be read" : `Line ${line} cannot be read`}: ${why.en}. Fix it, or save the file again from your spreadsheet as CSV, and upload again.`,
    fr: `${line === undefined ? "Le fichier est illisible" : `La ligne ${line} est illisible`} : ${why.fr}. Corrigez-la, ou enregistrez à nouveau le fichier en CSV depuis votre tableur, et envoyez-le à nouveau.`,
  }),
  // no_header
  emptyHeader: {
    en: "The first line of the file must hold the column headers, but it is empty. Download the template to see them.",
    fr: "La première ligne du fichier doit porter les en-têtes des colonnes, mais elle est vide. Téléchargez le modèle pour les voir.",
  },
  noKnownHeader: {
    en: "The first line is not a header row that cosell recognises (e.g. 'Deal Name', 'Customer Name'); download the template and copy your data under its headers",
    fr: "La première ligne n'est pas une ligne d'en-têtes que cosell reconnaît (par ex. 'Nom de la transaction', 'Nom du client') : téléchargez le modèle et copiez vos données sous ses en-têtes",
  },
  // duplicate_header
  headerTwice: (header: string, first: number, second: number): Text => ({
    en: `The header '${header}' appears twice (columns ${first} and ${second}); keep one of them and upload again`,
    fr: `L'en-tête '${header}' apparaît deux fois (colonnes ${first} et ${second}) : gardez-en une et envoyez le fichier à nouveau`,
  }),
  sameColumn: (a: string, first: number, b: string, second: number): Text => ({
    en: `The headers '${a}' (column ${first}) and '${b}' (column ${second}) are the same column; keep one of them and upload again`,
    fr: `Les en-têtes '${a}' (colonne ${first}) et '${b}' (colonne ${second}) désignent la même colonne : gardez-en une et envoyez le fichier à nouveau`,
  }),
  // too_many_columns, line_too_long
  tooManyColumns: (max: number): Text => ({
    en: `Line 1 (the header) has more than ${en(max)} columns; a co-sell file has far fewer. Check that this is a co-sell CSV file (download the template to compare) and save it again from your spreadsheet as CSV`,
    fr: `La ligne 1 (les en-têtes) a plus de ${fr(max)} colonnes ; un fichier de co-vente en a bien moins. Vérifiez que c'est un fichier CSV de co-vente (comparez avec le modèle) et enregistrez-le à nouveau en CSV depuis votre tableur`,
  }),
  headerCellTooLong: (line: number, column: number, max: number): Text => ({
    en: `Line ${line} (the header): column ${column} is longer than ${en(max)} characters, which no column name is. This is usually a file that is not CSV, or a quote (") that is never closed; check the file and upload again`,
    fr: `Ligne ${line} (les en-têtes) : la colonne ${column} dépasse ${fr(max)} caractères, ce qu'aucun nom de colonne ne fait. C'est souvent un fichier qui n'est pas du CSV, ou un guillemet (") jamais refermé : vérifiez le fichier et envoyez-le à nouveau`,
  }),
  lineTooLong: (
    line: number,
    max: number,
    length: number,
    columns: number,
    cell: number,
  ): Text => ({
    en: `Line ${line} is more than ${en(max)} characters long (${en(length)} at least): more than ${en(columns)} column${columns === 1 ? "" : "s"} of at most ${en(cell)} characters can hold. This is usually a line break missing between rows, or a file that is not CSV; check that line and upload again`,
    fr: `La ligne ${line} fait plus de ${fr(max)} caractères (${fr(length)} au moins) : plus que ne peuvent en tenir ${fr(columns)} colonne${columns === 1 ? "" : "s"} d'au plus ${fr(cell)} caractères. C'est souvent un saut de ligne qui manque entre deux lignes, ou un fichier qui n'est pas du CSV : vérifiez cette ligne et envoyez le fichier à nouveau`,
  }),
  // file_too_large, too_many_rows
  tooLarge: (size: string, limit: string): Text => ({
    en: `The file is ${size}; the limit is ${limit}. Split it into smaller files`,
    fr: `Le fichier fait ${size} ; la limite est ${limit}. Découpez-le en fichiers plus petits`,
  }),
  overUploadLimit: (limit: string): Text => ({
    en: `The file is over the upload limit of ${limit}. Split it into smaller files`,
    fr: `Le fichier dépasse la limite d'envoi de ${limit}. Découpez-le en fichiers plus petits`,
  }),
  /** `rows` null: more than `max`, not counted further (a streamed file stops there). */
  tooManyRows: (rows: number | null, max: number): Text => ({
    en: `The file has ${rows ?? `more than ${max}`} data rows; an import takes at most ${max}. Nothing was imported: split it into files of ${max} rows or fewer`,
    fr: `Le fichier a ${rows === null ? `plus de ${fr(max)}` : fr(rows)} lignes de données ; un import en prend au plus ${fr(max)}. Rien n'a été importé : découpez-le en fichiers de ${fr(max)} lignes ou moins`,
  }),
  // Workbooks (read by the server's xlsx adapter)
  workbookUnreadable: (why: string): Text => ({
    en: `The file looks like an Excel workbook but cannot be read (${why}). Save it again from your spreadsheet as .xlsx or as CSV, and upload again`,
    fr: `Le fichier ressemble à un classeur Excel mais il est illisible (${why}). Enregistrez-le à nouveau depuis votre tableur en .xlsx ou en CSV, et envoyez-le à nouveau`,
  }),
  sheetEmptyHeader: (sheet: string): Text => ({
    en: `The first row of sheet '${sheet}' must hold the column headers, but it is empty. Download the template to see them.`,
    fr: `La première ligne de la feuille '${sheet}' doit porter les en-têtes des colonnes, mais elle est vide. Téléchargez le modèle pour les voir.`,
  }),
  noSheet: {
    en: "The workbook has no sheet to import",
    fr: "Le classeur n'a aucune feuille à importer",
  },
};
