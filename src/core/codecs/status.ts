import type { Lang } from "../columns.js";
import { STATUSES, type Status, SUBSTATUSES, type Substatus } from "../deal.js";
import { type CellResult, fail, ok, type RowErrorCode } from "../errors.js";
import { CELL } from "../messages/cells.js";
import type { Label, Text } from "../messages/text.js";
import { blankCell, type CellDecoder, foldText, trimCell } from "./cell-text.js";

/** SPEC §5 "Values": the French forms accepted beside each English name (masculine and feminine). */
const STATUS_FRENCH: Readonly<Record<Status, readonly string[]>> = {
  New: ["Nouveau", "Nouvelle"],
  Active: ["Actif", "Active"],
  Closed: ["Fermé", "Fermée"],
};

const SUBSTATUS_FRENCH: Readonly<Record<Substatus, readonly string[]>> = {
  Pending: ["En attente"],
  Received: ["Reçu", "Reçue"],
  Accepted: ["Accepté", "Acceptée"],
  Won: ["Gagné", "Gagnée"],
  Lost: ["Perdu", "Perdue"],
  Declined: ["Refusé", "Refusée"],
  Expired: ["Expiré", "Expirée"],
  Error: ["Erreur"],
};

/**
 * Every accepted spelling, lower-cased and also folded (accents dropped), so the common case is
 * one `toLowerCase` and one map look-up.
 */
const wordsOf = <T extends string>(
  names: readonly T[],
  french: Readonly<Record<T, readonly string[]>>,
): ReadonlyMap<string, T> => {
  const words = new Map<string, T>();
  for (const name of names) {
    for (const word of [name, ...french[name]]) {
      words.set(word.toLowerCase(), name);
      words.set(foldText(word), name);
    }
  }
  return words;
};

const STATUS_WORDS = wordsOf(STATUSES, STATUS_FRENCH);
const SUBSTATUS_WORDS = wordsOf(SUBSTATUSES, SUBSTATUS_FRENCH);

const decodeWord =
  <T extends string>(
    words: ReadonlyMap<string, T>,
    names: readonly T[],
    code: RowErrorCode,
    refusal: (column: Label, value: string, names: readonly string[]) => Text,
  ) =>
  (raw: string, column: Label): CellResult<T> => {
    const value = trimCell(raw);
    if (value === "") return blankCell(column);
    const name = words.get(value.toLowerCase()) ?? words.get(foldText(value));
    if (name !== undefined) return ok(name);
    return fail(code, refusal(column, value, names));
  };

/** New, Active or Closed; French forms in any case, with or without accents. */
export const decodeStatus: CellDecoder<Status> = decodeWord(
  STATUS_WORDS,
  STATUSES,
  "invalid_status",
  CELL.notStatus,
);
/** Pending, Received, Accepted, Won, Lost, Declined, Expired or Error; French forms too. */
export const decodeSubstatus: CellDecoder<Substatus> = decodeWord(
  SUBSTATUS_WORDS,
  SUBSTATUSES,
  "invalid_substatus",
  CELL.notSubstatus,
);

/** Files are written with the English names. */
export const encodeStatus = (status: Status): Status => status;
export const encodeSubstatus = (substatus: Substatus): Substatus => substatus;

/** A status or substatus as a person reads it in `lang` (the workbook template's drop-downs). */
export function statusWord(name: Status | Substatus, lang: Lang): string {
  if (lang === "en") return name;
  const isStatus = (n: string): n is Status => STATUSES.some((s) => s === n);
  const french = isStatus(name) ? STATUS_FRENCH[name] : SUBSTATUS_FRENCH[name];
  return french[0] ?? name;
}
