/**
 * `copyStore`: an embedded store built by the test factories, copied into a fresh PostgreSQL
 * schema, holds the same rows in every table afterwards, exports the same bytes, and lets its
 * people sign in with the same passwords. Needs PostgreSQL: skipped unless
 * COSELL_TEST_DATABASE_URL is set (CI's PostgreSQL pass).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../core/limits.js";
import { newSchemaName, testDatabaseUrl } from "../../test-support/db.js";
import { csvBytes, importRows, makeWorld, newDealRow } from "../../test-support/deals.js";
import { createApiToken, createVendorToken, signIn } from "../commands/credentials.js";
import { setFavorite } from "../commands/deals.js";
import { exportDeals } from "../commands/export-deals.js";
import { submitExport, submitImport } from "../commands/job-submit.js";
import { openDatabase } from "./connect.js";
import { checkTargetEmpty, copyStore } from "./copy-store.js";
import type { Store } from "./store.js";

const url = testDatabaseUrl();

/** A value both drivers agree on: bytes as hex, whole numbers (PostgreSQL's bigint is text) as numbers. */
const norm = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString("hex")}`;
  if (value instanceof ArrayBuffer) return `bytes:${Buffer.from(value).toString("hex")}`;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && /^-?\d{1,15}$/.test(value)) return Number(value);
  return value;
};

/** Every row of a table, each as JSON of its columns in name order, sorted. */
async function rowsOf(store: Store, table: string): Promise<string[]> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
    store.db,
  );
  return rows
    .map((row) =>
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((k) => [k, norm(row[k])]),
      ),
    )
    .sort();
}

describe.skipIf(!url)("copyStore (SQLite → PostgreSQL)", () => {
  let dir = "";
  let schema = "";
  let source: Store;
  let target: Store;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cosell-copy-"));
    source = await openDatabase({ dataDir: dir });
    schema = newSchemaName();
    target = await openDatabase({ databaseUrl: url ?? "", schema });
  });
  afterEach(async () => {
    await source.close();
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(target.db);
    await target.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Something in every table: accounts, deals with children, stars, imports, jobs, tokens. */
  const fill = async () => {
    const world = await makeWorld(source);
    const created = await importRows(source, world.admin, [
      newDealRow({ "Deal Name": "Tailspin expansion", Notes: 'ünïcode, "quotes", 100%' }),
      newDealRow({ "Deal Name": "Northwind", "Solution 2": "SOL-9", "CRM ID": "CRM-1" }),
      newDealRow({ "Deal Name": "Bad row", "Customer Country": "Atlantis" }),
    ]);
    const first = created.rows[0]?.referralId ?? "";
    await importRows(source, world.admin, [
      newDealRow({
        "Referral ID": first,
        "Deal Name": "Tailspin renamed",
        "Estimated Deal Value": "12.5",
      }),
    ]);
    await importRows(source, world.stranger, [newDealRow({ "Deal Name": "Fabrikam's" })]);
    await setFavorite(source, world.user, first, true).catch(() => undefined);
    await setFavorite(source, world.admin, first, true);
    await submitImport(source, {
      actor: world.admin,
      bytes: csvBytes([newDealRow({ "Deal Name": "Queued" })]),
      fileName: "queued.csv",
      dryRun: false,
      upsertByCrmId: false,
      idempotencyKey: "key-1",
      limits: DEFAULT_LIMITS,
    });
    await submitExport(source, {
      actor: world.admin,
      filter: {},
      lang: "en",
      idempotencyKey: null,
    });
    await createApiToken(source, world.admin, "script");
    await createVendorToken(source, "vendor");
    await signIn(source, "admin@contoso.example", "contoso-admin-pass");
    return world;
  };

  const tablesOf = async (store: Store): Promise<string[]> => {
    const { rows } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%'
        and name not like 'kysely_%' and name not like 'deals_search%' order by name`.execute(
      store.db,
    );
    return rows.map((r) => r.name);
  };

  it("copies every table row for row, ids kept, and verifies the counts", async () => {
    const world = await fill();
    const progress: string[] = [];
    const copied = await copyStore(source, target, {
      batchRows: 2,
      onProgress: (p) => progress.push(`${p.table} ${p.copied}/${p.total}`),
    });
    const tables = await tablesOf(source);
    expect(copied.map((t) => t.name).sort()).toEqual(tables);
    for (const table of tables) {
      const here = await rowsOf(source, table);
      expect({ table, rows: await rowsOf(target, table) }).toEqual({ table, rows: here });
    }
    // Something of each kind was there to copy.
    for (const table of [
      "deals",
      "deal_solutions",
      "favorites",
      "import_rows",
      "audit_events",
      "jobs",
      "job_files",
      "api_tokens",
      "vendor_tokens",
      "sessions",
    ]) {
      expect({ table, empty: (await rowsOf(source, table)).length === 0 }).toEqual({
        table,
        empty: false,
      });
    }
    expect(progress).toContain("deals 3/3");
    expect(progress).toContain("deals 2/3");

    // The same bytes out of both stores, and the same password lets the admin in.
    for (const actor of [world.admin, world.user, world.stranger]) {
      const a = await exportDeals(source, { actor, filter: {} });
      const b = await exportDeals(target, { actor, filter: {} });
      expect(b.csv).toBe(a.csv);
    }
    await expect(
      signIn(target, "admin@contoso.example", "contoso-admin-pass"),
    ).resolves.toMatchObject({
      token: expect.any(String),
    });
    // New audit events go on after the copied ones.
    const before = await rowsOf(target, "audit_events");
    await importRows(target, world.admin, [newDealRow({ "Deal Name": "After the copy" })]);
    expect((await rowsOf(target, "audit_events")).length).toBeGreaterThan(before.length);
  });

  it("refuses a target that holds data, and writes nothing", async () => {
    await fill();
    await importRows(target, (await makeWorld(target)).admin, [newDealRow()]);
    const deals = (await rowsOf(target, "deals")).length;
    await expect(copyStore(source, target)).rejects.toThrow(
      /the target database already holds data \(.*deals: 1.*\); nothing was copied/,
    );
    await expect(checkTargetEmpty(target.db, true)).rejects.toThrow("already holds data");
    expect((await rowsOf(target, "deals")).length).toBe(deals);
  });

  it("wants --force for a schema that has cosell's tables, all empty", async () => {
    await expect(checkTargetEmpty(target.db, false)).rejects.toThrow("Pass --force");
    await expect(checkTargetEmpty(target.db, true)).resolves.toBeUndefined();
  });
});
