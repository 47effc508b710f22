/**
 * `npm run bench:workers`: how import throughput grows with `cosell worker` processes on
 * PostgreSQL. 20 imports of 1,000 rows are submitted at once through the API (a server with
 * no worker inside) and 1, 2 and 4 worker processes (the compiled `bin/cosell worker`, as
 * deployed) drain the queue; the time from the first submission to the last job's end gives
 * jobs per minute and rows per second (the workers are started, and idle, before the first
 * submission). Markdown on standard output. See docs/BENCHMARKS.md.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { createApiToken } from "../src/server/commands/credentials.js";
import { buildApp } from "../src/server/http/app.js";
import { createRows, fileOf, freshOrg, purgeOrg } from "./data.js";
import { DEFAULT_PG_URL, openPostgresBenchStore } from "./stores.js";

const JOBS = 20;
const ROWS = 1000;
const WORKER_COUNTS = process.argv.includes("--quick") ? [1, 2] : [1, 2, 4];
const RUNS = process.argv.includes("--quick") ? 1 : 2;
const BIN = fileURLToPath(new URL("../../bin/cosell", import.meta.url));
const log = (message: string) => process.stderr.write(`bench:workers: ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const startWorker = (databaseUrl: string): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "worker"], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        COSELL_JOB_POLL_MS: "50",
        COSELL_IMPORT_CHUNK_ROWS: "100",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      if (text.includes("cosell worker is running")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`a worker exited with ${code}`)));
  });

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL;
  const store = await openPostgresBenchStore(url);
  const { rows: schemaRows } = await sql<{ s: string }>`select current_schema() as s`.execute(
    store.db,
  );
  const schema = schemaRows[0]?.s ?? "";
  const workerUrl = `${url}${url.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const app = await buildApp({ store, worker: null, webRoot: null });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  const lines: string[] = [];
  const before = loadavg();
  try {
    for (const workers of WORKER_COUNTS) {
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const actor = await freshOrg(store);
        const { token } = await createApiToken(store, actor, "bench");
        const auth = { authorization: `Bearer ${token}` };
        const files = Array.from({ length: JOBS }, (_, j) =>
          Buffer.from(
            fileOf(
              createRows(ROWS).map((r) => ({ ...r, "CRM ID": `${r["CRM ID"]}-${workers}-${j}` })),
            ),
          ),
        );
        const procs = await Promise.all(
          Array.from({ length: workers }, () => startWorker(workerUrl)),
        );
        const started = performance.now();
        const ids = await Promise.all(
          files.map(async (body) => {
            const res = await fetch(`${base}/api/imports`, {
              method: "POST",
              headers: { ...auth, "content-type": "text/csv" },
              body,
            });
            if (res.status !== 202) throw new Error(`submit: ${res.status} ${await res.text()}`);
            const { id } = (await res.json()) as { id: string };
            return id;
          }),
        );
        log(`${workers} worker(s), run ${run + 1}: ${JOBS} jobs queued`);
        for (;;) {
          const left = await store.db
            .selectFrom("jobs")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("id", "in", ids)
            .where("status", "in", ["queued", "running"])
            .executeTakeFirst();
          if (Number(left?.n ?? 0) === 0) break;
          await sleep(50);
        }
        const ms = performance.now() - started;
        await Promise.all(procs.map(stop));
        const failed = await store.db
          .selectFrom("jobs")
          .select("id")
          .where("id", "in", ids)
          .where("status", "!=", "succeeded")
          .execute();
        if (failed.length > 0) throw new Error(`${failed.length} jobs did not succeed`);
        times.push(ms);
        await purgeOrg(store, actor.orgId);
        await sql`vacuum (analyze) deals, deal_solutions, deal_team_members, audit_events, import_rows`.execute(
          store.db,
        );
      }
      const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
      lines.push(
        `| ${workers} | ${JOBS} × ${ROWS.toLocaleString("en-US")} | ${(median / 1000).toFixed(1)} | ${((JOBS * 60_000) / median).toFixed(1)} | ${Math.round((JOBS * ROWS * 1000) / median).toLocaleString("en-US")} | ${times.map((t) => (t / 1000).toFixed(1)).join(", ")} |`,
      );
    }
  } finally {
    await app.close();
    await store.close();
  }
  const after = loadavg();
  process.stdout.write(
    [
      `Load average (1, 5, 15 min) before: ${before.map((l) => l.toFixed(2)).join(", ")}; after: ${after.map((l) => l.toFixed(2)).join(", ")}.`,
      "",
      "| workers | jobs | submit → last finished, s (median) | jobs/minute | rows/s | runs, s |",
      "|---|---|---|---|---|---|",
      ...lines,
      "",
    ].join("\n"),
  );
}

await main();
