/**
 * Scenario 7 (issue 13): a streamed import of many rows that create deals — 100,000 by default,
 * `--stream-rows N` to run it smaller or larger — beside its floor measured in the same run:
 * the very deals it created, with their solutions and team members, written again under new
 * ids in one transaction by COPY (PostgreSQL, `insertDeals`) or by multi-row INSERTs (SQLite,
 * floor (a)'s `insertPlain`). Target: within 2× of the floor. And the peak memory (maximum
 * resident set) of `cosell import` of the same file in its own process, on SQLite.
 */
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_LIMITS, type Limits } from "../src/core/limits.js";
import { importDeals } from "../src/server/commands/import-deals.js";
import { CLI_SLICE_BYTES } from "../src/server/commands/import-stream.js";
import { findDealsByIds, insertDeals } from "../src/server/db/deals-repo.js";
import { cosell } from "./cli-scenarios.js";
import { createRows, fileOf, freshOrg, purgeOrg } from "./data.js";
import { insertFloor } from "./floors.js";
import { expectCounts } from "./import-scenarios.js";
import type { Result } from "./result.js";
import { measureAll, type Repeat, trial } from "./stats.js";
import type { BenchStore } from "./stores.js";

export const DEFAULT_STREAM_ROWS = 100_000;

/** The limits a deployment taking files of `rows` rows sets. */
const limitsFor = (rows: number, bytes: number): Limits => ({
  ...DEFAULT_LIMITS,
  importRows: rows,
  uploadBytes: Math.max(DEFAULT_LIMITS.uploadBytes, bytes),
});

const fmt = (n: number) => n.toLocaleString("en-US");

export async function streamScenarios(
  store: BenchStore,
  rows: number,
  repeat: Repeat,
): Promise<Result[]> {
  const file = fileOf(createRows(rows));
  const limits = limitsFor(rows, file.length);
  // The deals the import creates, read back once (untimed), are what the floor writes.
  const first = await freshOrg(store);
  // As `cosell import` runs it (its slices; every row kept, as for --json), streamed whatever
  // the size, so a small run (`--stream-rows 10000`, under 4 MiB) measures the stream too.
  const request = { bytes: file, limits, sliceBytes: CLI_SLICE_BYTES, streamFromBytes: 1 };
  const made = await importDeals(store, { actor: first, ...request });
  expectCounts(made, { created: rows });
  const deals = await findDealsByIds(
    store.db,
    first.orgId,
    made.rows.map((r) => r.referralId ?? ""),
  );
  await purgeOrg(store, first.orgId);
  const purge = async ({ orgId }: { orgId: string }) => purgeOrg(store, orgId);
  const [floorSample, sample] = await measureAll(repeat, [
    trial(
      async () => {
        const { orgId } = await freshOrg(store);
        return { orgId, deals: deals.map((d) => ({ ...d, orgId, id: randomUUID() })) };
      },
      ({ deals: again }) =>
        store.label === "postgres"
          ? store.db.transaction().execute((trx) => insertDeals(trx, again))
          : insertFloor(store.db, store.dialect, again),
      purge,
    ),
    trial(
      () => freshOrg(store),
      async (actor) =>
        expectCounts(await importDeals(store, { actor, ...request }), { created: rows }),
      purge,
    ),
  ]);
  if (!floorSample || !sample) throw new Error("a trial has no sample");
  const floor: Result = {
    scenario: `floor (c): ${store.label === "postgres" ? "COPY" : "multi-row INSERT"} of the same ${fmt(rows)} deals + ${fmt(6 * rows)} children`,
    store: store.label,
    sample: floorSample,
  };
  return [
    {
      scenario: `7. streamed import of ${fmt(rows)} rows (${(file.length / 2 ** 20).toFixed(0)} MiB): create`,
      store: store.label,
      sample,
      floor,
      target: { maxFloorRatio: 2 },
    },
    floor,
  ];
}

/**
 * The peak resident set of `cosell import` of `rows` created rows into a new store (SQLite),
 * in its own process, read by the process itself as it exits (`process.resourceUsage()`).
 */
export async function streamedImportPeakRss(
  dir: string,
  rows: number,
): Promise<{ rows: number; mib: number; ms: number }> {
  const file = path.join(dir, `create-${rows}.csv`);
  const bytes = fileOf(createRows(rows));
  await writeFile(file, bytes);
  const data = path.join(dir, `rss-${rows}`);
  const env = {
    ...process.env,
    DATABASE_URL: "",
    COSELL_IMPORT_MAX_ROWS: String(rows),
    COSELL_UPLOAD_MAX_BYTES: String(Math.max(DEFAULT_LIMITS.uploadBytes, bytes.length)),
  };
  // The process reports its own peak as it exits; the flags are bin/cosell's.
  const report =
    "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))";
  const node = ["--max-semi-space-size=32", "--v8-pool-size=1"];
  const run = (args: string[], preload = false) =>
    cosell(["--data", data, ...args], {
      env,
      node: preload ? [...node, "--import", report] : node,
    });
  const email = "rss@bench.example";
  await run([
    "org",
    "create",
    "RSS bench",
    "--admin",
    email,
    "--password",
    "bench-admin-passphrase",
  ]);
  const started = performance.now();
  const stderr = await run(["import", file, "--as", email], true);
  const ms = performance.now() - started;
  const kib = Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
  return { rows, mib: kib / 1024, ms };
}
