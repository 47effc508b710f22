/**
 * A deployment in miniature (docs/DEPLOYMENT.md): two `cosell serve` processes without
 * workers and two `cosell worker` processes on one PostgreSQL; 20 imports and 20 exports
 * submitted at once through both servers, and one worker killed with SIGKILL part-way. Every
 * job must finish exactly once, every row be applied exactly once with its audit entry, and no
 * request fail. PostgreSQL only (SQLite has one writer): skipped unless COSELL_TEST_DATABASE_URL is set.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { setupCosellProcesses } from "../../test-support/child.js";
import { setupCliWorld } from "../../test-support/cli.js";
import { testDatabaseUrl } from "../../test-support/db.js";
import { csvBytes, newDealRow } from "../../test-support/deals.js";
import { actorByEmail } from "../commands/accounts.js";
import { createApiToken } from "../commands/credentials.js";

const world = setupCliWorld();
const cosell = setupCosellProcesses();

const IMPORTS = 20;
const EXPORTS = 20;
const ROWS = 60;
const CHUNK = 10;

const ENV = {
  COSELL_DEMO: "0",
  COSELL_IMPORT_CHUNK_ROWS: String(CHUNK),
  COSELL_JOB_LEASE_MS: "1500",
  COSELL_JOB_POLL_MS: "100",
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isTerminal = (status: unknown) =>
  status === "succeeded" || status === "failed" || status === "canceled";

describe.skipIf(!testDatabaseUrl())("two servers and two workers on one PostgreSQL", () => {
  it("finish 20 imports and 20 exports exactly once through a worker's SIGKILL, and no request fails", async () => {
    const { admin } = await world().seedAccounts();
    const { token } = await world().withStore(async (store) =>
      createApiToken(store, await actorByEmail(store, admin), "multi-process"),
    );
    const auth = { authorization: `Bearer ${token}` };

    const servers = [0, 1].map(() =>
      cosell(["serve", "--port", "0"], { ...world().env, ...ENV, COSELL_WORKERS: "0" }),
    );
    const urls = await Promise.all(
      servers.map(async (s) => (await s.waitFor(/cosell is running at (http:\/\/\S+)/))[1] ?? ""),
    );
    const workers = [0, 1].map(() => cosell(["worker"], { ...world().env, ...ENV }));
    await Promise.all(workers.map((w) => w.waitFor(/cosell worker is running/)));
    const owner = (i: number) => /"owner":"(worker-[^"]+)"/.exec(workers[i]?.stderr() ?? "")?.[1];

    const failures: string[] = [];
    const call = async (i: number, path: string, init: RequestInit = {}) => {
      const url = `${urls[i % 2]}${path}`;
      const res = await fetch(url, { ...init, headers: { ...auth, ...init.headers } });
      const body: unknown = await res.json();
      if (!res.ok)
        failures.push(`${init.method ?? "GET"} ${url}: ${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    const idOf = (body: unknown): string =>
      typeof body === "object" && body !== null && "id" in body ? String(body.id) : "";

    const submissions = [
      ...Array.from({ length: IMPORTS }, (_, i) =>
        call(i, `/api/imports?fileName=mp-${i}.csv`, {
          method: "POST",
          headers: { "content-type": "text/csv" },
          body: Buffer.from(
            csvBytes(
              Array.from({ length: ROWS }, (_, r) =>
                newDealRow({ "Deal Name": `MP ${i}-${r}`, "CRM ID": `MP-${i}-${r}` }),
              ),
            ),
          ),
        }).then((body) => ({ kind: "imports", id: idOf(body) })),
      ),
      ...Array.from({ length: EXPORTS }, (_, i) =>
        call(i + 1, "/api/exports", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        }).then((body) => ({ kind: "exports", id: idOf(body) })),
      ),
    ];

    // Kill the first worker while it holds an import with some chunks committed and not all.
    const killed = world().withStore(async (store) => {
      for (const started = Date.now(); Date.now() - started < 90_000; await sleep(5)) {
        const dead = owner(0);
        const busy = await store.db
          .selectFrom("jobs")
          .select("id")
          .where("kind", "=", "import")
          .where("status", "=", "running")
          .where("lease_owner", "=", dead ?? "")
          .where("progress_done", ">", 0)
          .where("progress_done", "<", ROWS)
          .executeTakeFirst();
        if (busy) {
          workers[0]?.child.kill("SIGKILL");
          return busy.id;
        }
      }
      throw new Error(`the first worker never held an import part-way\n${workers[0]?.stderr()}`);
    });
    const jobs = await Promise.all(submissions);
    const interrupted = await killed;
    expect(await workers[0]?.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(jobs.every((j) => j.id !== "")).toBe(true);

    // Every job polled through both servers until it ends.
    const finished = new Map<string, Record<string, unknown>>();
    for (const started = Date.now(); finished.size < jobs.length; await sleep(200)) {
      if (Date.now() - started > 180_000) {
        throw new Error(
          `${jobs.length - finished.size} jobs did not finish in 3 minutes\n${workers[1]?.stderr().slice(-3000)}`,
        );
      }
      for (const [i, job] of jobs.entries()) {
        if (finished.has(job.id)) continue;
        const body = await call(i, `/api/${job.kind}/${job.id}`);
        if (
          typeof body === "object" &&
          body !== null &&
          "status" in body &&
          isTerminal(body.status)
        ) {
          finished.set(job.id, { ...body });
        }
      }
    }
    expect([...finished.values()].filter((j) => j.status !== "succeeded")).toEqual([]);
    for (const [i, job] of jobs.entries()) {
      if (job.kind !== "exports") continue;
      const res = await fetch(`${urls[i % 2]}/api/exports/${job.id}/file`, { headers: auth });
      expect(res.status).toBe(200);
      expect((await res.text()).length).toBeGreaterThan(0);
    }
    expect(failures).toEqual([]);

    await world().withStore(async (store) => {
      const n = async (query: ReturnType<typeof sql<{ n: string | number }>>) =>
        Number((await query.execute(store.db)).rows[0]?.n ?? -1);
      // Every row applied once: one deal per CRM ID, one recorded row and one 'create' event per row.
      expect(await n(sql`select count(*) as n from deals where crm_id like 'MP-%'`)).toBe(
        IMPORTS * ROWS,
      );
      expect(
        await n(sql`select count(distinct crm_id) as n from deals where crm_id like 'MP-%'`),
      ).toBe(IMPORTS * ROWS);
      const imports = jobs.filter((j) => j.kind === "imports").map((j) => j.id);
      for (const id of imports) {
        const summary = finished.get(id)?.summary;
        expect({ id, summary }).toMatchObject({ id, summary: { created: ROWS, notProcessed: 0 } });
        expect(await n(sql`select count(*) as n from import_rows where import_id = ${id}`)).toBe(
          ROWS,
        );
        expect(
          await n(
            sql`select count(*) as n from audit_events where import_id = ${id} and action = 'create'`,
          ),
        ).toBe(ROWS);
        expect(
          await n(
            sql`select count(distinct import_row) as n from audit_events where import_id = ${id}`,
          ),
        ).toBe(ROWS);
      }
      const perDeal = await n(sql`select count(*) as n from deals d where d.crm_id like 'MP-%'
        and (select count(*) from audit_events a where a.deal_id = d.id and a.action = 'create') <> 1`);
      expect(perDeal).toBe(0);
      // Each job ended once: one export file per export, one finished record per import.
      const files = await store.db
        .selectFrom("job_files")
        .select(["job_id"])
        .where("role", "=", "export")
        .execute();
      for (const job of jobs.filter((j) => j.kind === "exports")) {
        expect({ id: job.id, files: files.filter((f) => f.job_id === job.id).length }).toEqual({
          id: job.id,
          files: 1,
        });
      }
      const records = await store.db
        .selectFrom("imports")
        .select(["id", "status", "created", "not_processed"])
        .select((eb) => eb("results_csv", "is not", null).as("has_results"))
        .where("id", "in", imports)
        .execute();
      expect(records).toHaveLength(IMPORTS);
      for (const r of records) {
        expect(r).toMatchObject({ status: "succeeded", created: ROWS, not_processed: 0 });
        expect(Boolean(r.has_results)).toBe(true);
      }
      const taken = await store.db
        .selectFrom("jobs")
        .select(["attempts", "lease_owner", "status"])
        .where("id", "=", interrupted)
        .executeTakeFirstOrThrow();
      expect(taken.status).toBe("succeeded");
      expect(taken.attempts).toBeGreaterThanOrEqual(2);
    });

    workers[1]?.child.kill("SIGTERM");
    for (const s of servers) s.child.kill("SIGTERM");
    expect(await workers[1]?.exited).toEqual({ code: 0, signal: null });
    for (const s of servers) expect(await s.exited).toEqual({ code: 0, signal: null });
  }, 300_000);
});
