/**
 * The PostgreSQL update import of 1,000 rows alone, timed ROUNDS times after 3 warm-ups, from
 * the build in DIST (default: this one), printing the median in ms. For bisecting a regression
 * between two commits: build each in its own worktree and alternate
 * `node --expose-gc dist/bench/update-only.js /path/to/other/dist` with the current build, so
 * that load hits both alike. Only modules every build since 885642c has are imported.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

interface Scenarios {
  createdWorld(store: unknown): Promise<{ actor: { orgId: string }; updateFile: Uint8Array }>;
  expectCounts(summary: unknown, counts: Record<string, number>): void;
}

async function main(): Promise<void> {
  const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const dist = path.resolve(process.argv[2] ?? here);
  const rounds = Number(process.argv[3] ?? 9);
  const load = (module: string) => import(path.join(dist, module));
  const scenarios = (await load("bench/import-scenarios.js")) as Scenarios;
  const { openPostgresBenchStore, DEFAULT_PG_URL } = await load("bench/stores.js");
  const { purgeOrg, IMPORT_ROWS } = await load("bench/data.js");
  const { importDeals } = await load("src/server/commands/import-deals.js");
  const store = await openPostgresBenchStore(process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL);
  const times: number[] = [];
  try {
    for (let i = 0; i < rounds + 3; i++) {
      const { actor, updateFile } = await scenarios.createdWorld(store);
      globalThis.gc?.();
      const started = performance.now();
      const summary = await importDeals(store, { actor, bytes: updateFile });
      if (i >= 3) times.push(performance.now() - started);
      scenarios.expectCounts(summary, { updated: IMPORT_ROWS });
      await purgeOrg(store, actor.orgId);
    }
  } finally {
    await store.close();
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`${times[Math.floor(times.length / 2)]?.toFixed(1)}\n`);
}

await main();
