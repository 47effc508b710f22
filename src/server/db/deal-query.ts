/**
 * The one query behind the deal list and the export: scope, tab, filters, a stable
 * order, a count of everything that matched. Both use it, so they always agree.
 */
import { CompiledQuery, type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Deal } from "../../core/deal.js";
import type { DealFilter } from "../../core/deal-filter.js";
import type { DealQuery, DealSort } from "../../core/deal-query.js";
import type { UserActor } from "../../core/actor.js";
import { isRecord } from "../../core/json.js";
import { selectArraysOf } from "./bulk-read.js";
import { isPostgres } from "./db.js";
import { DEAL_COLUMNS, DEAL_READ } from "./deal-json.js";
import type { Db } from "./db.js";
import { dealsOfValues } from "./deals-repo.js";
import type { Database } from "./schema.js";

/** The column of each of core's sorts (a sort added there without its column does not compile). */
const SORT_COLUMNS = {
  createdAt: "created_at",
  name: "name",
  customerName: "customer_name",
  status: "status",
  value: "value",
  closeDate: "close_date",
} as const satisfies Record<DealSort, string>;

/** `%` and `_` typed by a person are literal characters, not wildcards. */
const likeContains = (term: string): string => `%${term.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`;

/** `column LIKE %term%` with backslash as the escape in both dialects (SQLite has none by default). */
const contains = (column: Expression<string>, term: string) =>
  sql<SqlBool>`${column} like ${likeContains(term)} escape '\\'`;

/**
 * SQLite: the deals whose column holds `term`, from the trigram index (migration 0010) — the
 * same matches as `LIKE %term%`, for terms of 3 characters or more (shorter ones have no
 * trigram: the caller scans). A phrase of the term's trigrams, quotes doubled, so every
 * character is literal.
 */
const indexedContains = (column: "search_text" | "customer_name", term: string) =>
  sql<SqlBool>`deals.rowid in (select rowid from deals_search where deals_search match ${`${column} : "${term.replaceAll('"', '""')}"`})`;

/** Three characters make a trigram: the least a term needs to be found through the index. */
const indexable = (term: string): boolean => [...term].length >= 3;

/**
 * `column LIKE %term%`, through SQLite's trigram table when the term allows. PostgreSQL's
 * planner picks its pg_trgm index for the same LIKE by itself.
 */
const textFilter = (
  pg: boolean,
  column: "search_text" | "customer_name",
  expression: Expression<string>,
  term: string,
) => (!pg && indexable(term) ? indexedContains(column, term) : contains(expression, term));

const where =
  (actor: UserActor, filter: DealFilter, pg: boolean) =>
  (eb: ExpressionBuilder<Database, "deals">) => {
    const and: Expression<SqlBool>[] = [eb("deals.org_id", "=", actor.orgId)];
    if (actor.role !== "admin") {
      and.push(
        eb.exists(
          eb
            .selectFrom("deal_team_members as t")
            .select(sql.lit(1).as("one"))
            .whereRef("t.deal_id", "=", "deals.id")
            .where("t.email_key", "=", actor.email),
        ),
      );
    }
    if (filter.tab === "favorites") {
      and.push(
        eb.exists(
          eb
            .selectFrom("favorites as f")
            .select(sql.lit(1).as("one"))
            .whereRef("f.deal_id", "=", "deals.id")
            .where("f.user_id", "=", actor.userId),
        ),
      );
    } else if (filter.tab) {
      and.push(eb("deals.direction", "=", filter.tab));
    }
    if (filter.countries?.length) and.push(eb("deals.customer_country", "in", filter.countries));
    if (filter.customerName) {
      and.push(
        textFilter(
          pg,
          "customer_name",
          eb.fn<string>("lower", ["deals.customer_name"]),
          filter.customerName,
        ),
      );
    }
    if (filter.type === "Co-sell") and.push(eb("deals.help_required", "=", 1));
    if (filter.type === "Partner-led") {
      and.push(eb("deals.help_required", "=", 0), eb("deals.share_with_microsoft", "=", 1));
    }
    if (filter.type === "Private") {
      and.push(eb("deals.help_required", "=", 0), eb("deals.share_with_microsoft", "=", 0));
    }
    if (filter.solutionId) {
      and.push(
        eb.exists(
          eb
            .selectFrom("deal_solutions as s")
            .select(sql.lit(1).as("one"))
            .whereRef("s.deal_id", "=", "deals.id")
            .where("s.solution_id", "=", filter.solutionId),
        ),
      );
    }
    if (filter.status) and.push(eb("deals.status", "=", filter.status));
    if (filter.substatus) and.push(eb("deals.substatus", "=", filter.substatus));
    if (filter.search) {
      and.push(textFilter(pg, "search_text", eb.ref("deals.search_text"), filter.search));
    }
    return eb.and(and);
  };

/**
 * Everything besides the data that decides which deals `where` matches: the organisation, the
 * caller's scope (every deal for an admin, the team's for a Referrals user, by email), whose
 * stars for the Favorites tab, and the filter. Two callers with the same key see the same deals,
 * so a cached count (or page) may be shared between them — and only between them.
 */
export const matchKeyOf = (actor: UserActor, filter: DealFilter): string =>
  JSON.stringify([
    actor.orgId,
    actor.role === "admin" ? null : actor.email,
    filter.tab === "favorites" ? actor.userId : null,
    filter,
  ]);

/**
 * How many deals match. With `cap`, counting stops past it: a list page needs "10,000+",
 * not an exact figure that would cost a scan of every deal on every request.
 */
export const countDeals = async (
  db: Db,
  actor: UserActor,
  filter: DealFilter,
  cap?: number,
): Promise<number> => {
  if (cap !== undefined) {
    const row = await db
      .selectFrom((eb) =>
        eb
          .selectFrom("deals")
          .select(sql.lit(1).as("one"))
          .where(where(actor, filter, isPostgres(db)))
          .limit(cap + 1)
          .as("m"),
      )
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
  const row = await db
    .selectFrom("deals")
    .select((eb) => eb.fn.countAll().as("n"))
    .where(where(actor, filter, isPostgres(db)))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};

/**
 * PostgreSQL's planner estimate of how many deals match — planning only, no rows read — for a
 * list past its count cap, so the page can say "about 21,000" before anyone asks for the exact
 * count. Null on SQLite, which keeps no row estimates for a filter (sqlite_stat1 holds only
 * average rows per index key), and when the plan says nothing usable.
 */
export const estimateDeals = async (
  db: Db,
  actor: UserActor,
  filter: DealFilter,
): Promise<number | null> => {
  if (!isPostgres(db)) return null;
  const query = db
    .selectFrom("deals")
    .select(sql.lit(1).as("one"))
    .where(where(actor, filter, true))
    .compile();
  const { rows } = await db.executeQuery<{ "QUERY PLAN": unknown }>(
    CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${query.sql}`, [...query.parameters]),
  );
  return planRows(rows[0]?.["QUERY PLAN"]);
};

/** `[{"Plan": {"Plan Rows": 21034, …}}]`, as EXPLAIN (FORMAT JSON) answers (text or parsed). */
const planRows = (plan: unknown): number | null => {
  const parsed: unknown = typeof plan === "string" ? JSON.parse(plan) : plan;
  const top: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
  const rows = isRecord(top) && isRecord(top.Plan) ? top.Plan["Plan Rows"] : undefined;
  return typeof rows === "number" && Number.isFinite(rows) ? Math.round(rows) : null;
};

/** The page's statement without its select list: scope, filters, cursor, order, window. */
const pageOf = (db: Db, actor: UserActor, query: DealQuery) => {
  const sort = query.sort ?? { by: "createdAt", dir: "desc" };
  const column = SORT_COLUMNS[sort.by];
  const statement = db
    .selectFrom("deals")
    .where(where(actor, query.filter, isPostgres(db)))
    .where((eb) => {
      const { after } = query;
      if (!after) return eb.and([]);
      // A row value: both stores read it from the (org, sort column, id) index as a range.
      const pair = sql`(${sql.ref(`deals.${column}`)}, deals.id)`;
      return sort.dir === "desc"
        ? sql<SqlBool>`${pair} < (${after.value}, ${after.id})`
        : sql<SqlBool>`${pair} > (${after.value}, ${after.id})`;
    })
    .orderBy(`deals.${column}`, sort.dir)
    .orderBy("deals.id", sort.dir)
    .limit(query.limit)
    .offset(query.offset ?? 0);
  return { statement, orderBy: `${column} ${sort.dir}, id ${sort.dir}` };
};

/** A page of the deals in scope, in the query's order, with their solutions and team. */
export const selectDeals = async (db: Db, actor: UserActor, query: DealQuery): Promise<Deal[]> => {
  const { statement, orderBy } = pageOf(db, actor, query);
  const page = statement.select(DEAL_COLUMNS.map((c) => `deals.${c}` as const)).compile();
  const rows = await selectArraysOf(db, page, DEAL_READ, orderBy);
  return dealsOfValues(db, rows);
};

/** The ids alone of the same page, in the same order: what the list's windows keep. */
export const selectDealIds = async (
  db: Db,
  actor: UserActor,
  query: DealQuery,
): Promise<string[]> => {
  const rows = await pageOf(db, actor, query).statement.select("deals.id").execute();
  return rows.map((r) => r.id);
};

/**
 * A page of deals in scope (with their solutions and team) and how many matched in all;
 * `count` replaces the count query (the list passes its cached count).
 */
export const queryDeals = async (
  db: Db,
  actor: UserActor,
  query: DealQuery,
  count: () => Promise<number> = () => countDeals(db, actor, query.filter, query.countCap),
) => {
  const [deals, total] = await Promise.all([selectDeals(db, actor, query), count()]);
  return { deals, total };
};
