/**
 * What the search index (migration 0010) costs the imports: the create and update imports of
 * 1,000 rows on a store with the index and on one without it (its triggers or GIN indexes
 * dropped), interleaved round by round so load hits both alike. Both stores, Markdown on
 * standard output (`node dist/bench/search-index-cost.js`). See docs/decisions/0010-search-index.md.
 */
import { loadavg } from "node:os";
import { sql } from "kysely";
import { createTrial, updateTrial } from "./import-trials.js";
import { measureAll } from "./stats.js";
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

/** A PostgreSQL variant of the indexes, applied to a fresh store before it is measured. */
interface PgVariant {
  readonly label: string;
  readonly setUp: (store: BenchStore) => Promise<void>;
}

const PG_VARIANTS: readonly PgVariant[] = [
  { label: "GIN, default settings", setUp: async () => {} },
  { label: "no search index", setUp: dropIndex },
  {
    label: "GIN, fastupdate off",
    setUp: async (store) => {
      await sql`alter index deals_search_trgm_idx set (fastupdate = off)`.execute(store.db);
      await sql`alter index deals_customer_trgm_idx set (fastupdate = off)`.execute(store.db);
    },
  },
  {
    label: "GIN, gin_pending_list_limit 64 MB",
    setUp: async (store) => {
      await sql`alter index deals_search_trgm_idx set (gin_pending_list_limit = 65536)`.execute(
        store.db,
      );
      await sql`alter index deals_customer_trgm_idx set (gin_pending_list_limit = 65536)`.execute(
        store.db,
      );
    },
  },
  {
    label: "search GIN only (customer index dropped)",
    setUp: async (store) => {
      await sql`drop index if exists deals_customer_trgm_idx`.execute(store.db);
    },
  },
];

async function sqliteCost(lines: string[]): Promise<void> {
  const withIndex = await openSqliteBenchStore();
  const without = await openSqliteBenchStore();
  try {
    await dropIndex(without);
    log(`sqlite: ${ROUNDS} rounds`);
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
        `| sqlite | ${name} | FTS5 trigram | ${x.median.toFixed(1)} | ${y.median.toFixed(1)} | ${(x.median / y.median).toFixed(2)}× |`,
      );
    }
  } finally {
    await withIndex.close();
    await without.close();
  }
}

async function postgresCost(lines: string[]): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL;
  const stores: BenchStore[] = [];
  try {
    for (const variant of PG_VARIANTS) {
      const store = await openPostgresBenchStore(url);
      stores.push(store);
      await variant.setUp(store);
    }
    log(`postgres: ${ROUNDS} rounds, ${PG_VARIANTS.length} variants`);
    const results = await measureAll({ warmup: 2, runs: ROUNDS }, [
      ...stores.map(createTrial),
      ...stores.map(updateTrial),
    ]);
    const n = PG_VARIANTS.length;
    const baseline = (offset: number) => results[offset + 1]?.median;
    PG_VARIANTS.forEach((variant, i) => {
      for (const [name, offset] of [
        ["create 1,000 rows", 0],
        ["update 1,000 rows", n],
      ] as const) {
        const x = results[offset + i];
        const y = baseline(offset);
        if (!x || !y) continue;
        lines.push(
          `| postgres | ${name} | ${variant.label} | ${x.median.toFixed(1)} | ${y.toFixed(1)} | ${(x.median / y).toFixed(2)}× |`,
        );
      }
    });
  } finally {
    for (const store of stores) await store.close();
  }
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const before = loadavg();
  if (process.env.STORES !== "postgres") await sqliteCost(lines);
  if (process.env.STORES !== "sqlite") await postgresCost(lines);
  const after = loadavg();
  process.stdout.write(
    [
      `Load average before: ${before.map((l) => l.toFixed(2)).join(", ")}; after: ${after.map((l) => l.toFixed(2)).join(", ")}; ${ROUNDS} rounds after 2 warm-up, medians.`,
      "",
      "| store | import | variant | ms | without any search index, ms | ratio |",
      "|---|---|---|---|---|---|",
      ...lines,
      "",
    ].join("\n"),
  );
}

await main();
