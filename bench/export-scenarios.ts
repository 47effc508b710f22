/**
 * Scenario 4 and floor (b): exporting 5,000 of 100,000 deals — all of them, filtered by
 * countries and deal type, and by a search term — and the plain SELECT + CSV of the same deals.
 */
import { sql } from "kysely";
import type { DealFilter } from "../src/core/deal-filter.js";
import { DEFAULT_LIMITS } from "../src/core/limits.js";
import type { UserActor } from "../src/core/actor.js";
import { exportDeals } from "../src/server/commands/export-deals.js";
import { insertDeals } from "../src/server/db/deals-repo.js";
import { freshOrg, SEARCH_TERM, SEED_DEALS, seedDeals } from "./data.js";
import { dealColumns, exportFloor, type FloorWhere } from "./floors.js";
import type { Result } from "./result.js";
import { just, measureAll, type Repeat, time } from "./stats.js";
import type { BenchStore } from "./stores.js";

const EXPORTED = DEFAULT_LIMITS.exportRecords;

export interface Variant {
  scenario: string;
  floor: string;
  filter: DealFilter;
  /** The same filter, hand-written for the floor. */
  where: (orgId: string, dialect: BenchStore["dialect"]) => FloorWhere;
}

export const EXPORT_VARIANTS: readonly Variant[] = [
  {
    scenario: "4a. export 5,000 of 100,000 deals: no filter",
    floor: "floor (b) of 4a: plain SELECT of the same 5,000 + children, plain CSV",
    filter: {},
    where: (orgId) => ({ sql: "org_id = ?", params: [orgId] }),
  },
  {
    scenario: "4b. export 5,000: countries US,FR + type Co-sell",
    floor: "floor (b) of 4b",
    filter: { countries: ["US", "FR"], type: "Co-sell" },
    where: (orgId) => ({
      sql: "org_id = ? and customer_country in (?, ?) and help_required = 1",
      params: [orgId, "US", "FR"],
    }),
  },
  {
    scenario: `4c. export 5,000: search "${SEARCH_TERM}"`,
    floor: "floor (b) of 4c",
    filter: { search: SEARCH_TERM },
    // Through the search index (migration 0010), as the least work the database must do.
    where: (orgId, dialect) =>
      dialect === "sqlite"
        ? {
            sql: "org_id = ? and rowid in (select rowid from deals_search where deals_search match ?)",
            params: [orgId, `search_text : "${SEARCH_TERM}"`],
          }
        : { sql: "org_id = ? and search_text like ?", params: [orgId, `%${SEARCH_TERM}%`] },
  },
];

export interface Seeded {
  actor: UserActor;
  columns: string[];
  /** Building the deals in memory is not timed; the one transaction of insertDeals is. */
  seedMs: number;
  /** PostgreSQL: ANALYZE after the load, as autovacuum would do soon after; 0 on SQLite. */
  analyzeMs: number;
}

/** 100,000 deals (+ 300,000 solutions and 300,000 team members) for one organisation. */
export async function seed(store: BenchStore): Promise<Seeded> {
  const actor = await freshOrg(store);
  const deals = seedDeals(actor.orgId, SEED_DEALS);
  const first = deals[0];
  if (!first) throw new Error("nothing to seed");
  const { ms: seedMs } = await time(() =>
    store.db.transaction().execute((trx) => insertDeals(trx, deals)),
  );
  const { ms: analyzeMs } =
    store.dialect === "postgres" ? await time(() => sql`analyze`.execute(store.db)) : { ms: 0 };
  return { actor, columns: dealColumns(first), seedMs, analyzeMs };
}

export async function exportScenarios(
  store: BenchStore,
  seeded: Seeded,
  repeat: Repeat,
): Promise<Result[]> {
  const { actor, columns } = seeded;
  const trials = EXPORT_VARIANTS.flatMap((v) => [
    just(async () => {
      const r = await exportFloor(
        store.db,
        store.dialect,
        columns,
        v.where(actor.orgId, store.dialect),
        EXPORTED,
      );
      if (r.count !== EXPORTED) throw new Error(`${v.floor}: selected ${r.count} deals`);
    }),
    just(async () => {
      const r = await exportDeals(store, { actor, filter: v.filter });
      if (r.count !== EXPORTED) throw new Error(`${v.scenario}: exported ${r.count} deals`);
    }),
  ]);
  const samples = await measureAll(repeat, trials);
  return EXPORT_VARIANTS.flatMap((v, i): Result[] => {
    const floorSample = samples[2 * i];
    const sample = samples[2 * i + 1];
    if (!floorSample || !sample) throw new Error("a trial has no sample");
    const floor = { scenario: v.floor, store: store.label, sample: floorSample };
    return [
      { scenario: v.scenario, store: store.label, sample, floor, target: { maxMs: 300 } },
      floor,
    ];
  });
}
