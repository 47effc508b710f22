/**
 * `npm run bench [-- --quick] [-- --no-pg] [-- --no-profile] [-- --stream-rows N]
 * [-- --only-stream]`: the import, export and CLI scenarios on the embedded SQLite store and
 * on PostgreSQL, each beside its floor, the streamed import of N rows (scenario 7, default 100,000; 0
 * skips it) beside its COPY / multi-row INSERT floor with the CLI's peak memory, then where the
 * time goes, as one Markdown report on standard output (progress on standard error).
 * `--only-stream` runs the streamed import alone. See docs/BENCHMARKS.md.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { messageOf } from "../src/server/db/store.js";
import { cliScenarios } from "./cli-scenarios.js";
import { exportScenarios, type Seeded, seed } from "./export-scenarios.js";
import { importScenarios } from "./import-scenarios.js";
import { profileExport } from "./profile-export.js";
import { profileImport } from "./profile-import.js";
import { ms, resultsTable } from "./report.js";
import type { Result } from "./result.js";
import { scaleExperiments } from "./scale-experiments.js";
import { DEFAULT_STREAM_ROWS, streamedImportPeakRss, streamScenarios } from "./stream-scenarios.js";
import type { Repeat } from "./stats.js";
import {
  type BenchStore,
  DEFAULT_PG_URL,
  openPostgresBenchStore,
  openSqliteBenchStore,
} from "./stores.js";
import { xlsxExportScenarios, xlsxImportScenarios } from "./xlsx-scenarios.js";

const USAGE =
  "usage: npm run bench [-- --quick] [-- --no-pg] [-- --no-profile] [-- --stream-rows N] [-- --only-stream]";
const FLAGS = new Set(["--quick", "--no-pg", "--no-profile", "--only-stream"]);

/** `--stream-rows N` (or `=N`): rows of the streamed import; the flag's words are taken out of `args`. */
const takeStreamRows = (args: string[]): number | null => {
  const at = args.findIndex((a) => a === "--stream-rows" || a.startsWith("--stream-rows="));
  if (at === -1) return DEFAULT_STREAM_ROWS;
  const word = args[at] ?? "";
  const joined = word.includes("=");
  const value = joined ? word.slice(word.indexOf("=") + 1) : (args[at + 1] ?? "");
  args.splice(at, joined ? 1 : 2);
  const n = Number(value.replaceAll("_", "").replaceAll(",", ""));
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
};

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

interface StoreRun {
  label: string;
  results: Result[];
  /** Null when only the streamed import ran. */
  seeded: Seeded | null;
  profile: string | null;
}

const closing = async <T>(store: BenchStore, fn: (store: BenchStore) => Promise<T>): Promise<T> => {
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
};

/**
 * The import scenarios and the profile on one new store, the exports on another, so the
 * 700,000 seeded rows do not slow the imports down (nor the imports' rows the exports).
 */
async function onStore(
  first: BenchStore,
  open: () => Promise<BenchStore>,
  repeat: Repeat,
  profile: boolean,
  stream: { rows: number; only: boolean },
): Promise<StoreRun> {
  const { label } = first;
  // A streamed run takes seconds: fewer rounds than the 1,000-row scenarios.
  const streamRepeat: Repeat = { warmup: 0, runs: Math.min(repeat.runs, 3) };
  const streamed = async (): Promise<Result[]> => {
    if (stream.rows === 0) return [];
    log(`${label}: streamed import of ${stream.rows} rows`);
    return closing(await open(), (store) => streamScenarios(store, stream.rows, streamRepeat));
  };
  if (stream.only) {
    await first.close();
    return { label, results: await streamed(), seeded: null, profile: null };
  }
  const [results, importProfile] = await closing(first, async (store) => {
    log(`${label}: import scenarios`);
    const results = await importScenarios(store, repeat);
    results.push(...(await xlsxImportScenarios(store, repeat)));
    return [results, profile ? await profileImport(store, repeat, log) : null] as const;
  });
  results.push(...(await streamed()));
  return closing(await open(), async (store) => {
    log(`${label}: seeding 100,000 deals`);
    const seeded = await seed(store);
    log(`${label}: export scenarios`);
    results.push(...(await exportScenarios(store, seeded, repeat)));
    results.push(...(await xlsxExportScenarios(store, seeded, repeat)));
    if (!importProfile) return { label, results, seeded, profile: null };
    log(`${label}: profiling the export`);
    const exportProfile = await profileExport(store, seeded, repeat);
    log(`${label}: writing into 100,000 deals`);
    const scale = await scaleExperiments(store, repeat);
    const text = [
      `## Where the time goes — ${label}`,
      "",
      importProfile,
      "",
      scale,
      "",
      exportProfile,
    ].join("\n");
    return { label, results, seeded, profile: text };
  });
}

const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(", ");

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const streamRows = takeStreamRows(args);
  const unknown = args.filter((a) => !FLAGS.has(a));
  if (unknown.length > 0 || streamRows === null) {
    console.error(
      `${streamRows === null ? "--stream-rows takes a number of rows" : `Unknown argument ${unknown.join(" ")}`}\n${USAGE}`,
    );
    process.exitCode = 2;
    return;
  }
  const stream = { rows: streamRows, only: args.includes("--only-stream") };
  const quick = args.includes("--quick");
  const repeat: Repeat = quick ? { warmup: 1, runs: 3 } : { warmup: 2, runs: 11 };
  const versionRuns = quick ? 5 : 10;
  const profile = !args.includes("--no-profile");
  if (typeof globalThis.gc !== "function") log("run with node --expose-gc (npm run bench does)");

  const loadBefore = loadAverage();
  const started = Date.now();
  const runs: StoreRun[] = [];
  runs.push(
    await onStore(await openSqliteBenchStore(), openSqliteBenchStore, repeat, profile, stream),
  );

  const pgUrl = process.env.BENCH_DATABASE_URL || DEFAULT_PG_URL;
  let pgSkipped: string | null = null;
  if (args.includes("--no-pg")) pgSkipped = "--no-pg";
  else {
    let pg: BenchStore | null = null;
    try {
      pg = await openPostgresBenchStore(pgUrl);
    } catch (error) {
      pgSkipped = messageOf(error);
      log(`postgres skipped: ${pgSkipped}`);
    }
    if (pg) {
      const open = () => openPostgresBenchStore(pgUrl);
      runs.push(await onStore(pg, open, repeat, profile, stream));
    }
  }

  let peak: string | null = null;
  if (stream.rows > 0) {
    log(`cosell import of ${stream.rows} rows in its own process: peak memory`);
    const dir = await mkdtemp(path.join(tmpdir(), "cosell-bench-rss-"));
    try {
      const rss = await streamedImportPeakRss(dir, stream.rows);
      peak = `Peak memory of \`cosell import\` of the ${rss.rows.toLocaleString("en-US")}-row file (SQLite, its own process, process start included): maximum resident set ${rss.mib.toFixed(0)} MiB (target < 300 MiB), ${(rss.ms / 1000).toFixed(1)} s.`;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  log("CLI scenarios");
  const cli = stream.only ? [] : await cliScenarios(repeat, versionRuns);

  const cpu = cpus();
  const lines = [
    `# cosell benchmark — ${new Date().toISOString()}`,
    "",
    `Node ${process.version} (${process.execArgv.join(" ") || "no flags"}), ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB;` +
      ` ${repeat.runs} timed runs after ${repeat.warmup} warm-up (--version: ${versionRuns} after 1)${quick ? " — QUICK, indicative only" : ""}.`,
    `Load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAverage()}; the run took ${Math.round((Date.now() - started) / 1000)} s.`,
    pgSkipped === null
      ? `PostgreSQL: ${new URL(pgUrl).host}${new URL(pgUrl).pathname}, a fresh schema, dropped at the end.`
      : `PostgreSQL: SKIPPED (${pgSkipped}).`,
    "",
    resultsTable([...runs.flatMap((r) => r.results), ...cli]),
    "",
    ...(peak ? [peak, ""] : []),
    ...runs.flatMap(({ label, seeded }) =>
      seeded
        ? [
            `Seeding ${label}: 100,000 deals + 300,000 solutions + 300,000 team members with insertDeals in one transaction: ${ms(seeded.seedMs)} ms` +
              (seeded.analyzeMs > 0 ? ` (then ANALYZE: ${ms(seeded.analyzeMs)} ms)` : ""),
          ]
        : [],
    ),
    ...runs.flatMap((r) => (r.profile ? ["", r.profile] : [])),
  ];
  console.log(lines.join("\n"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
