/**
 * Where an export's time goes: its steps — the page of deals, the count of all matches,
 * the page's solutions and team members, the CSV — each timed alone, beside the whole
 * `exportDeals`. On PostgreSQL the page and the count run side by side on two
 * connections; on SQLite's one connection they run one after the other.
 */

import { sql } from "kysely";
import { writeExportFile } from "../src/core/export/export-file.js";
import { DEFAULT_LIMITS } from "../src/core/limits.js";
import { exportDeals } from "../src/server/commands/export-deals.js";
import { countDeals, selectDealRows } from "../src/server/db/deal-query.js";
import { hydrate } from "../src/server/db/deals-repo.js";
import { EXPORT_VARIANTS, type Seeded } from "./export-scenarios.js";
import { selectChildren } from "./floors.js";
import { markdownTable, ms } from "./report.js";
import { just, measureAll, type Repeat } from "./stats.js";
import type { BenchStore } from "./stores.js";

const STEPS = [
  "SELECT the page of 5,000 deals (selectDealRows)",
  "COUNT every match (countDeals)",
  "SELECT their solutions and team (hydrate: 2,000 ids per IN list, 6 statements)",
  "  the same rows in 2 statements (floor (b)'s way: PostgreSQL `= any($1)`, SQLite one IN list)",
  "write the CSV (writeExportFile)",
  "whole exportDeals",
];

export async function profileExport(
  store: BenchStore,
  seeded: Seeded,
  repeat: Repeat,
): Promise<string> {
  const { actor } = seeded;
  const columns: string[][] = [];
  for (const v of EXPORT_VARIANTS) {
    const query = { filter: v.filter, limit: DEFAULT_LIMITS.exportRecords };
    const rows = await selectDealRows(store.db, actor, query);
    const deals = await hydrate(store.db, rows);
    const ids = rows.map((r) => r.id);
    const samples = await measureAll(repeat, [
      just(() => selectDealRows(store.db, actor, query)),
      just(() => countDeals(store.db, actor, v.filter)),
      just(() => hydrate(store.db, rows)),
      just(() => selectChildren(store.db, store.dialect, ids)),
      just(async () => writeExportFile(deals, "en")),
      just(() => exportDeals(store, { actor, filter: v.filter })),
    ]);
    columns.push(samples.map((s) => ms(s.median)));
  }
  const steps = markdownTable(
    ["export step (median ms)", ...EXPORT_VARIANTS.map((v) => v.scenario.slice(0, 3))],
    STEPS.map((step, i) => [step, ...columns.map((c) => c[i] ?? "")]),
  );
  return [steps, "", await withFilterIndex(store, seeded, repeat)].join("\n");
}

const FILTER_INDEX = [
  "org_id",
  "customer_country",
  "help_required",
  "share_with_microsoft",
] as const;

/**
 * Export 4b again with an index that holds every column its filter reads, so the count
 * never visits the table. The index is dropped afterwards: later experiments write here.
 */
async function withFilterIndex(store: BenchStore, seeded: Seeded, repeat: Repeat): Promise<string> {
  const { actor } = seeded;
  const v = EXPORT_VARIANTS[1];
  if (!v) throw new Error("no filtered export variant");
  const query = { filter: v.filter, limit: DEFAULT_LIMITS.exportRecords };
  const trials = [
    just(() => countDeals(store.db, actor, v.filter)),
    just(() => selectDealRows(store.db, actor, query)),
    just(() => exportDeals(store, { actor, filter: v.filter })),
  ];
  const before = await measureAll(repeat, trials);
  const index = store.db.schema.createIndex("bench_deals_filter_idx").on("deals");
  await index.columns([...FILTER_INDEX]).execute();
  if (store.dialect === "postgres") await sql`analyze deals`.execute(store.db);
  const after = await measureAll(repeat, trials);
  await store.db.schema.dropIndex("bench_deals_filter_idx").execute();
  const names = ["COUNT every match", "SELECT the page of 5,000 deals", "whole exportDeals"];
  return markdownTable(
    [
      `${v.scenario.slice(0, 3)} (median ms)`,
      "as today",
      `+ index on deals (${FILTER_INDEX.join(", ")})`,
    ],
    names.map((n, i) => [
      n,
      ms(before[i]?.median ?? Number.NaN),
      ms(after[i]?.median ?? Number.NaN),
    ]),
  );
}
