/**
 * Whether the audit trail's import filter (`GET /api/audit?import=`) deserves an index: what
 * `audit_events (import_id, id) where import_id is not null` costs the create and update
 * imports of 1,000 rows (a store with it against one without, interleaved round by round), and
 * what it saves the first page of an old import's entries on a trail of TRAIL_IMPORTS imports
 * (the same query before and after the index is added). Both stores, Markdown on standard output
 * (`node dist/bench/audit-index-cost.js`; ROUNDS, TRAIL_IMPORTS). See
 * docs/decisions/0020-hostile-vendor-shared-sign-in-audit-index.md.
 */
import { loadavg } from "node:os";
import { sql } from "kysely";
import { importDeals } from "../src/server/commands/import-deals.js";
import { findAuditEvents } from "../src/server/db/audit-repo.js";
import { createRows, fileOf, freshOrg } from "./data.js";
import { COST_STORES, IMPORT_COST_HEADER, importCostRows, loadLine } from "./import-trials.js";
import { just, measure } from "./stats.js";
import type { BenchStore } from "./stores.js";

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const TRAIL_IMPORTS = Number(process.env.TRAIL_IMPORTS ?? 50);
const INDEX = "audit_events_import_idx";
const log = (message: string) => process.stderr.write(`audit-index-cost: ${message}\n`);

async function addIndex(store: BenchStore): Promise<void> {
  await sql`create index ${sql.id(INDEX)} on audit_events (import_id, id) where import_id is not null`.execute(
    store.db,
  );
  if (store.dialect === "postgres") await sql`analyze audit_events`.execute(store.db);
  else await sql`analyze`.execute(store.db);
}

/** The first page of the oldest import's entries, timed without and then with the index. */
async function queryCost(store: BenchStore): Promise<[number, number, number]> {
  const actor = await freshOrg(store);
  let first: string | null = null;
  for (let i = 0; i < TRAIL_IMPORTS; i++) {
    const result = await importDeals(store, { actor, bytes: fileOf(createRows()) });
    first ??= result.importId;
  }
  const entries = await store.db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const page = just(() =>
    findAuditEvents(store.db, actor.orgId, { importId: first ?? "" }, { limit: 50 }),
  );
  const repeat = { warmup: 2, runs: ROUNDS };
  const without = await measure(repeat, page);
  await addIndex(store);
  const withIndex = await measure(repeat, page);
  return [Number(entries.n), withIndex.median, without.median];
}

async function main(): Promise<void> {
  const imports: string[] = [];
  const queries: string[] = [];
  const before = loadavg();
  for (const [label, open] of COST_STORES) {
    const withIndex = await open();
    const without = await open();
    try {
      await addIndex(withIndex);
      log(`${label}: ${ROUNDS} rounds of imports`);
      imports.push(...(await importCostRows(label, withIndex, without, ROUNDS)));
      log(`${label}: a trail of ${TRAIL_IMPORTS} imports, then the query`);
      const [entries, withMs, withoutMs] = await queryCost(without);
      queries.push(
        `| ${label} | ${entries.toLocaleString("en-US")} | ${withMs.toFixed(2)} | ${withoutMs.toFixed(2)} |`,
      );
    } finally {
      await withIndex.close();
      await without.close();
    }
  }
  process.stdout.write(
    [
      loadLine(before, loadavg(), ROUNDS),
      "",
      ...IMPORT_COST_HEADER,
      ...imports,
      "",
      "| store | trail entries | oldest import's first page with the index, ms | without, ms |",
      "|---|---|---|---|",
      ...queries,
      "",
    ].join("\n"),
  );
}

await main();
