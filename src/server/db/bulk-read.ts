/**
 * Bulk reads: many deals (or a sorted page of them) in one statement that comes back as one
 * JSON text aggregated by the database (`selectJson`, and `selectArraysOf` on SQLite): both
 * drivers build objects per row and column slowly, `JSON.parse` is fast. The writes are in
 * bulk-write.ts.
 */
import type { CompiledQuery } from "kysely";
import { type Cell, runText } from "./bulk-statements.js";
import { type Db, isPostgres } from "./db.js";

/** Values per SQLite `IN (…)` list: well under its 32,766 parameters. */
const SQLITE_IN = 10_000;

/** `?` placeholders numbered `$1, $2, …` for PostgreSQL. */
const numbered = (text: string): string => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** A column to read, and whether it holds a REAL (double) — see `jsonValue`. */
export interface ReadColumn {
  name: string;
  real?: boolean;
}

/**
 * SQLite's JSON prints a REAL with 15 significant digits, which does not always give the
 * same double back; `%!.17g` always does. Null stays null. (PostgreSQL's JSON prints the
 * shortest exact form by itself.)
 */
const jsonValue = (c: ReadColumn): string =>
  c.real ? `iif(${c.name} is null, null, printf('%!.17g', ${c.name}))` : c.name;

/** A JSON array text read from the database (or one already parsed), as an array. */
export const jsonArray = (json: unknown): unknown[] => {
  const parsed: unknown = typeof json === "string" ? JSON.parse(json) : json;
  if (!Array.isArray(parsed)) throw new Error("expected a JSON array from the database");
  return parsed;
};

/** Rows of another table to nest in each row, as one JSON array of `columns`. */
export interface NestedRows {
  from: string;
  columns: readonly ReadColumn[];
  /** How a nested row meets its parent, e.g. `deal_id = d.id`. */
  on: string;
  orderBy: string;
}

export interface JsonQuery {
  columns: readonly ReadColumn[];
  /** A table, with an alias when `children` refer to it. */
  from: string;
  /**
   * The condition, with `?` placeholders for `params`, given how to say "is one of `values`"
   * (`match`: `= any(?)` or `in (?, …)`), e.g. ``(match) => `org_id = ? and id ${match}` ``.
   */
  where: (match: string) => string;
  params?: readonly Cell[];
  values: readonly string[];
  children?: readonly NestedRows[];
  orderBy?: string;
}

/** `json_array(…)` / `json_build_array(…)` of these columns and extra expressions. */
const jsonTuple = (pg: boolean, columns: readonly ReadColumn[], extra: readonly string[] = []) =>
  `${pg ? "json_build_array" : "json_array"}(${[...columns.map((c) => (pg ? c.name : jsonValue(c))), ...extra].join(", ")})`;

/** The aggregate of JSON values into one array, `[]` when there are none. */
const jsonAgg = (pg: boolean, value: string, orderBy: string | undefined) => {
  const order = orderBy ? ` order by ${orderBy}` : "";
  return pg
    ? `coalesce(json_agg(${value}${order}), '[]'::json)`
    : `json_group_array(${value}${order})`;
};

/** `select <the rows as one JSON array> as j from …`: text on PostgreSQL, so both dialects agree. */
const jsonSelect = (
  pg: boolean,
  columns: readonly ReadColumn[],
  nested: readonly string[],
  orderBy: string | undefined,
): string =>
  `select ${jsonAgg(pg, jsonTuple(pg, columns, nested), orderBy)}${pg ? "::text" : ""} as j`;

/**
 * The rows of `select <columns> from <from> where <where>`, each one JSON
 * array of its columns followed by one array per `children` entry, read as one JSON text
 * that the database aggregates and `JSON.parse` reads here. The drivers build a JavaScript
 * object per row and per column slowly (1,000 deals: 12 ms of rows against 4 ms of JSON on
 * SQLite, 13.5 against 8.6 ms on PostgreSQL); `JSON.parse` is fast. PostgreSQL gets the
 * list as one array parameter; SQLite gets `IN` lists of up to 10,000. (json_build_array
 * takes at most 100 arguments: a deal's 37 columns fit.)
 */
export async function selectJson(db: Db, query: JsonQuery): Promise<unknown[]> {
  const { values } = query;
  if (values.length === 0) return [];
  const pg = isPostgres(db);
  const select = `${selectOf(pg, query)} where`;
  const params = query.params ?? [];
  if (pg) {
    const text = numbered(`${select} ${query.where("= any(?::text[])")}`);
    const result = await runText<{ j: unknown }>(db, text, [...params, textArray(values)]);
    return jsonArray(result.rows[0]?.j);
  }
  const rows: unknown[] = [];
  for (let i = 0; i < values.length; i += SQLITE_IN) {
    const part = values.slice(i, i + SQLITE_IN);
    const list = new Array<string>(part.length).fill("?").join(",");
    const text = `${select} ${query.where(`in (${list})`)}`;
    const result = await runText<{ j: unknown }>(db, text, [...params, ...part]);
    rows.push(...jsonArray(result.rows[0]?.j));
  }
  return rows;
}

/** `select <the rows as one JSON array> as j from <from>`, with its nested children. */
const selectOf = (pg: boolean, query: JsonQuery): string => {
  const nested = (query.children ?? []).map(
    (c) =>
      `(select ${jsonAgg(pg, jsonTuple(pg, c.columns), c.orderBy)} from ${c.from} where ${c.on})`,
  );
  return `${jsonSelect(pg, query.columns, nested, query.orderBy)} from ${query.from}`;
};

const arrayTexts = new WeakMap<readonly string[], string>();

/**
 * A text[] parameter as PostgreSQL's array literal, written once per list: the import's
 * look-ups send one list of 1,000 ids to three statements, which node-pg would escape three
 * times (1 ms each).
 */
const textArray = (values: readonly string[]): string => {
  let text = arrayTexts.get(values);
  if (text === undefined) {
    text = `{${values.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;
    arrayTexts.set(values, text);
  }
  return text;
};

/**
 * The rows of a query built elsewhere (compiled by Kysely), each an array of `columns`
 * (which it must select), in `orderBy` order. SQLite aggregates them into one JSON text, for
 * the same reason as `selectJson`; PostgreSQL sends rows, which for a sorted page of 5,000
 * deals measured faster than the JSON it would build (171 against 194 ms with children).
 */
export async function selectArraysOf(
  db: Db,
  inner: CompiledQuery,
  columns: readonly ReadColumn[],
  orderBy: string,
): Promise<unknown[]> {
  if (isPostgres(db)) {
    const result = await runText<Record<string, unknown>>(db, inner.sql, inner.parameters);
    return result.rows.map((row) => columns.map((c) => row[c.name]));
  }
  const text = `${jsonSelect(false, columns, [], orderBy)} from (${inner.sql}) as q`;
  const result = await runText<{ j: unknown }>(db, text, inner.parameters);
  return jsonArray(result.rows[0]?.j);
}
