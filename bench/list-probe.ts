/**
 * A probe, not a benchmark: every (filter, order, page) of bench:api's varied mix asked once,
 * one request at a time, on a store of 100,000 deals, so the slow combinations show apart from
 * queueing (`npm run bench:list -- sqlite|postgres`; Markdown on standard output). With
 * PROFILE=FILE it writes a CPU profile of the requests (not of the seeding); with
 * PGOPTIONS="-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=3
 * -c auto_explain.log_analyze=on" PostgreSQL logs the plan of every slow statement.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createApiToken } from "../src/server/commands/credentials.js";
import { buildApp } from "../src/server/http/app.js";
import { seed } from "./export-scenarios.js";
import { DIRS, FILTERS, SORTS } from "./load.js";
import { DEFAULT_PG_URL, openPostgresBenchStore, openSqliteBenchStore } from "./stores.js";

/** Pages 1, 2, 11 and 20 of 50: the first, the next, and the deep ones of the varied line. */
const PAGES = [0, 1, 10, 19];

async function main(): Promise<void> {
  const which = process.argv[2] ?? "postgres";
  const store =
    which === "sqlite"
      ? await openSqliteBenchStore()
      : await openPostgresBenchStore(process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL);
  try {
    process.stderr.write("seeding\n");
    const { actor } = await seed(store);

    const app = await buildApp({ store, worker: null, webRoot: null });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const { token } = await createApiToken(store, actor, "probe");
    const auth = { authorization: `Bearer ${token}` };
    const session = new Session();
    if (process.env.PROFILE) {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
    }
    const byFilter = new Map<string, number[]>();
    const bySort = new Map<string, number[]>();
    const all: { path: string; ms: number }[] = [];
    for (const f of FILTERS) {
      // warm the count
      await (await fetch(`${base}/api/deals?limit=50${f}`, { headers: auth })).arrayBuffer();
      for (const s of SORTS)
        for (const d of DIRS)
          for (const p of PAGES) {
            const path = `/api/deals?limit=50&offset=${50 * p}${f}&sort=${s}&dir=${d}`;
            const t = performance.now();
            const res = await fetch(`${base}${path}`, { headers: auth });
            await res.arrayBuffer();
            const ms = performance.now() - t;
            all.push({ path, ms });
            byFilter.set(f, [...(byFilter.get(f) ?? []), ms]);
            bySort.set(`${s} ${d}`, [...(bySort.get(`${s} ${d}`) ?? []), ms]);
          }
    }
    if (process.env.PROFILE) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(process.env.PROFILE, JSON.stringify(profile));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const lines = [`# list probe, ${which}`, "", "| filter | mean ms | max ms |", "|---|---|---|"];
    for (const [f, xs] of byFilter)
      lines.push(`| ${f || "(none)"} | ${mean(xs).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`);
    lines.push("", "| sort | mean ms | max ms |", "|---|---|---|");
    for (const [s, xs] of bySort)
      lines.push(`| ${s} | ${mean(xs).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`);
    lines.push("", "slowest 25:", "");
    for (const { path, ms } of all.sort((a, b) => b.ms - a.ms).slice(0, 25))
      lines.push(`- ${ms.toFixed(1)} ms ${path}`);
    lines.push("", `overall mean ${mean(all.map((a) => a.ms)).toFixed(2)} ms over ${all.length}`);
    process.stdout.write(`${lines.join("\n")}\n`);
    await app.close();
  } finally {
    await store.close();
  }
}

await main();
