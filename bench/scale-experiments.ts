/**
 * Writing 1,000 deals into a store that already holds the 100,000 seeded ones: the import
 * as it is, and floor (a) with random (v4) and with time-ordered (v7) ids. Random keys
 * land on a different B-tree page per row in every index that holds the id, so the pages
 * written per import grow with the table; time-ordered keys land on the last pages.
 */
import { randomUUID } from "node:crypto";
import { importDeals } from "../src/server/commands/import-deals.js";
import { findDealsByIds } from "../src/server/db/deals-repo.js";
import { createRows, fileOf, freshOrg, IMPORT_ROWS, purgeOrg, uuidv7 } from "./data.js";
import { insertFloor } from "./floors.js";
import { createdWorld, expectCounts } from "./import-scenarios.js";
import { markdownTable, ms } from "./report.js";
import { measureAll, type Repeat, trial } from "./stats.js";
import type { BenchStore } from "./stores.js";

export async function scaleExperiments(store: BenchStore, repeat: Repeat): Promise<string> {
  const world = await createdWorld(store);
  const deals = await findDealsByIds(store.db, world.actor.orgId, world.ids);
  const createFile = fileOf(createRows());
  const purge = async ({ orgId }: { orgId: string }) => purgeOrg(store, orgId);
  const floorWith = (id: () => string) =>
    trial(
      async () => {
        const { orgId } = await freshOrg(store);
        return { orgId, deals: deals.map((d) => ({ ...d, orgId, id: id() })) };
      },
      ({ deals }) => insertFloor(store.db, store.dialect, deals),
      purge,
    );
  const cases = [
    {
      name: "1. import 1,000 rows: create (the engine: time-ordered v7 ids)",
      trial: trial(
        () => freshOrg(store),
        async (actor) =>
          expectCounts(await importDeals(store, { actor, bytes: createFile }), {
            created: IMPORT_ROWS,
          }),
        purge,
      ),
    },
    { name: "floor (a), random v4 ids", trial: floorWith(randomUUID) },
    { name: "floor (a), time-ordered v7 ids", trial: floorWith(uuidv7) },
  ];
  const samples = await measureAll(
    repeat,
    cases.map((c) => c.trial),
  );
  return markdownTable(
    ["into a store already holding 100,000 deals", "median ms", "min ms", "p90 ms"],
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
