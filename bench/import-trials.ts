/**
 * The two import trials an index's cost is measured with (search-index-cost, audit-index-cost):
 * a create import of 1,000 rows into a fresh organisation, and an update import of the same
 * 1,000 deals, each checked for its counts and its organisation purged after; and the table
 * of their times with and without an index.
 */
import { importDeals } from "../src/server/commands/import-deals.js";
import type { Store } from "../src/server/db/store.js";
import { createRows, fileOf, freshOrg, IMPORT_ROWS, purgeOrg } from "./data.js";
import { createdWorld, expectCounts } from "./import-scenarios.js";
import { measureAll, trial } from "./stats.js";
import {
  type BenchStore,
  DEFAULT_PG_URL,
  openPostgresBenchStore,
  openSqliteBenchStore,
} from "./stores.js";

export const createTrial = (store: Store) =>
  trial(
    async () => ({ actor: await freshOrg(store), bytes: fileOf(createRows()) }),
    async ({ actor, bytes }) => {
      expectCounts(await importDeals(store, { actor, bytes }), { created: IMPORT_ROWS });
    },
    ({ actor }) => purgeOrg(store, actor.orgId),
  );

export const updateTrial = (store: Store) =>
  trial(
    () => createdWorld(store),
    async ({ actor, updateFile }) => {
      expectCounts(await importDeals(store, { actor, bytes: updateFile }), {
        updated: IMPORT_ROWS,
      });
    },
    ({ actor }) => purgeOrg(store, actor.orgId),
  );

/** The two stores an index's cost is measured on: SQLite, and PostgreSQL (BENCH_DATABASE_URL). */
export const COST_STORES: readonly [string, () => Promise<BenchStore>][] = [
  ["sqlite", openSqliteBenchStore],
  ["postgres", () => openPostgresBenchStore(process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL)],
];

/**
 * The create and update imports on a store with the index and on one without, interleaved
 * round by round so load hits both alike: one Markdown table row per import.
 */
export async function importCostRows(
  label: string,
  withIndex: BenchStore,
  without: BenchStore,
  rounds: number,
): Promise<string[]> {
  const [a, b, c, d] = await measureAll({ warmup: 2, runs: rounds }, [
    createTrial(withIndex),
    createTrial(without),
    updateTrial(withIndex),
    updateTrial(without),
  ]);
  const rows: string[] = [];
  for (const [name, x, y] of [
    ["create 1,000 rows", a, b],
    ["update 1,000 rows", c, d],
  ] as const) {
    if (!x || !y) continue;
    rows.push(
      `| ${label} | ${name} | ${x.median.toFixed(1)} | ${y.median.toFixed(1)} | ${(x.median / y.median).toFixed(2)}× |`,
    );
  }
  return rows;
}

/** The run's conditions, first line of a cost report. */
export const loadLine = (before: number[], after: number[], rounds: number): string =>
  `Load average before: ${before.map((l) => l.toFixed(2)).join(", ")}; after: ${after.map((l) => l.toFixed(2)).join(", ")}; ${rounds} rounds after 2 warm-up, medians.`;

export const IMPORT_COST_HEADER = [
  "| store | import | with the index, ms | without, ms | ratio |",
  "|---|---|---|---|---|",
];
