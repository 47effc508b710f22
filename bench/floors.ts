/**
 * The floors: the least work the database and Node must do for an import or an export,
 * written plainly against the driver (raw SQL through Kysely's connection, no query
 * builder, no codecs, no audit trail). A scenario's ratio to its floor says how much the
 * engine adds, and holds up on a noisy machine because both are measured in the same run.
 */
import { CompiledQuery, type Kysely } from "kysely";
import type { Deal } from "../src/core/deal.js";
import type { Db } from "../src/server/db/db.js";
import { dealToRow, SOLUTION_COLUMNS, TEAM_COLUMNS } from "../src/server/db/deals-repo.js";
import type { Database } from "../src/server/db/schema.js";
import type { StoreDialect } from "../src/server/db/store.js";

/** SQLite takes at most 32,766 parameters per statement, PostgreSQL 65,535. */
const MAX_PARAMS = { sqlite: 32_766, postgres: 65_535 } as const;

/** `?` placeholders, numbered `$1…` for PostgreSQL. */
const placeholders = (dialect: StoreDialect, text: string): string => {
  if (dialect === "sqlite") return text;
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** Multi-row INSERTs of `rows`, as many rows per statement as the parameter limit allows. */
export async function insertRows(
  db: Db,
  dialect: StoreDialect,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const perStatement = Math.floor(MAX_PARAMS[dialect] / columns.length);
  const tuple = `(${columns.map(() => "?").join(",")})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement);
    const text = `insert into ${table} (${columns.join(",")}) values ${part.map(() => tuple).join(",")}`;
    await db.executeQuery(CompiledQuery.raw(placeholders(dialect, text), part.flat()));
  }
}

/** The deals table's columns, in the order `dealToRow` writes them. */
export const dealColumns = (deal: Deal): string[] => Object.keys(dealToRow(deal));

/** Floor (a): the deals, their solutions and team members, in one transaction. */
export const insertFloor = (
  db: Kysely<Database>,
  dialect: StoreDialect,
  deals: readonly Deal[],
): Promise<void> => db.transaction().execute((trx) => insertPlain(trx, dialect, deals));

/** The deals, their solutions and team members, in the caller's transaction. */
export async function insertPlain(
  trx: Db,
  dialect: StoreDialect,
  deals: readonly Deal[],
): Promise<void> {
  const first = deals[0];
  if (!first) return;
  const columns = dealColumns(first);
  const dealRows = deals.map((d) => {
    const row: Record<string, unknown> = dealToRow(d);
    return columns.map((c) => row[c]);
  });
  await insertRows(trx, dialect, "deals", columns, dealRows);
  const solutions = deals.flatMap((d) =>
    d.solutions.map((s, i) => [d.id, i, s.id, s.currency, s.price, s.quantity]),
  );
  await insertRows(trx, dialect, "deal_solutions", SOLUTION_COLUMNS, solutions);
  const team = deals.flatMap((d) =>
    d.team.map((m, i) => [
      d.id,
      i,
      m.firstName,
      m.lastName,
      m.phone,
      m.email,
      m.email.toLowerCase(),
    ]),
  );
  await insertRows(trx, dialect, "deal_team_members", TEAM_COLUMNS, team);
}

/** A WHERE clause with `?` placeholders, written by hand to match one export filter. */
export interface FloorWhere {
  sql: string;
  params: unknown[];
}

type Row = Record<string, unknown>;

/** RFC 4180 quoting, nothing else: no formula guard, no codecs. */
const quote = (value: unknown): string => {
  if (value === null || value === undefined) return "";
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

const byDeal = (rows: readonly Row[]): Map<unknown, Row[]> => {
  const out = new Map<unknown, Row[]>();
  for (const r of rows) {
    const list = out.get(r.deal_id);
    if (list) list.push(r);
    else out.set(r.deal_id, [r]);
  }
  return out;
};

/**
 * The solutions and team members of these deals in one statement per table: the ids as
 * one array parameter on PostgreSQL, one IN list on SQLite (an export's 5,000 ids are
 * well under its 32,766 parameters).
 */
export async function selectChildren(
  db: Db,
  dialect: StoreDialect,
  ids: readonly unknown[],
): Promise<{ solutions: Row[]; team: Row[] }> {
  const pg = dialect === "postgres";
  const match = pg ? "= any($1::text[])" : `in (${ids.map(() => "?").join(",")})`;
  const params = pg ? [ids] : [...ids];
  const select = async (columns: string, table: string) =>
    (
      await db.executeQuery<Row>(
        CompiledQuery.raw(
          `select ${columns} from ${table} where deal_id ${match} order by deal_id, position`,
          params,
        ),
      )
    ).rows;
  return {
    solutions: await select("deal_id, solution_id, currency, price, quantity", "deal_solutions"),
    team: await select("deal_id, first_name, last_name, phone, email", "deal_team_members"),
  };
}

/**
 * Floor (b): the same deals the export writes (same WHERE, order and cap), their children
 * in one statement per table, written as CSV by string concatenation.
 */
export async function exportFloor(
  db: Db,
  dialect: StoreDialect,
  columns: readonly string[],
  where: FloorWhere,
  limit: number,
): Promise<{ count: number; csv: string }> {
  const deals = await db.executeQuery<Row>(
    CompiledQuery.raw(
      placeholders(
        dialect,
        `select ${columns.join(",")} from deals where ${where.sql} order by created_at desc, id desc limit ${limit}`,
      ),
      where.params,
    ),
  );
  const { solutions, team } = await selectChildren(
    db,
    dialect,
    deals.rows.map((r) => r.id),
  );
  const solutionsOf = byDeal(solutions);
  const teamOf = byDeal(team);
  let out = `\uFEFF${columns.join(",")},Solution 1,Solution 2,Solution 3,Team member 1,Team member 2,Team member 3\r\n`;
  for (const d of deals.rows) {
    let line = "";
    for (const c of columns) line += `${quote(d[c])},`;
    const s = solutionsOf.get(d.id) ?? [];
    const t = teamOf.get(d.id) ?? [];
    for (let i = 0; i < 3; i++) {
      const x = s[i];
      line += `${x ? quote(`${x.solution_id}, ${x.currency ?? ""}, ${x.price ?? ""}, ${x.quantity ?? ""}`) : ""},`;
    }
    for (let i = 0; i < 3; i++) {
      const m = t[i];
      line += m ? quote(`${m.first_name}, ${m.last_name}, ${m.phone ?? ""}, ${m.email}`) : "";
      if (i < 2) line += ",";
    }
    out += `${line}\r\n`;
  }
  return { count: deals.rows.length, csv: out };
}
