/**
 * Where an export's time goes: its steps — the page of deals, the count of all matches,
 * the page's solutions and team members, the CSV — each timed alone, beside the whole
 * `exportDeals`. On PostgreSQL the page and the count run side by side on two
 * connections; on SQLite's one connection they run one after the other.
 */

import { writeExportFile } from "../src/core/export/export-file.js";
import { DEFAULT_LIMITS } from "../src/core/limits.js";
import { exportDeals } from "../src/server/commands/export-deals.js";
import { countDeals, selectDeals } from "../src/server/db/deal-query.js";
import { EXPORT_VARIANTS, type Seeded } from "./export-scenarios.js";
import { selectChildren } from "./floors.js";
import { markdownTable, ms } from "./report.js";
import { just, measureAll, type Repeat } from "./stats.js";
import type { BenchStore } from "./stores.js";

const STEPS = [
  "SELECT the page of 5,000 deals with their solutions and team (selectDeals: 3 statements)",
  "COUNT every match (countDeals)",
  "  their solutions and team alone, as rows (floor (b)'s way: 2 statements)",
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
    const deals = await selectDeals(store.db, actor, query);
    const ids = deals.map((d) => d.id);
    const samples = await measureAll(repeat, [
      just(() => selectDeals(store.db, actor, query)),
      just(() => countDeals(store.db, actor, v.filter)),
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
  return steps;
}
