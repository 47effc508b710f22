/**
 * What the search index (migration 0010) costs the imports: the create and update imports of
 * 1,000 rows on a store with the index and on one without it (its triggers or GIN indexes
 * dropped), interleaved round by round so load hits both alike. Both stores, Markdown on
 * standard output (`node dist/bench/search-index-cost.js`). See docs/decisions/0010-search-index.md.
 */
import { loadavg } from "node:os";
import { sql } from "kysely";
import { importDeals } from "../src/server/commands/import-deals.js";
import { createRows, fileOf, freshOrg, IMPORT_ROWS, purgeOrg } from "./data.js";
import { createdWorld, expectCounts } from "./import-scenarios.js";
import { measureAll, trial } from "./stats.js";
import {
  type BenchStore,
  DEFAULT_PG_URL,
  openPostgresBenchStore,
  openSqliteBenchStore,
} from "./stores.js";

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const log = (message: string) => process.stderr.write(`search-index-cost: ${message}\n`);

async function dropIndex(store: BenchStore): Promise<void> {
  if (store.dialect === "sqlite") {
    for (const t of ["deals_search_insert", "deals_search_delete", "deals_search_update"]) {
      await sql`drop trigger ${sql.id(t)}`.execute(store.db);
    }
  } else {
    await sql`drop index if exists deals_search_trgm_idx`.execute(store.db);
    await sql`drop index if exists deals_customer_trgm_idx`.execute(store.db);
  }
}

const createTrial = (store: BenchStore) =>
  trial(
    async () => ({ actor: await freshOrg(store), bytes: fileOf(createRows()) }),
    async ({ actor, bytes }) => {
      expectCounts(await importDeals(store, { actor, bytes }), { created: IMPORT_ROWS });
    },
    ({ actor }) => purgeOrg(store, actor.orgId),
  );

const updateTrial = (store: BenchStore) =>
  trial(
    () => createdWorld(store),
    async ({ actor, updateFile }) => {
      expectCounts(await importDeals(store, { actor, bytes: updateFile }), {
        updated: IMPORT_ROWS,
      });
    },
    ({ actor }) => purgeOrg(store, actor.orgId),
  );

async function main(): Promise<void> {
  const lines: string[] = [];
  const before = loadavg();
  const opens: [string, () => Promise<BenchStore>][] = [
    ["sqlite", openSqliteBenchStore],
    ["postgres", () => openPostgresBenchStore(process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL)],
  ];
  for (const [label, open] of opens) {
    const withIndex = await open();
    const without = await open();
    try {
      await dropIndex(without);
      log(`${label}: ${ROUNDS} rounds`);
      const [a, b, c, d] = await measureAll({ warmup: 2, runs: ROUNDS }, [
        createTrial(withIndex),
        createTrial(without),
        updateTrial(withIndex),
        updateTrial(without),
      ]);
      for (const [name, x, y] of [
        ["create 1,000 rows", a, b],
        ["update 1,000 rows", c, d],
      ] as const) {
        if (!x || !y) continue;
        lines.push(
          `| ${label} | ${name} | ${x.median.toFixed(1)} | ${y.median.toFixed(1)} | ${(x.median / y.median).toFixed(2)}× |`,
        );
      }
    } finally {
      await withIndex.close();
      await without.close();
    }
  }
  const after = loadavg();
  process.stdout.write(
    [
      `Load average before: ${before.map((l) => l.toFixed(2)).join(", ")}; after: ${after.map((l) => l.toFixed(2)).join(", ")}; ${ROUNDS} rounds after 2 warm-up, medians.`,
      "",
      "| store | import | with the index, ms | without, ms | ratio |",
      "|---|---|---|---|---|",
      ...lines,
      "",
    ].join("\n"),
  );
}

await main();
