/**
 * A worker killed with SIGKILL in the middle of a 1,000-row import, then started again: the
 * job is picked up after its lease and finishes with every row applied exactly once and the
 * audit trail complete. A job whose workers keep dying is resumed while it makes progress and
 * given up on after attempts that made none; given up, failed mid-way or canceled after a
 * hand-back, its record says which rows were applied and its results file, uploaded again,
 * finishes the import with every deal once. Real processes (the compiled `cosell worker`), a
 * real store — SQLite, or PostgreSQL when COSELL_TEST_DATABASE_URL is set.
 */
import { type RawBuilder, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../core/limits.js";
import { setupCosellProcesses } from "../../test-support/child.js";
import { setupCliWorld } from "../../test-support/cli.js";
import { csvBytes, newDealRow } from "../../test-support/deals.js";
import { actorByEmail } from "../commands/accounts.js";
import { readCsv } from "../../core/csv/index.js";
import { cancelJob } from "../commands/cancel-job.js";
import { getImportJob, importResultsFile } from "../commands/import-jobs.js";
import type { DownloadFile } from "../commands/job-view.js";
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
const heldOf = async (store: Store, id: string) => ({
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
      ...(await heldOf(store, id)),
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
      expect(await heldOf(store, id)).toEqual({ deals: ROWS, importRows: ROWS, audit: ROWS });
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
    expect(await world().withStore((store) => heldOf(store, id))).toEqual({
      deals: ROWS,
      importRows: ROWS,
      audit: ROWS,
    });
  }, 120_000);

  it("resumes a job while it makes progress, gives it up after attempts that made none; its results file finishes the import", async () => {
    const { admin } = await world().seedAccounts();
    const id = await world().withStore((store) => submit(store, admin));
    const env = { COSELL_JOB_MAX_ATTEMPTS: "2" };
    const kills: Kill[] = [];

    // Kill points with progress: once the first chunk is committed, then two chunks further.
    // Each time the next worker resumes the job: with the deaths below, four deaths in all,
    // twice COSELL_JOB_MAX_ATTEMPTS, before it is given up on.
    for (const [i, point] of ["first chunk", "two chunks on"].entries()) {
      const before = await world().withStore((store) => jobOf(store, id));
      const target = before.progress_done + (i === 0 ? CHUNK : 2 * CHUNK);
      kills.push(await killWhen(id, point, env, (job) => job.progress_done >= target));
    }
    expect(kills.map((k) => k.status)).toEqual(["running", "running"]);
    // Kill points without progress: as soon as a worker has claimed the job, before its first
    // chunk. Two such deaths in a row give it up (one that got a chunk in anyway is progress):
    // the reaper of the worker after them finds the dead lease with no attempt left.
    for (let round = 0; round < 8; round++) {
      const before = await world().withStore((store) => jobOf(store, id));
      if (before.status === "failed") break;
      const claimed = (job: JobState) => job.attempts > before.attempts || job.status === "failed";
      kills.push(await killWhen(id, "at claim", env, claimed, before));
    }
    const given = await world().withStore((store) => jobOf(store, id));
    expect(given).toMatchObject({ status: "failed" });
    const last = kills.slice(-3);
    // Two deaths without progress, then the worker whose reaper gave the job up.
    expect(last.map((k) => [k.status, k.doneAfter - k.doneBefore])).toEqual([
      ["running", 0],
      ["running", 0],
      ["failed", 0],
    ]);
    const applied = given.progress_done;
    expect(applied).toBeGreaterThanOrEqual(3 * CHUNK);
    expect(applied).toBeLessThan(ROWS);
    expect(given.error_message).toMatch(/2 attempts in a row that made no progress/);
    console.info(
      `crash test kill points (${process.env.COSELL_TEST_DATABASE_URL ? "PostgreSQL" : "SQLite"}):`,
      kills.map((k) => `${k.point}: ${k.doneBefore}→${k.doneAfter} (${k.status})`).join(", "),
      `; given up with ${applied} of ${ROWS} rows applied`,
    );

    const record = await world().withStore((store) =>
      store.db
        .selectFrom("imports")
        .select(["status", "error_code", "finished_at"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow(),
    );
    expect(record).toMatchObject({ status: "failed", error_code: "gave_up" });
    expect(record.finished_at).not.toBeNull();
    await expectStoppedImport(admin, id, "failed", applied);
    await expectReuploadFinishes(admin, id, applied);
  }, 300_000);

  it("fails mid-way when the database refuses a row: the rows before it stand, the results file finishes the import", async () => {
    const { admin } = await world().seedAccounts();
    const id = await world().withStore((store) => submit(store, admin));
    // A real failure in the middle of the file: the database refuses deal 500's insert.
    await world().withStore((store) => refuseDeal(store, "Crash test deal 500"));
    const worker = startWorker();
    const failed = await pollJob(id, (job) => job.status !== "running" && job.status !== "queued");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.stderr()).toContain("job failed");
    // The chunks before the refused row's were committed; that chunk and the rest were not.
    const applied = Math.floor(499 / CHUNK) * CHUNK;
    expect(failed).toMatchObject({ status: "failed", progress_done: applied });
    await expectStoppedImport(admin, id, "failed", applied);

    await world().withStore((store) => allowDeals(store));
    await expectReuploadFinishes(admin, id, applied);
  }, 180_000);

  it("handed back at a shutdown, then canceled: the record says what was applied, the results file finishes the import", async () => {
    const { admin } = await world().seedAccounts();
    const id = await world().withStore((store) => submit(store, admin));
    const first = startWorker({ COSELL_SHUTDOWN_GRACE_MS: "0" });
    await pollJob(
      id,
      (job) => job.progress_done > 0,
      () => first.child.kill("SIGTERM"),
    );
    expect(await first.exited).toEqual({ code: 0, signal: null });
    const handedBack = await world().withStore((store) => jobOf(store, id));
    expect(handedBack.status).toBe("queued");
    const applied = handedBack.progress_done;
    expect(applied).toBeGreaterThan(0);
    expect(applied).toBeLessThan(ROWS);

    await world().withStore(async (store) =>
      cancelJob(store, await actorByEmail(store, admin), "import", id, DEFAULT_LIMITS),
    );
    await expectStoppedImport(admin, id, "canceled", applied);
    await expectReuploadFinishes(admin, id, applied);
  }, 180_000);
});

interface Kill {
  point: string;
  /** Rows done when the worker was started, and when it was dead. */
  doneBefore: number;
  doneAfter: number;
  /** The job's status once its worker was dead. */
  status: string;
}

type JobState = Awaited<ReturnType<typeof jobOf>>;

/**
 * Polls the job until `until` holds; `then` runs at once when it does (a kill is a race, so it
 * polls often: every 5 ms, not so often that the polling starves the worker of the CPU).
 */
const pollJob = (
  id: string,
  until: (job: JobState) => boolean,
  then?: () => void,
): Promise<JobState> =>
  world().withStore(async (store) => {
    const every = then ? 5 : 50;
    for (const started = Date.now(); Date.now() - started < 90_000; await sleep(every)) {
      const job = await jobOf(store, id);
      if (until(job)) {
        then?.();
        return job;
      }
    }
    throw new Error(`the job did not get there in 90 s: ${JSON.stringify(await jobOf(store, id))}`);
  });

const startWorker = (env: Record<string, string> = {}) =>
  cosell(["worker"], { ...world().env, ...WORKER_ENV, ...env });

/** Starts a worker and SIGKILLs it as soon as the job satisfies `until`. */
const killWhen = async (
  id: string,
  point: string,
  env: Record<string, string>,
  until: (job: JobState) => boolean,
  known?: JobState,
): Promise<Kill> => {
  const before = known ?? (await world().withStore((store) => jobOf(store, id)));
  const worker = startWorker(env);
  await pollJob(id, until, () => worker.child.kill("SIGKILL"));
  expect(await worker.exited).toEqual({ code: null, signal: "SIGKILL" });
  const after = await world().withStore((store) => jobOf(store, id));
  return {
    point,
    doneBefore: before.progress_done,
    doneAfter: after.progress_done,
    status: after.status,
  };
};

/** A trigger that makes the database refuse one deal's insert, on either dialect. */
const refuseDeal = async (store: Store, name: string): Promise<void> => {
  if (store.dialect === "postgres") {
    await sql`create function refuse_deal() returns trigger language plpgsql as $$
      begin
        if new.name = ${sql.lit(name)} then raise exception 'refused by the test'; end if;
        return new;
      end $$`.execute(store.db);
    await sql`create trigger refuse_deal before insert on deals for each row execute function refuse_deal()`.execute(
      store.db,
    );
  } else {
    await sql`create trigger refuse_deal before insert on deals when new.name = ${sql.lit(name)}
      begin select raise(abort, 'refused by the test'); end`.execute(store.db);
  }
};

const allowDeals = async (store: Store): Promise<void> => {
  await sql`drop trigger refuse_deal${sql.raw(store.dialect === "postgres" ? " on deals" : "")}`.execute(
    store.db,
  );
};

const STOPPED = "Not processed: the import stopped before this row";

/** A download's text, whole or piece by piece. */
const textOf = async (file: DownloadFile): Promise<string> => {
  if (typeof file.data === "string") return file.data;
  if (file.data instanceof Uint8Array) return new TextDecoder().decode(file.data);
  let text = "";
  for await (const part of file.data) text += part;
  return text;
};

/**
 * A stopped import's record and results file: the first `applied` rows created (with their
 * Referral IDs, each the deal of that row), every other row not processed because the import
 * stopped before it — in the rows' results, the totals and the file alike.
 */
const expectStoppedImport = async (
  email: string,
  id: string,
  status: "failed" | "canceled",
  applied: number,
) =>
  world().withStore(async (store) => {
    const actor = await actorByEmail(store, email);
    expect(await heldOf(store, id)).toEqual({ deals: applied, importRows: ROWS, audit: applied });
    const shown = await getImportJob(store, actor, id);
    expect(shown).toMatchObject({
      status,
      resultsReady: true,
      summary: { partial: true, total: ROWS, created: applied, notProcessed: ROWS - applied },
    });
    const file = await importResultsFile(store, actor, id);
    expect(file.name).toBe("crash-results.csv");
    const { header, records } = readCsv(await textOf(file));
    const at = (name: string) => header.indexOf(name);
    expect(records).toHaveLength(ROWS);
    const deals = new Map(
      (await store.db.selectFrom("deals").select(["id", "name"]).execute()).map((d) => [
        d.id,
        d.name,
      ]),
    );
    for (const [i, r] of records.entries()) {
      const cell = (name: string) => r.cells[at(name)] ?? "";
      if (i < applied) {
        expect(cell("Import Result")).toBe("Created");
        expect(deals.get(cell("Referral ID"))).toBe(`Crash test deal ${i + 1}`);
        expect(cell("Errors")).toBe("");
      } else {
        expect([cell("Import Result"), cell("Errors"), cell("Referral ID")]).toEqual([
          "Not processed",
          STOPPED,
          "",
        ]);
      }
    }
  });

/**
 * The stopped import's results file uploaded again, run by a worker: the rows applied come back
 * Unchanged, the others are created — every deal of the file there exactly once.
 */
const expectReuploadFinishes = async (email: string, stoppedId: string, applied: number) => {
  const again = await world().withStore(async (store) => {
    const actor = await actorByEmail(store, email);
    const file = await importResultsFile(store, actor, stoppedId);
    const { id } = await submitImport(store, {
      actor,
      bytes: new TextEncoder().encode(await textOf(file)),
      fileName: file.name,
      dryRun: false,
      upsertByCrmId: false,
      idempotencyKey: null,
      limits: DEFAULT_LIMITS,
    });
    return id;
  });
  const worker = startWorker();
  const done = await pollJob(again, (job) => job.status !== "running" && job.status !== "queued");
  worker.child.kill("SIGTERM");
  expect(await worker.exited).toEqual({ code: 0, signal: null });
  expect(done.status).toBe("succeeded");
  expect(JSON.parse(done.result ?? "null")).toMatchObject({
    created: ROWS - applied,
    unchanged: applied,
    updated: 0,
    notProcessed: 0,
  });
  await world().withStore(async (store) => {
    const names = await store.db
      .selectFrom("deals")
      .select(["name", (eb) => eb.fn.countAll().as("n")])
      .groupBy("name")
      .execute();
    expect(names).toHaveLength(ROWS);
    expect(names.filter((n) => Number(n.n) !== 1)).toEqual([]);
    expect(new Set(names.map((n) => n.name))).toEqual(
      new Set(Array.from({ length: ROWS }, (_, i) => `Crash test deal ${i + 1}`)),
    );
  });
};
