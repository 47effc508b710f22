/**
 * Writing the deals of a 1,000-row import, the engine's way and the alternatives suggested
 * for it: the repository's INSERTs against raw multi-row ones, and one UPDATE per deal
 * against a batched UPDATE … FROM (VALUES …) and, on SQLite, a prepared statement reused.
 * Each runs inside a transaction that is rolled back, so every run meets the same deals.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { CompiledQuery, type Transaction } from "kysely";
import Sqlite from "libsql";
import type { Deal } from "../src/core/deal.js";
import {
  dealToRow,
  findDealsByIds,
  insertDeals,
  updateDeals,
} from "../src/server/db/deals-repo.js";
import type { Database } from "../src/server/db/schema.js";
import type { StoreDialect } from "../src/server/db/store.js";
import { insertPlain } from "./floors.js";
import { createdWorld } from "./import-scenarios.js";
import { markdownTable, ms } from "./report.js";
import { measureAll, type Repeat, type Trial } from "./stats.js";
import type { BenchStore } from "./stores.js";

class Rollback extends Error {}

/** Times `fn` inside a transaction, then rolls it back. */
async function rolledBack(
  store: BenchStore,
  fn: (trx: Transaction<Database>) => Promise<void>,
): Promise<number> {
  let elapsed = 0;
  try {
    await store.db.transaction().execute(async (trx) => {
      const start = performance.now();
      await fn(trx);
      elapsed = performance.now() - start;
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return elapsed;
}

type Update = { deal: Deal; expectedVersion: number; lists: boolean };

const NON_TEXT: Readonly<Record<string, string>> = {
  close_reason: "integer",
  sales_stage: "integer",
  value: "double precision",
  help_required: "integer",
  help_type: "integer",
  share_with_microsoft: "integer",
  consent: "integer",
  version: "integer",
};

const setColumns = (deal: Deal): { key: string[]; set: Record<string, unknown> } => {
  const { id, org_id, created_at, ...set } = dealToRow(deal);
  return { key: [id, org_id], set };
};

/**
 * The suggested batched UPDATE, valid on both dialects: the new rows as a VALUES list,
 * joined on id, org and expected version; RETURNING says which rows were written.
 */
async function batchedUpdate(
  trx: Transaction<Database>,
  dialect: StoreDialect,
  updates: readonly Update[],
  perStatement = 500,
): Promise<string[]> {
  const first = updates[0];
  if (!first) return [];
  const columns = Object.keys(setColumns(first.deal).set);
  const vColumns = ["v_id", "v_org", "v_expected", ...columns];
  const assign = columns
    .map((c) => `${c} = ${NON_TEXT[c] ? `cast(v.${c} as ${NON_TEXT[c]})` : `v.${c}`}`)
    .join(", ");
  const written = new Set<string>();
  for (let i = 0; i < updates.length; i += perStatement) {
    const part = updates.slice(i, i + perStatement);
    let n = 0;
    const p = () => (dialect === "postgres" ? `$${++n}` : "?");
    const tuples = part.map(() => `(${vColumns.map(p).join(",")})`).join(",");
    const params = part.flatMap((u) => {
      const { key, set } = setColumns(u.deal);
      return [...key, u.expectedVersion, ...columns.map((c) => set[c])];
    });
    const text =
      `with v(${vColumns.join(",")}) as (values ${tuples}) ` +
      `update deals set ${assign} from v ` +
      `where deals.id = v.v_id and deals.org_id = v.v_org and deals.version = cast(v.v_expected as integer) ` +
      "returning id";
    const result = await trx.executeQuery<{ id: string }>(CompiledQuery.raw(text, params));
    for (const r of result.rows) written.add(r.id);
  }
  return updates.map((u) => u.deal.id).filter((id) => !written.has(id));
}

/** SQLite only: one prepared UPDATE reused for every deal, on a raw driver connection. */
function preparedUpdates(file: string, updates: readonly Update[], reuse: boolean): number {
  const raw = new Sqlite(file);
  try {
    raw.pragma("busy_timeout = 5000");
    const first = updates[0];
    if (!first) return 0;
    const columns = Object.keys(setColumns(first.deal).set);
    const text = `update deals set ${columns.map((c) => `${c} = ?`).join(", ")} where id = ? and org_id = ? and version = ?`;
    raw.exec("begin");
    const start = performance.now();
    const statement = raw.prepare(text);
    let written = 0;
    for (const u of updates) {
      const { key, set } = setColumns(u.deal);
      const s = reuse ? statement : raw.prepare(text);
      written += s.run([...columns.map((c) => set[c]), ...key, u.expectedVersion]).changes;
    }
    const elapsed = performance.now() - start;
    raw.exec("rollback");
    if (written !== updates.length) throw new Error(`prepared UPDATE wrote ${written} rows`);
    return elapsed;
  } finally {
    raw.close();
  }
}

/** Writing the 1,000 deals of an import, the engine's way and the alternatives, rolled back. */
export async function writeExperiments(store: BenchStore, repeat: Repeat): Promise<string> {
  const world = await createdWorld(store);
  const deals = await findDealsByIds(store.db, world.actor.orgId, world.ids);
  const now = new Date().toISOString();
  const fresh = deals.map((d) => ({ ...d, id: randomUUID(), engagementId: randomUUID() }));
  const updates: Update[] = deals.map((d) => ({
    deal: {
      ...d,
      name: `${d.name} (renewal)`,
      value: d.value + 1000,
      notes: "Updated",
      updatedAt: now,
      version: d.version + 1,
    },
    expectedVersion: d.version,
    lists: false,
  }));
  const dealUpdates = deals.map((before, i) => ({ before, after: updates[i]?.deal ?? before }));
  const expectNone = (conflicts: string[]) => {
    if (conflicts.length > 0) throw new Error(`${conflicts.length} deals not updated`);
  };
  const cases: { name: string; trial: Trial }[] = [
    {
      name: "INSERT 1,000 deals + 6,000 children: insertDeals (deals-repo through bulk.ts)",
      trial: () => rolledBack(store, (trx) => insertDeals(trx, fresh)),
    },
    {
      name: "INSERT the same: raw multi-row INSERTs (floor (a)'s method)",
      trial: () => rolledBack(store, (trx) => insertPlain(trx, store.dialect, fresh)),
    },
    {
      name: "UPDATE 1,000 deals (name, value, notes): updateDeals, changed columns only",
      trial: () =>
        rolledBack(store, async (trx) => expectNone(await updateDeals(trx, dealUpdates))),
    },
    {
      name: "UPDATE the same, every column: WITH v(…) AS (VALUES …) UPDATE … FROM v, 500 rows/statement",
      trial: () =>
        rolledBack(store, async (trx) =>
          expectNone(await batchedUpdate(trx, store.dialect, updates)),
        ),
    },
  ];
  const { file } = store;
  if (file) {
    cases.push(
      {
        name: "UPDATE the same: one statement per deal on the raw libsql driver, prepared each time",
        trial: async () => preparedUpdates(file, updates, false),
      },
      {
        name: "UPDATE the same: one statement per deal on the raw libsql driver, prepared once",
        trial: async () => preparedUpdates(file, updates, true),
      },
    );
  }
  const samples = await measureAll(
    repeat,
    cases.map((c) => c.trial),
  );
  return markdownTable(
    [
      "writing the deals of a 1,000-row import (one transaction, rolled back)",
      "median ms",
      "min ms",
      "p90 ms",
    ],
    cases.map((c, i) => {
      const s = samples[i];
      return [
        c.name,
        ms(s?.median ?? Number.NaN),
        ms(s?.min ?? Number.NaN),
        ms(s?.p90 ?? Number.NaN),
      ];
    }),
  );
}
