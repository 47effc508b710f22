import type { FieldKey, ListKey } from "../../core/columns.js";
import type { Deal } from "../../core/deal.js";
import { type DealInput, dealInputRow, fieldOfColumn } from "../../core/deal-input.js";
import { RequestError, type RowError } from "../../core/errors.js";
import { mapHeaders } from "../../core/header-map.js";
import { planImport, referencedIds } from "../../core/import/plan-import.js";
import { parseImportRows } from "../../core/import/read-import-file.js";
import { DEFAULT_LIMITS, type Limits } from "../../core/limits.js";
import type { RowContext, RowOutcome } from "../../core/row/plan-row.js";
import type { DealQuery } from "../../core/deal-query.js";
import { bumpDealListVersion, readDealListVersion } from "../db/deal-list-version.js";
import {
  countDeals,
  estimateDeals,
  matchKeyOf,
  queryDeals,
  selectDealIds,
} from "../db/deal-query.js";
import type { Db } from "../db/db.js";
import { findDealsByCrmIds, findDealsByIds, insertDeals, updateDeals } from "../db/deals-repo.js";
import type { Store } from "../db/store.js";
import type { LruCache } from "../lru-cache.js";
import { canSee, requiredMember, type UserActor } from "../../core/actor.js";
import {
  type AuditOrigin,
  auditContext,
  auditEvent,
  httpOrigin,
  insertAuditEvents,
} from "./audit.js";
import { newDeal } from "./import-prepare.js";

/** The list counts up to this many matches exactly; past it the page says "10,000+". */
export const LIST_COUNT_CAP = 10_000;

/** A deal as one person sees it. */
export interface DealView {
  deal: Deal;
  favorite: boolean;
}

/** A row error, with the input property its column stands for (null for a row-level error). */
export interface DealInputError extends RowError {
  field: FieldKey | ListKey | null;
}

export type DealWrite =
  | { result: "Created" | "Updated" | "Unchanged"; view: DealView }
  | { result: "Not processed"; errors: DealInputError[] }
  /** The deal is no longer at the version the caller read: nothing was written. */
  | { result: "Stale"; version: number | null };

export interface WriteOptions {
  /** Where the request came from, for the audit trail (default: this command's own API route). */
  origin?: AuditOrigin;
  limits?: Limits;
  now?: Date;
}

const notFound = (id: string): RequestError =>
  new RequestError(
    "not_found",
    `Deal '${id}' was not found among the deals you can see; check the Referral ID`,
  );

/** The deal if the actor may see it. Another organisation's, out of scope and unknown are alike. */
export const visibleDeal = async (db: Db, actor: UserActor, id: string): Promise<Deal> => {
  const [deal] = await findDealsByIds(db, actor.orgId, [id]);
  if (!deal || !canSee(actor, deal)) throw notFound(id);
  return deal;
};

const favoriteIds = async (
  db: Db,
  actor: UserActor,
  ids: readonly string[],
): Promise<Set<string>> => {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("favorites")
    .select("deal_id")
    .where("user_id", "=", actor.userId)
    .where("deal_id", "in", ids)
    .execute();
  return new Set(rows.map((r) => r.deal_id));
};

/**
 * Capped counts of the list, shared by every page and sort of one filter and scope. Keyed by
 * the organisation's list version read at the start of the request, so a write (which bumps
 * it) makes every older count unreachable.
 */
export interface ListCounts {
  version: number;
  cache: LruCache<number>;
  /**
   * The ordered ids of the first `LIST_WINDOW` deals of each (scope, filter, order), under the
   * same version: the pages within them are cut from it and read by id, instead of each page
   * asking the database to filter and sort again (and walk its OFFSET).
   */
  windows?: LruCache<readonly string[]>;
}

/**
 * The organisation's list version (docs/decisions/0008), to read before any data: a page
 * computed afterwards is at least as new as this version, never older.
 */
export function readListVersion(store: Store, actor: UserActor): Promise<number> {
  return readDealListVersion(store.db, actor.orgId);
}

/**
 * The key of a cached list page: the version, the caller (their stars are in the page), their
 * scope and filter (`matchKeyOf`, beside the query's WHERE), the order and window, and what
 * else shapes the answer (`extra`).
 */
export function listPageKey(
  version: number,
  actor: UserActor,
  query: DealQuery,
  ...extra: unknown[]
): string {
  return JSON.stringify([
    version,
    actor.userId,
    matchKeyOf(actor, query.filter),
    query.sort,
    query.limit,
    query.offset,
    ...extra,
  ]);
}

/** How many deals of one order a window holds: the first 20 pages of 50. */
export const LIST_WINDOW = 1_000;

/**
 * The page cut from the window of its order, or null when the window cannot serve it (past
 * its end, or a cursor it does not hold). `complete` when the window holds every match.
 */
const windowPage = async (
  store: Store,
  actor: UserActor,
  query: DealQuery,
  counts: ListCounts,
): Promise<{ deals: Deal[]; matched: number; complete: boolean } | null> => {
  const { windows } = counts;
  if (!windows) return null;
  const key = `${counts.version} ${JSON.stringify(query.sort ?? null)} ${matchKeyOf(actor, query.filter)}`;
  const ids = await windows.getOrCompute(key, () =>
    selectDealIds(store.db, actor, { filter: query.filter, sort: query.sort, limit: LIST_WINDOW }),
  );
  const complete = ids.length < LIST_WINDOW;
  // With a cursor, the slice starts at the cursor's own deal, read again to check that it is
  // still where its sort value says (it may have changed since the page that gave the cursor).
  const at = query.after ? ids.indexOf(query.after.id) : (query.offset ?? 0);
  if (at < 0) return null;
  const end = at + query.limit + (query.after ? 1 : 0);
  if (end > ids.length && !complete) return null;
  const slice = ids.slice(at, end);
  const byId = new Map((await findDealsByIds(store.db, actor.orgId, slice)).map((d) => [d.id, d]));
  const deals = slice.flatMap((id) => byId.get(id) ?? []);
  if (query.after) {
    const by = query.sort?.by ?? "createdAt";
    const first = deals.shift();
    if (first?.id !== query.after.id || first[by] !== query.after.value) return null;
  }
  return { deals, matched: ids.length, complete };
};

/** A page of the list — the export's own query — with this person's stars. */
export const listDeals = async (
  store: Store,
  actor: UserActor,
  query: DealQuery,
  counts?: ListCounts,
  exact = false,
): Promise<{ items: DealView[]; total: number; totalIsExact: boolean; totalEstimate?: number }> => {
  const cap = exact ? undefined : LIST_COUNT_CAP;
  const count = () => countDeals(store.db, actor, query.filter, cap);
  const cachedCount = counts
    ? () =>
        counts.cache.getOrCompute(
          `${counts.version} ${exact ? "exact" : "capped"} ${matchKeyOf(actor, query.filter)}`,
          count,
        )
    : count;
  const windowed = counts ? await windowPage(store, actor, query, counts) : null;
  const { deals, total: counted } = windowed
    ? {
        deals: windowed.deals,
        // A window that holds every match has counted them.
        total: windowed.complete ? windowed.matched : await cachedCount(),
      }
    : await queryDeals(store.db, actor, query, cachedCount);
  const totalIsExact = exact || counted <= LIST_COUNT_CAP;
  const total = exact ? counted : Math.min(counted, LIST_COUNT_CAP);
  // Past the cap, the planner's guess (PostgreSQL) — shown as "about", only when it agrees
  // that more than the cap match.
  const estimate = totalIsExact ? null : await estimateDeals(store.db, actor, query.filter);
  const ids = deals.map((d) => d.id);
  const starred =
    query.filter.tab === "favorites" ? new Set(ids) : await favoriteIds(store.db, actor, ids);
  return {
    items: deals.map((deal) => ({ deal, favorite: starred.has(deal.id) })),
    total,
    totalIsExact,
    ...(estimate !== null && estimate > LIST_COUNT_CAP ? { totalEstimate: estimate } : {}),
  };
};

export const getDeal = async (store: Store, actor: UserActor, id: string): Promise<DealView> => {
  const deal = await visibleDeal(store.db, actor, id);
  const starred = await favoriteIds(store.db, actor, [deal.id]);
  return { deal, favorite: starred.has(deal.id) };
};

/** Stars or unstars a deal the actor can see; doing it twice changes nothing. */
export const setFavorite = async (
  store: Store,
  actor: UserActor,
  id: string,
  favorite: boolean,
  now = new Date(),
): Promise<void> => {
  const deal = await visibleDeal(store.db, actor, id);
  await store.db.transaction().execute(async (trx) => {
    if (favorite) {
      await trx
        .insertInto("favorites")
        .values({ user_id: actor.userId, deal_id: deal.id, created_at: now.toISOString() })
        .onConflict((oc) => oc.columns(["user_id", "deal_id"]).doNothing())
        .execute();
    } else {
      await trx
        .deleteFrom("favorites")
        .where("user_id", "=", actor.userId)
        .where("deal_id", "=", deal.id)
        .execute();
    }
    // The list shows each deal's star.
    await bumpDealListVersion(trx, actor.orgId);
  });
};

const inputErrors = (errors: readonly RowError[]): DealInputError[] =>
  errors.map((e) => ({ ...e, field: fieldOfColumn(e.column) }));

/** Plans a body as one import row, with the import's own look-ups and rules. */
const planInput = async (
  db: Db,
  actor: UserActor,
  input: DealInput,
  current: Deal | null,
  limits: Limits,
): Promise<RowOutcome> => {
  const row = dealInputRow(input, current ? { referralId: current.id } : { create: true });
  const map = mapHeaders(row.headers);
  const file = parseImportRows(
    { encoding: "utf-8", delimiter: ",", map, records: [{ line: 1, cells: row.cells }] },
    limits,
  );
  // A new deal's CRM ID must not be taken (SPEC §4): the importer's guard, with its look-up.
  const { crmIds } = referencedIds(file);
  const byCrmId = new Map<string, { deal: Deal | null; id: string }[]>();
  for (const d of await findDealsByCrmIds(db, actor.orgId, crmIds)) {
    if (!d.crmId) continue;
    const seen = { deal: canSee(actor, d) ? d : null, id: d.id };
    byCrmId.set(d.crmId, [...(byCrmId.get(d.crmId) ?? []), seen]);
  }
  const ctx: RowContext = { map, limits, mode: "import", requiredMember: requiredMember(actor) };
  const visible = new Map(current ? [[current.id, current]] : []);
  const [planned] = planImport(file, { visible, byCrmId }, ctx, { upsertByCrmId: false });
  if (!planned) throw new Error("planImport returned no row for a one-row file");
  return planned.outcome;
};

/** Creates an outbound deal from a JSON body, exactly as an import row without Referral ID would. */
export const createDeal = async (
  store: Store,
  actor: UserActor,
  input: DealInput,
  options: WriteOptions = {},
): Promise<DealWrite> => {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const now = (options.now ?? new Date()).toISOString();
  const outcome = await planInput(store.db, actor, input, null, limits);
  if (outcome.result === "Not processed") {
    return { result: "Not processed", errors: inputErrors(outcome.errors) };
  }
  const deal = newDeal(outcome.fields, actor, now);
  await store.db.transaction().execute(async (trx) => {
    await insertDeals(trx, [deal]);
    const origin = options.origin ?? httpOrigin("POST", "/api/deals");
    const ctx = auditContext(actor, actor.orgId, origin, now);
    await insertAuditEvents(trx, [auditEvent(ctx, deal.id, "create", null)]);
    await bumpDealListVersion(trx, actor.orgId);
  });
  return { result: "Created", view: { deal, favorite: false } };
};

/**
 * Updates a deal the actor can see, as an import row with its Referral ID would, provided it
 * is still at `expectedVersion` (null: whatever version it is at). Fields the body leaves out
 * stay as they are; the status pair, which the row rules require, defaults to the current one.
 */
export const updateDeal = async (
  store: Store,
  actor: UserActor,
  id: string,
  expectedVersion: number | null,
  input: DealInput,
  options: WriteOptions = {},
): Promise<DealWrite> => {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const now = (options.now ?? new Date()).toISOString();
  const current = await visibleDeal(store.db, actor, id);
  if (expectedVersion !== null && current.version !== expectedVersion) {
    return { result: "Stale", version: current.version };
  }
  const row: DealInput = {
    ...input,
    status: input.status === undefined ? current.status : input.status,
    substatus: input.substatus === undefined ? current.substatus : input.substatus,
  };
  const outcome = await planInput(store.db, actor, row, current, limits);
  if (outcome.result === "Not processed") {
    return { result: "Not processed", errors: inputErrors(outcome.errors) };
  }
  const favorite = (await favoriteIds(store.db, actor, [current.id])).has(current.id);
  if (outcome.result !== "Updated") {
    return { result: "Unchanged", view: { deal: current, favorite } };
  }

  const deal: Deal = {
    ...current,
    ...outcome.fields,
    updatedAt: now,
    version: current.version + 1,
  };
  const written = await store.db.transaction().execute(async (trx) => {
    const conflicts = await updateDeals(trx, [{ before: current, after: deal }]);
    if (conflicts.length > 0) return false;
    const origin = options.origin ?? httpOrigin("PATCH", "/api/deals/:id");
    const ctx = auditContext(actor, actor.orgId, origin, now);
    await insertAuditEvents(
      trx,
      outcome.changes.map((c) => auditEvent(ctx, deal.id, "update", c)),
    );
    await bumpDealListVersion(trx, actor.orgId);
    return true;
  });
  if (!written) return { result: "Stale", version: null };
  return { result: "Updated", view: { deal, favorite } };
};
