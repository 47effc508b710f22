/**
 * `npm run bench:sync [-- --pg]`: the Partner Center sync against the simulator on loopback —
 * a pull of 5,000 referrals (pages of 100) into an empty organisation, then a push of 1,000
 * changed deals — with the requests sent and the simulator's own handler time (the floor);
 * then the same with the simulator throttling every third request, checking that no change
 * was lost or duplicated. Figures go to docs/BENCHMARKS.md.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { createOrganization } from "../src/server/commands/accounts.js";
import { connectPartnerCenter } from "../src/server/commands/connections.js";
import { syncConnection } from "../src/server/connectors/partner-center/sync.js";
import { openDatabase } from "../src/server/db/connect.js";
import type { Store } from "../src/server/db/store.js";
import { startSimulator } from "../src/simulator/partner-center/server.js";

const REFERRALS = 5000;
const CHANGED = 1000;
const usePg = process.argv.includes("--pg");

async function openStore(): Promise<{ store: Store; done: () => Promise<void> }> {
  if (usePg) {
    process.env.COSELL_SECRET_KEY ??= Buffer.alloc(32, 3).toString("base64");
    const schema = `bench_sync_${Date.now().toString(36)}`;
    const store = await openDatabase({
      databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
      schema,
    });
    return {
      store,
      done: async () => {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
        await store.close();
      },
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), "cosell-bench-sync-"));
  const store = await openDatabase({ dataDir: dir });
  return {
    store,
    done: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Line {
  scenario: string;
  ms: number;
  requests: number;
  simMs: number;
  check: string;
}

async function scenario(throttleEvery: number | null, retryAfterSeconds: number): Promise<Line[]> {
  const sim = await startSimulator({ referrals: REFERRALS, maxPageSize: 100, seed: 5 });
  const { store, done } = await openStore();
  const lines: Line[] = [];
  try {
    await createOrganization(store, {
      name: "Bench",
      adminEmail: "admin@bench.example",
      password: "pw-bench-12345",
    });
    const org = await store.db.selectFrom("organizations").select("id").executeTakeFirstOrThrow();
    const { connection } = await connectPartnerCenter(
      store,
      { orgId: org.id },
      {
        apiUrl: sim.apiUrl,
        tokenUrl: sim.tokenUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
        refreshToken: sim.credentials.refreshToken,
      },
    );
    const label = throttleEvery
      ? ` (429 every ${throttleEvery}rd, Retry-After ${retryAfterSeconds} s)`
      : "";
    sim.hooks.throttle(throttleEvery, retryAfterSeconds);
    sim.hooks.resetStats();
    let t = performance.now();
    const pulled = await syncConnection(store, connection.id);
    let ms = performance.now() - t;
    const deals = Number(
      (
        await store.db
          .selectFrom("deals")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    lines.push({
      scenario: `pull ${REFERRALS} referrals${label}`,
      ms,
      requests: pulled.requests,
      simMs: sim.hooks.stats().handlerMs,
      check: `${pulled.pulled.created} created, ${deals} deals, ${pulled.errors.length} errors`,
    });

    // 1,000 deals changed here: new notes (one statement; the version moves as an edit's would).
    const ids = (
      await store.db.selectFrom("deals").select("id").orderBy("id").limit(CHANGED).execute()
    ).map((r) => r.id);
    for (let i = 0; i < ids.length; i += 500) {
      await store.db
        .updateTable("deals")
        .set((eb) => ({
          notes: sql<string>`'bench ' || ${eb.ref("id")}`,
          version: sql<number>`version + 1`,
        }))
        .where("id", "in", ids.slice(i, i + 500))
        .execute();
    }
    sim.hooks.resetStats();
    t = performance.now();
    const pushed = await syncConnection(store, connection.id);
    ms = performance.now() - t;
    const remote = sim.hooks.referrals();
    const links = await store.db
      .selectFrom("deal_links")
      .select(["deal_id", "referral_id"])
      .execute();
    const byReferral = new Map(links.map((l) => [l.referral_id, l.deal_id]));
    const landed = remote.filter((r) => {
      const d = r.details;
      const notes = d && typeof d === "object" && !Array.isArray(d) ? d.notes : null;
      return notes === `bench ${byReferral.get(String(r.id))}`;
    }).length;
    lines.push({
      scenario: `push ${CHANGED} changed deals${label}`,
      ms,
      requests: pushed.requests,
      simMs: sim.hooks.stats().handlerMs,
      check: `${pushed.pushed.updated} updated, ${landed}/${CHANGED} landed, ${remote.length} referrals (${remote.length - REFERRALS} extra), throttled ${sim.hooks.stats().throttled}`,
    });
  } finally {
    await done();
    await sim.close();
  }
  return lines;
}

const lines = [...(await scenario(null, 0)), ...(await scenario(3, 0))];
console.log(`store: ${usePg ? "PostgreSQL" : "SQLite"}`);
console.log("| scenario | time | requests | simulator's own time | ratio | check |");
console.log("|---|---|---|---|---|---|");
for (const l of lines) {
  console.log(
    `| ${l.scenario} | ${(l.ms / 1000).toFixed(2)} s | ${l.requests} | ${(l.simMs / 1000).toFixed(2)} s | ${(l.ms / l.simMs).toFixed(1)}× | ${l.check} |`,
  );
}
