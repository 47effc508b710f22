/**
 * Scenarios 1–3 and floor (a): importing 1,000 rows that create deals, the same rows
 * updating them, a dry run of the update, and a plain bulk insert of the same deals.
 */
import { randomUUID } from "node:crypto";
import type { UserActor } from "../src/core/actor.js";
import { importDeals } from "../src/server/commands/import-deals.js";
import type { ImportSummary } from "../src/server/commands/import-summary.js";
import { findDealsByIds } from "../src/server/db/deals-repo.js";
import type { Store } from "../src/server/db/store.js";
import { createRows, fileOf, freshOrg, IMPORT_ROWS, purgeOrg, updateRows } from "./data.js";
import { insertFloor } from "./floors.js";
import type { Result } from "./result.js";
import { measureAll, type Repeat, type Sample, trial } from "./stats.js";
import type { BenchStore } from "./stores.js";

const IMPORT_TARGET = { maxMs: 200, maxFloorRatio: 3 };

/** A wrong result would make the timing meaningless: stop rather than print it. */
export const expectCounts = (
  s: ImportSummary,
  want: { created?: number; updated?: number },
): void => {
  for (const key of ["created", "updated"] as const) {
    const n = want[key];
    if (n === undefined || s[key] === n) continue;
    const first = s.rows.find((r) => r.errors.length > 0)?.errors[0]?.message ?? "";
    throw new Error(`expected ${key} = ${n}, got ${s[key]}. ${first}`);
  }
};

/** An organisation holding the 1,000 created deals, and the file that updates them. */
export async function createdWorld(
  store: Store,
): Promise<{ actor: UserActor; ids: string[]; updateFile: Uint8Array }> {
  const rows = createRows();
  const actor = await freshOrg(store);
  const created = await importDeals(store, { actor, bytes: fileOf(rows) });
  expectCounts(created, { created: IMPORT_ROWS });
  const ids = created.rows.map((r) => r.referralId ?? "");
  return { actor, ids, updateFile: fileOf(updateRows(rows, ids)) };
}

export async function importScenarios(store: BenchStore, repeat: Repeat): Promise<Result[]> {
  const createFile = fileOf(createRows());
  // The dry run reads a world that never changes; floor (a) inserts the deals of that world
  // again, under fresh ids, each run. Every run that writes is undone after it (untimed),
  // so all runs meet a database of the same size.
  const world = await createdWorld(store);
  const deals = await findDealsByIds(store.db, world.actor.orgId, world.ids);

  const purge = async ({ orgId }: { orgId: string }) => purgeOrg(store, orgId);

  const [floorSample, create, update, dryRun] = await measureAll(repeat, [
    trial(
      async () => {
        const { orgId } = await freshOrg(store);
        return { orgId, deals: deals.map((d) => ({ ...d, orgId, id: randomUUID() })) };
      },
      ({ deals }) => insertFloor(store.db, store.dialect, deals),
      purge,
    ),
    trial(
      () => freshOrg(store),
      async (actor) =>
        expectCounts(await importDeals(store, { actor, bytes: createFile }), {
          created: IMPORT_ROWS,
        }),
      purge,
    ),
    trial(
      () => createdWorld(store),
      async ({ actor, updateFile }) =>
        expectCounts(await importDeals(store, { actor, bytes: updateFile }), {
          updated: IMPORT_ROWS,
        }),
      ({ actor }) => purge(actor),
    ),
    trial(
      async () => world,
      async ({ actor, updateFile }) =>
        expectCounts(await importDeals(store, { actor, bytes: updateFile, dryRun: true }), {
          updated: IMPORT_ROWS,
        }),
    ),
  ]);
  const sample = (s: Sample | undefined): Sample => {
    if (!s) throw new Error("a trial has no sample");
    return s;
  };
  const floor: Result = {
    scenario: "floor (a): plain bulk insert of the same 1,000 deals + 6,000 children",
    store: store.label,
    sample: sample(floorSample),
  };
  return [
    {
      scenario: "1. import 1,000 rows: create (3 solutions, 3 team members each)",
      store: store.label,
      sample: sample(create),
      floor,
      target: IMPORT_TARGET,
    },
    {
      scenario: "2. import 1,000 rows: update (name, value, notes, 1 solution)",
      store: store.label,
      sample: sample(update),
      floor,
      target: IMPORT_TARGET,
    },
    {
      scenario: "3. import 1,000 rows: dry run of the update file",
      store: store.label,
      sample: sample(dryRun),
      target: { maxMs: 50 },
    },
    floor,
  ];
}
