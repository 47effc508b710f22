/**
 * Turns one CSV record into typed values, cell by cell. Only the columns the file has
 * are read: an absent column stays `undefined` (leave the field alone), a present but
 * empty cell is `null` (clear it). Every bad cell becomes a `RowError`; nothing throws.
 */
import {
  decodeSolution,
  decodeTeamMember,
  decodeTimestamp,
  decodeVersion,
  lostLeadingZeroError,
} from "../codecs/index.js";
import {
  type ColumnKey,
  FIELD_KEYS,
  type FieldKey,
  headerOf,
  type ListKey,
  listHeaderOf,
} from "../columns.js";
import { restoreCell } from "../csv/index.js";
import type { DealFields, Solution, TeamMember } from "../deal.js";
import { type CellResult, type RowError, type RowErrorCode, rowError } from "../errors.js";
import type { HeaderMap, ListColumn } from "../header-map.js";
import type { Limits } from "../limits.js";
import { CELL } from "../messages/cells.js";
import { splitText } from "../messages/text.js";
import { FIELD_CODECS, type FieldCodec } from "./field-codecs.js";

export type FieldPatch = { -readonly [K in FieldKey]?: DealFields[K] | null };

export interface LastModified {
  iso: string;
  precisionMs: number;
}

export interface ParsedRow {
  /** 1 = first data row. */
  row: number;
  /** Physical line where the record starts. */
  line: number;
  /** The record's cells as read (for the results file). */
  cells: readonly string[];
  referralId: string | null;
  lastModified: LastModified | null;
  /** The deal's version the row was exported at (the `Version` column), when it says. */
  version: number | null;
  /** Present columns only; `null` = present but empty. */
  fields: FieldPatch;
  /** Fields whose cell could not be read: the rules skip them, their error is already listed. */
  invalid: ReadonlySet<FieldKey | ListKey>;
  /** `undefined` when the file has no such columns. */
  solutions: Solution[] | undefined;
  team: TeamMember[] | undefined;
  errors: RowError[];
}

/** The header a message should name: the file's own spelling when the column is there. */
export const columnLabel = (map: HeaderMap, key: ColumnKey): string =>
  map.columns.get(key)?.header.trim() ?? headerOf(key, map.lang);

export const listLabel = (map: HeaderMap, list: ListKey, n: number): string => {
  const found = (list === "solutions" ? map.solutions : map.team).find((c) => c.n === n);
  return found?.header.trim() ?? listHeaderOf(list, n, map.lang);
};

const cellAt = (cells: readonly string[], index: number): string => restoreCell(cells[index] ?? "");

const isBlank = (s: string): boolean => s.trim() === "";

/** The row's Referral ID, or null when its cell is empty or the file has no such column. */
export const referralIdOf = (map: HeaderMap, cells: readonly string[]): string | null => {
  const at = map.columns.get("referralId");
  const id = at ? cellAt(cells, at.index).trim() : "";
  return id === "" ? null : id;
};

/** The row's CRM ID as written (before its cell is checked), or null when there is none. */
export const crmIdOf = (map: HeaderMap, cells: readonly string[]): string | null => {
  const at = map.columns.get("crmId");
  const id = at ? cellAt(cells, at.index).trim() : "";
  return id === "" ? null : id;
};

/** A field column of the file, with what reading its cells needs worked out once per file. */
interface FieldReader {
  key: FieldKey;
  index: number;
  /** The header as the file spells it, trimmed, for messages. */
  column: string;
  /** Decodes a non-blank cell into `fields`; returns the error instead when it cannot. */
  read(
    raw: string,
    limits: Limits,
    fields: FieldPatch,
  ): { code: RowErrorCode; message: string; fr?: string | undefined } | null;
}

const readerOf = <K extends FieldKey>(key: K, index: number, column: string): FieldReader => {
  const codec: FieldCodec<NonNullable<DealFields[K]>> = FIELD_CODECS[key];
  return {
    key,
    index,
    column,
    read(raw, limits, fields) {
      const decoded = codec.decode(raw, column, limits);
      if (!decoded.ok) return decoded;
      fields[key] = decoded.value;
      return null;
    },
  };
};

const readers = new WeakMap<HeaderMap, readonly FieldReader[]>();

/** The field columns the file has, in field order (built once per header map). */
const fieldReaders = (map: HeaderMap): readonly FieldReader[] => {
  let list = readers.get(map);
  if (!list) {
    list = FIELD_KEYS.flatMap((key) => {
      const at = map.columns.get(key);
      return at ? [readerOf(key, at.index, at.header.trim())] : [];
    });
    readers.set(map, list);
  }
  return list;
};

export const parseRow = (
  map: HeaderMap,
  record: { line: number; cells: readonly string[] },
  row: number,
  limits: Limits,
): ParsedRow => {
  const errors: RowError[] = [];
  const invalid = new Set<FieldKey | ListKey>();
  const fields: FieldPatch = {};
  const { cells } = record;

  for (const reader of fieldReaders(map)) {
    const { key, column } = reader;
    const raw = cellAt(cells, reader.index);
    if (isBlank(raw)) {
      fields[key] = null;
      continue;
    }
    if (raw.length > limits.cellChars) {
      errors.push(
        rowError(column, {
          code: "too_long",
          ...splitText(CELL.cellTooLong(column, raw.length, limits.cellChars)),
        }),
      );
      invalid.add(key);
      continue;
    }
    const error = reader.read(raw, limits, fields);
    if (error) {
      errors.push(rowError(column, error));
      invalid.add(key);
    }
  }

  const referralId = referralIdOf(map, cells);
  // Only a new deal's postal code is checked: after creation the field is locked, so an update row
  // can only repeat what is stored.
  const postalCode = fields.customerPostalCode;
  const country = fields.customerCountry;
  if (referralId === null && typeof postalCode === "string" && typeof country === "string") {
    const column = columnLabel(map, "customerPostalCode");
    const lostZero = lostLeadingZeroError(column, postalCode, country);
    if (lostZero) {
      errors.push(rowError(column, lostZero));
      invalid.add("customerPostalCode");
    }
  }

  const lastModified = readCheckCell(map, cells, "lastModified", decodeTimestamp, errors);
  const version = readCheckCell(map, cells, "version", decodeVersion, errors);

  const solutions = readList(
    map.solutions,
    "solutions",
    cells,
    limits,
    errors,
    invalid,
    decodeSolution,
  );
  const team = readList(map.team, "team", cells, limits, errors, invalid, decodeTeamMember);

  return {
    row,
    line: record.line,
    cells,
    referralId,
    lastModified,
    version,
    fields,
    invalid,
    solutions,
    team,
    errors,
  };
};

/**
 * A cell of the stale-row check's columns (Last Modified, Version): null when the file has no
 * such column or the cell is blank (no check), its error listed when it cannot be read.
 */
const readCheckCell = <T>(
  map: HeaderMap,
  cells: readonly string[],
  key: "lastModified" | "version",
  decode: (raw: string, column: string) => CellResult<T>,
  errors: RowError[],
): T | null => {
  const at = map.columns.get(key);
  if (!at) return null;
  const raw = cellAt(cells, at.index);
  if (isBlank(raw)) return null;
  const column = at.header.trim();
  const decoded = decode(raw, column);
  if (decoded.ok) return decoded.value;
  errors.push(rowError(column, decoded));
  return null;
};

const readList = <T>(
  columns: readonly ListColumn[],
  list: ListKey,
  cells: readonly string[],
  limits: Limits,
  errors: RowError[],
  invalid: Set<FieldKey | ListKey>,
  decode: (
    raw: string,
    column: string,
  ) =>
    | { ok: true; value: T }
    | { ok: false; code: RowError["code"]; message: string; fr?: string | undefined },
): T[] | undefined => {
  if (columns.length === 0) return undefined;
  const max = list === "solutions" ? limits.solutionsPerDeal : limits.teamMembersPerDeal;
  const items: T[] = [];
  for (const c of columns) {
    const raw = cellAt(cells, c.index);
    if (isBlank(raw)) continue;
    const column = c.header.trim();
    if (c.n > max || items.length >= max) {
      errors.push(
        rowError(column, {
          code: list === "solutions" ? "too_many_solutions" : "too_many_team_members",
          ...splitText(CELL.tooManyInColumns(column, max, list)),
        }),
      );
      invalid.add(list);
      continue;
    }
    const decoded = decode(raw, column);
    if (decoded.ok) items.push(decoded.value);
    else {
      errors.push(rowError(column, decoded));
      invalid.add(list);
    }
  }
  return items;
};
