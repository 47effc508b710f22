/**
 * `npm run bench:api`: the service's figures (issue 3) on both stores, through a real server
 * on loopback with its in-process worker and 100,000 deals in the store:
 * - submit-to-finished time of a 1,000-row import job and of a 5,000-row export job;
 * - GET /api/deals latency (p50, p99), throughput and the server's CPU per request under load
 *   (autocannon in its own process, 1, 10 and 50 connections): the default page (the issue's
 *   line), and pages, orders and filters picked at random (what the cache does not serve).
 * Markdown on standard output, progress on standard error. See docs/BENCHMARKS.md.
 */
import { createApiToken } from "../src/server/commands/credentials.js";
import { buildApp } from "../src/server/http/app.js";
import { Worker } from "../src/server/jobs/worker.js";
import { createRows, fileOf } from "./data.js";
import { seed } from "./export-scenarios.js";
import { type LoadMode, runLoad, walkCursors } from "./load.js";
import { markdownTable, ms } from "./report.js";
import { type Sample, summarise } from "./stats.js";
import {
  type BenchStore,
  DEFAULT_PG_URL,
  openPostgresBenchStore,
  openSqliteBenchStore,
} from "./stores.js";

const quick = process.argv.includes("--quick");
const RUNS = quick ? 3 : 7;
const LOAD_SECONDS = quick ? 5 : 10;
const log = (message: string) => process.stderr.write(`bench:api: ${message}\n`);
const silent = { info() {}, warn() {}, error() {} };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  scenario: string;
  store: string;
  sample: Sample;
  target: string;
}

/** Polls a job until it leaves queued/running; returns the finished job's body. */
const waitFor = async (url: string, headers: Record<string, string>) => {
  for (;;) {
    const res = await fetch(url, { headers });
    const body: unknown = await res.json();
    const status = typeof body === "object" && body && "status" in body ? body.status : null;
    if (status !== "queued" && status !== "running") {
      if (status !== "succeeded")
        throw new Error(`job ended ${String(status)}: ${JSON.stringify(body)}`);
      return body;
    }
    await sleep(10);
  }
};

const runStore = async (store: BenchStore, label: string, rows: Row[], load: string[]) => {
  log(`${label}: seeding 100,000 deals`);
  const { actor } = await seed(store);
  const worker = new Worker(store, {
    leaseMs: 30_000,
    pollMs: 20,
    chunkSize: 1000,
    maxAttempts: 3,
    sweepMs: 3_600_000,
    retentionMs: 86_400_000,
    log: silent,
  });
  worker.start();
  const app = await buildApp({ store, worker, webRoot: null });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  const { token } = await createApiToken(store, actor, "bench");
  const auth = { authorization: `Bearer ${token}` };
  try {
    log(`${label}: import jobs`);
    const importRuns: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      // Fresh CRM IDs each run, so every run creates 1,000 deals.
      const bytes = fileOf(
        createRows().map((r) => ({ ...r, "CRM ID": `${r["CRM ID"]}-${label}-${i}` })),
      );
      const started = performance.now();
      const res = await fetch(`${base}/api/imports`, {
        method: "POST",
        headers: { ...auth, "content-type": "text/csv" },
        body: Buffer.from(bytes),
      });
      const { id } = (await res.json()) as { id: string };
      await waitFor(`${base}/api/imports/${id}`, auth);
      if (i > 0) importRuns.push(performance.now() - started);
    }
    rows.push({
      scenario: "1,000-row import job, submit → finished",
      store: label,
      sample: summarise(importRuns),
      target: "—",
    });

    log(`${label}: export jobs`);
    const exportRuns: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const started = performance.now();
      const res = await fetch(`${base}/api/exports`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: "{}",
      });
      const { id } = (await res.json()) as { id: string };
      await waitFor(`${base}/api/exports/${id}`, auth);
      const file = await fetch(`${base}/api/exports/${id}/file`, { headers: auth });
      await file.arrayBuffer();
      if (i > 0) exportRuns.push(performance.now() - started);
    }
    rows.push({
      scenario: "5,000-row export job, submit → file downloaded",
      store: label,
      sample: summarise(exportRuns),
      target: "—",
    });

    await worker.stop(1000);
    // A write (star, unstar) before every line retires every cached page and count: each line
    // starts cold, and "repeats" are the only hits a varied line can have.
    const page = await fetch(`${base}/api/deals?limit=1`, { headers: auth });
    const { items } = (await page.json()) as { items: { id: string }[] };
    const starred = `${base}/api/deals/${items[0]?.id}/favorite`;
    const retireCache = async () => {
      for (const method of ["PUT", "DELETE"]) {
        const res = await fetch(starred, { method, headers: auth });
        if (res.status !== 204) throw new Error(`${method} favorite: ${res.status}`);
      }
    };
    log(`${label}: following next from the first page of every varied combination`);
    const cursors = await walkCursors(base, auth);
    for (const mode of ["default", "varied"] satisfies LoadMode[]) {
      for (const connections of [1, 10, 50]) {
        await retireCache();
        log(`${label}: GET /api/deals, ${mode}, ${LOAD_SECONDS} s, ${connections} connections`);
        const cpu = process.cpuUsage();
        const r = await runLoad({
          url: base,
          headers: auth,
          connections,
          seconds: LOAD_SECONDS,
          mode,
          ...(mode === "varied" ? { cursors } : {}),
        });
        const { user, system } = process.cpuUsage(cpu);
        const target = mode === "default" ? (r.p99 < 50 ? "pass" : "FAIL") : "—";
        load.push(
          `| ${label} | ${mode === "default" ? "default page" : `varied (${Math.round(100 * r.repeated)} % repeats)`} | ${connections} | ${r.p50} | ${r.p99} | ${Math.round(r.requestsPerSecond)} | ${((user + system) / 1000 / Math.max(r.requests, 1)).toFixed(2)} | ${(r.clientCpuMs / Math.max(r.requests, 1)).toFixed(2)} | ${r.non2xx + r.errors} | ${target} |`,
        );
      }
    }
  } finally {
    await worker.stop(1000);
    await app.close();
  }
};

const main = async () => {
  const rows: Row[] = [];
  const load: string[] = [];
  const sqlite = await openSqliteBenchStore();
  try {
    await runStore(sqlite, "sqlite", rows, load);
  } finally {
    await sqlite.close();
  }
  const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL;
  let pgNote = "";
  try {
    const pg = await openPostgresBenchStore(url);
    try {
      await runStore(pg, "postgres", rows, load);
    } finally {
      await pg.close();
    }
  } catch (error) {
    pgNote = `PostgreSQL: SKIPPED (${error instanceof Error ? error.message : String(error)})\n\n`;
  }
  const out = [
    "## Service (issue 3): jobs through the API, and the deal list under load",
    "",
    `Median of ${RUNS} runs after one warm-up; 100,000 deals in the store; loopback HTTP.`,
    "",
    pgNote +
      markdownTable(
        ["scenario", "store", "median ms", "min ms", "p90 ms", "target"],
        rows.map((r) => [
          r.scenario,
          r.store,
          ms(r.sample.median),
          ms(r.sample.min),
          ms(r.sample.p90),
          r.target,
        ]),
      ),
    "",
    `GET /api/deals, autocannon in its own process, ${LOAD_SECONDS} s per line. *default page*: \`?limit=50\` (newest first, with its count), the issue's line. *varied*: a filter (11), an order (6 keys × 2 directions) and one of the first 20 pages picked at random for every request, deep pages asked with the \`after\` cursor the page before handed out (keyset paging, as the page does), the cursors found before the load by following \`next\`; "repeats" is the share of requests for a page asked before (the most the page cache could serve). CPU: the server process's user + system time per request; the client's (autocannon) beside it.`,
    "",
    "| store | request | connections | p50 ms | p99 ms | requests/s | server CPU ms/request | client CPU ms/request | non-2xx + errors | p99 < 50 ms |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...load,
    "",
  ].join("\n");
  process.stdout.write(`${out}\n`);
};

await main();
