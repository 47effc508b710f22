/**
 * A worker killed with SIGKILL in the middle of a 1,000-row import, then started again: the
 * job is picked up after its lease and finishes with every row applied exactly once and the
 * audit trail complete. Real processes (the compiled `cosell worker`), a real store —
 * SQLite, or PostgreSQL when COSELL_TEST_DATABASE_URL is set.
 */
import { type RawBuilder, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../core/limits.js";
import { setupCosellProcesses } from "../../test-support/child.js";
import { setupCliWorld } from "../../test-support/cli.js";
import { csvBytes, newDealRow } from "../../test-support/deals.js";
import { actorByEmail } from "../commands/accounts.js";
import { getImportJob } from "../commands/import-jobs.js";
import { submitImport } from "../commands/job-submit.js";
import type { Store } from "../db/store.js";

const world = setupCliWorld();
const cosell = setupCosellProcesses();

const ROWS = 1000;
const CHUNK = 50;

const WORKER_ENV = {
  COSELL_IMPORT_CHUNK_ROWS: String(CHUNK),
  COSELL_JOB_LEASE_MS: "1500",
  COSELL_JOB_POLL_MS: "100",
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const WORKER_READY = /cosell worker is running/;

/** Queues the import as the API would: the file checked whole, the job and its record written. */
const submit = async (store: Store, email: string): Promise<string> => {
  const rows = Array.from({ length: ROWS }, (_, i) =>
    newDealRow({ "Deal Name": `Crash test deal ${i + 1}`, "CRM ID": `CRASH-${i + 1}` }),
  );
  const { id } = await submitImport(store, {
    actor: await actorByEmail(store, email),
    bytes: csvBytes(rows),
    fileName: "crash.csv",
    dryRun: false,
    upsertByCrmId: false,
    idempotencyKey: null,
    limits: DEFAULT_LIMITS,
  });
  return id;
};

const jobOf = (store: Store, id: string) =>
  store.db
    .selectFrom("jobs")
    .select(["status", "progress_done", "attempts", "result", "error_message"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

const count = async (store: Store, query: RawBuilder<unknown>) => {
  const { rows } = await query.execute(store.db);
  const [row] = rows;
  return typeof row === "object" && row !== null && "n" in row ? Number(row.n) : Number.NaN;
};

/** What the store holds of the job's rows: deals, recorded rows, audit events. */
const applied = async (store: Store, id: string) => ({
  deals: await count(store, sql`select count(*) as n from deals where crm_id like 'CRASH-%'`),
  importRows: await count(
    store,
    sql`select count(*) as n from import_rows where import_id = ${id}`,
  ),
  audit: await count(store, sql`select count(*) as n from audit_events where import_id = ${id}`),
});

describe("a worker killed in the middle of an import", () => {
  it("is resumed by another worker after the lease: every row applied once, the audit trail whole", async () => {
    const { admin } = await world().seedAccounts();
    const id = await world().withStore((store) => submit(store, admin));

    // Kill the worker as soon as some chunks, and not all, are committed.
    const first = cosell(["worker"], { ...world().env, ...WORKER_ENV });
    const atKill = await world().withStore(async (store) => {
      for (const started = Date.now(); Date.now() - started < 60_000; await sleep(2)) {
        const job = await jobOf(store, id);
        if (job.progress_done > 0) {
          first.child.kill("SIGKILL");
          return job;
        }
      }
      throw new Error(`the worker made no progress in a minute\n${first.stderr()}`);
    });
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(atKill.status).toBe("running");

    const partial = await world().withStore(async (store) => ({
      job: await jobOf(store, id),
      ...(await applied(store, id)),
    }));
    // Committed in whole chunks, each with its deals, its row results and its audit events.
    expect(partial.job.status).toBe("running");
    expect(partial.job.progress_done).toBeGreaterThan(0);
    expect(partial.job.progress_done).toBeLessThan(ROWS);
    expect(partial.importRows % CHUNK).toBe(0);
    expect(partial).toMatchObject({
      deals: partial.importRows,
      audit: partial.importRows,
      job: { progress_done: partial.importRows },
    });

    // A new worker takes the job back once the dead one's lease has run out, and finishes it.
    const second = cosell(["worker"], { ...world().env, ...WORKER_ENV });
    const done = await world().withStore(async (store) => {
      for (const started = Date.now(); Date.now() - started < 60_000; await sleep(50)) {
        const job = await jobOf(store, id);
        if (job.status !== "running" && job.status !== "queued") return job;
      }
      throw new Error(`the job did not finish in a minute\n${second.stderr()}`);
    });
    await second.waitFor(WORKER_READY);
    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(done).toMatchObject({ status: "succeeded", progress_done: ROWS, attempts: 2 });
    expect(JSON.parse(done.result ?? "null")).toMatchObject({
      created: ROWS,
      updated: 0,
      unchanged: 0,
      notProcessed: 0,
    });

    await world().withStore(async (store) => {
      expect(await applied(store, id)).toEqual({ deals: ROWS, importRows: ROWS, audit: ROWS });
      const recorded = await store.db
        .selectFrom("imports")
        .select(["status", "created", "not_processed"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(recorded).toEqual({ status: "succeeded", created: ROWS, not_processed: 0 });
      // Exactly one 'create' event per deal, one per file row, and none for a deal that is not there.
      const perDeal = await store.db
        .selectFrom("deals as d")
        .leftJoin("audit_events as a", (join) =>
          join.onRef("a.deal_id", "=", "d.id").on("a.action", "=", "create"),
        )
        .select(["d.id", "d.name", (eb) => eb.fn.count("a.id").as("events")])
        .where("d.crm_id", "like", "CRASH-%")
        .groupBy(["d.id", "d.name"])
        .execute();
      expect(perDeal.filter((d) => Number(d.events) !== 1)).toEqual([]);
      const events = await store.db
        .selectFrom("audit_events")
        .select(["action", "import_row", "deal_id"])
        .where("import_id", "=", id)
        .orderBy("import_row")
        .execute();
      expect(events.every((e) => e.action === "create")).toBe(true);
      expect(events.map((e) => e.import_row)).toEqual(
        Array.from({ length: ROWS }, (_, i) => i + 1),
      );
      expect(new Set(events.map((e) => e.deal_id)).size).toBe(ROWS);
      // Each row's recorded Referral ID is its deal, which carries that row's data.
      const rows = await store.db
        .selectFrom("import_rows as r")
        .innerJoin("deals as d", "d.id", "r.referral_id")
        .select(["r.row_no", "d.name"])
        .where("r.import_id", "=", id)
        .execute();
      expect(rows).toHaveLength(ROWS);
      expect(rows.every((r) => r.name === `Crash test deal ${r.row_no}`)).toBe(true);
    });
  }, 120_000);

  it("hands its job back on SIGTERM, and the next worker finishes it", async () => {
    const { admin } = await world().seedAccounts();
    const id = await world().withStore((store) => submit(store, admin));
    // No grace: the worker stops between two chunks and hands the job back at once.
    const first = cosell(["worker"], {
      ...world().env,
      ...WORKER_ENV,
      COSELL_SHUTDOWN_GRACE_MS: "0",
    });
    await world().withStore(async (store) => {
      for (const started = Date.now(); Date.now() - started < 60_000; await sleep(2)) {
        if ((await jobOf(store, id)).progress_done > 0) {
          first.child.kill("SIGTERM");
          return;
        }
      }
      throw new Error(`the worker made no progress in a minute\n${first.stderr()}`);
    });
    expect(await first.exited).toEqual({ code: 0, signal: null });
    const handedBack = await world().withStore((store) => jobOf(store, id));
    // Back in the queue at once (no lease to wait out), with the chunks it committed kept.
    expect(handedBack.status).toBe("queued");
    expect(handedBack.progress_done).toBeGreaterThan(0);
    expect(handedBack.progress_done).toBeLessThan(ROWS);
    expect(first.stderr()).toContain("job handed back to the queue");

    const second = cosell(["worker"], { ...world().env, ...WORKER_ENV });
    const done = await world().withStore(async (store) => {
      for (const started = Date.now(); Date.now() - started < 60_000; await sleep(50)) {
        const job = await jobOf(store, id);
        if (job.status === "succeeded" || job.status === "failed") return job;
      }
      throw new Error(`the job did not finish in a minute\n${second.stderr()}`);
    });
    await second.waitFor(WORKER_READY);
    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(done).toMatchObject({ status: "succeeded", progress_done: ROWS });
    expect(await world().withStore((store) => applied(store, id))).toEqual({
      deals: ROWS,
      importRows: ROWS,
      audit: ROWS,
    });
  }, 120_000);

  it("is given up on past its last attempt: the job and its import record both say so", async () => {
    const { admin } = await world().seedAccounts();
    const id = await world().withStore((store) => submit(store, admin));
    const env = { ...world().env, ...WORKER_ENV, COSELL_JOB_MAX_ATTEMPTS: "1" };
    const first = cosell(["worker"], env);
    await world().withStore(async (store) => {
      for (const started = Date.now(); Date.now() - started < 60_000; await sleep(2)) {
        if ((await jobOf(store, id)).progress_done > 0) {
          first.child.kill("SIGKILL");
          return;
        }
      }
      throw new Error(`the worker made no progress in a minute\n${first.stderr()}`);
    });
    await first.exited;
    const importOf = (store: Store) =>
      store.db
        .selectFrom("imports")
        .select(["status", "error_code", "finished_at"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
    expect(await world().withStore(importOf)).toMatchObject({ status: "running" });

    // The next worker's reaper finds the dead one's lease run out, with no attempt left.
    const second = cosell(["worker"], env);
    const given = await world().withStore(async (store) => {
      for (const started = Date.now(); Date.now() - started < 60_000; await sleep(50)) {
        const job = await jobOf(store, id);
        if (job.status !== "running" && job.status !== "queued") return job;
      }
      throw new Error(`the job was not given up on in a minute\n${second.stderr()}`);
    });
    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(given).toMatchObject({ status: "failed", attempts: 1 });
    const record = await world().withStore(importOf);
    expect(record).toMatchObject({ status: "failed", error_code: "gave_up" });
    expect(record.finished_at).not.toBeNull();
    // The history shows the same, through the job or without it.
    const shown = await world().withStore(async (store) =>
      getImportJob(store, await actorByEmail(store, admin), id),
    );
    expect(shown).toMatchObject({ status: "failed", error: { code: "gave_up" } });
  }, 120_000);
});
