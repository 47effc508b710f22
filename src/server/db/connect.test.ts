import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newSchemaName, setupTestStore, testDatabaseUrl } from "../../test-support/db.js";
import {
  AT,
  auditRow,
  dealRow,
  orgRow,
  solutionRow,
  teamMemberRow,
  userRow,
} from "../../test-support/db-rows.js";
import { openDatabase } from "./connect.js";
import { toCount } from "./count.js";
import { SQLITE_FILE_NAME } from "./open-sqlite.js";
import { DatabaseOpenError, type Store } from "./store.js";

describe("a test store (SQLite, or PostgreSQL with COSELL_TEST_DATABASE_URL)", () => {
  const current = setupTestStore();
  let store: Store;
  let orgId: string;
  beforeEach(async () => {
    store = current();
    const org = orgRow();
    orgId = org.id;
    await store.db.insertInto("organizations").values(org).execute();
  });

  it("uses the dialect the environment asks for", () => {
    expect(store.dialect).toBe(testDatabaseUrl() ? "postgres" : "sqlite");
  });

  it("returns a deal and its children exactly as written, with no extra keys", async () => {
    const deal = dealRow(orgId, { customer_address2: "Suite 5", notes: "Ünïcode ✓ 日本" });
    await store.db.insertInto("deals").values(deal).execute();
    await store.db
      .insertInto("deal_solutions")
      .values([solutionRow(deal.id, 0), solutionRow(deal.id, 1, { price: null, quantity: null })])
      .execute();
    await store.db.insertInto("deal_team_members").values(teamMemberRow(deal.id, 0)).execute();

    const read = await store.db
      .selectFrom("deals")
      .selectAll()
      .where("id", "=", deal.id)
      .executeTakeFirstOrThrow();
    expect(read).toStrictEqual({ ...deal, version: 1, search_text: "" });

    const solutions = await store.db
      .selectFrom("deal_solutions")
      .selectAll()
      .where("deal_id", "=", deal.id)
      .orderBy("position")
      .execute();
    expect(solutions).toStrictEqual([
      solutionRow(deal.id, 0),
      solutionRow(deal.id, 1, { price: null, quantity: null }),
    ]);
  });

  it("returns counts and sums as numbers", async () => {
    await store.db
      .insertInto("deals")
      .values([dealRow(orgId, { value: 1.25 }), dealRow(orgId, { value: 2 })])
      .execute();
    const row = await store.db
      .selectFrom("deals")
      .select((eb) => [
        eb.fn.countAll().as("n"),
        eb.fn.sum("value").as("total"),
        eb.fn.sum("version").as("versions"),
      ])
      .executeTakeFirstOrThrow();
    expect(row).toStrictEqual({ n: 2, total: 3.25, versions: 2 });
    expect(toCount(row.n)).toBe(2);
  });

  it("enforces foreign keys", async () => {
    await expect(
      store.db.insertInto("deals").values(dealRow("no-such-org")).execute(),
    ).rejects.toThrow();
  });

  it("deletes a deal's solutions, team and favorites with it", async () => {
    const deal = dealRow(orgId);
    const user = userRow(orgId);
    await store.db.insertInto("users").values(user).execute();
    await store.db.insertInto("deals").values(deal).execute();
    await store.db.insertInto("deal_solutions").values(solutionRow(deal.id, 0)).execute();
    await store.db.insertInto("deal_team_members").values(teamMemberRow(deal.id, 0)).execute();
    await store.db
      .insertInto("favorites")
      .values({ user_id: user.id, deal_id: deal.id, created_at: AT })
      .execute();

    await store.db.deleteFrom("deals").where("id", "=", deal.id).execute();

    for (const table of ["deal_solutions", "deal_team_members", "favorites"] as const) {
      const { n } = await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      expect(toCount(n), table).toBe(0);
    }
  });

  it("keeps user emails unique", async () => {
    await store.db
      .insertInto("users")
      .values(userRow(orgId, { email: "a@example.com" }))
      .execute();
    await expect(
      store.db
        .insertInto("users")
        .values(userRow(orgId, { email: "a@example.com" }))
        .execute(),
    ).rejects.toThrow();
  });

  it("refuses a flag other than 0 or 1", async () => {
    const deal = dealRow(orgId);
    await store.db.insertInto("deals").values(deal).execute();
    await expect(
      sql`update deals set consent = 2 where id = ${deal.id}`.execute(store.db),
    ).rejects.toThrow();
  });

  it("orders and compares ISO timestamps as text", async () => {
    const times = [
      "2026-11-24T10:00:00.000Z",
      "2026-11-24T09:59:59.999Z",
      "2027-01-01T00:00:00.000Z",
    ];
    await store.db
      .insertInto("deals")
      .values(times.map((t) => dealRow(orgId, { created_at: t })))
      .execute();
    const rows = await store.db
      .selectFrom("deals")
      .select("created_at")
      .where("created_at", ">", "2026-11-24T09:59:59.999Z")
      .orderBy("created_at", "desc")
      .execute();
    expect(rows.map((r) => r.created_at)).toEqual([
      "2027-01-01T00:00:00.000Z",
      "2026-11-24T10:00:00.000Z",
    ]);
  });

  it("numbers audit events in order, as numbers, never reusing an id", async () => {
    const first = await store.db
      .insertInto("audit_events")
      .values(auditRow(orgId, "d1"))
      .returning("id")
      .executeTakeFirstOrThrow();
    const second = await store.db
      .insertInto("audit_events")
      .values(auditRow(orgId, "d1"))
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(typeof first.id).toBe("number");
    expect(second.id).toBeGreaterThan(first.id);

    // Never done in the app (the log is append-only); shows ids keep growing regardless.
    await store.db.deleteFrom("audit_events").where("id", "=", second.id).execute();
    const third = await store.db
      .insertInto("audit_events")
      .values(auditRow(orgId, "d1"))
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(third.id).toBeGreaterThan(second.id);
  });

  it("rolls a failed transaction back", async () => {
    const deal = dealRow(orgId);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto("deals").values(deal).execute();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const found = await store.db.selectFrom("deals").select("id").execute();
    expect(found).toEqual([]);
  });
});

describe("SQLite store", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "cosell-connect-"));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("creates the data directory and cosell.db in it, with the pragmas set", async () => {
    const dataDir = path.join(root, "a", "b");
    const store = await openDatabase({ dataDir });
    try {
      expect(store.dialect).toBe("sqlite");
      const pragma = async (name: string) => {
        const { rows } = await sql.raw(`pragma ${name}`).execute(store.db);
        return rows[0];
      };
      expect(await pragma("journal_mode")).toEqual({ journal_mode: "wal" });
      expect(await pragma("synchronous")).toEqual({ synchronous: 1 }); // NORMAL
      expect(await pragma("foreign_keys")).toEqual({ foreign_keys: 1 });
      expect(await pragma("busy_timeout")).toEqual({ timeout: 5000 });
      const { rows } = await sql`select file from pragma_database_list where name = 'main'`.execute(
        store.db,
      );
      expect(rows).toEqual([{ file: path.join(dataDir, SQLITE_FILE_NAME) }]);
    } finally {
      await store.close();
    }
  });

  it("keeps the data when reopened", async () => {
    const org = orgRow();
    const first = await openDatabase({ dataDir: root });
    await first.db.insertInto("organizations").values(org).execute();
    await first.close();

    const second = await openDatabase({ dataDir: root });
    try {
      const names = await second.db.selectFrom("organizations").select("name").execute();
      expect(names).toEqual([{ name: org.name }]);
    } finally {
      await second.close();
    }
  });

  it("can be closed twice", async () => {
    const store = await openDatabase({ dataDir: root });
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });

  it("says clearly when the data directory cannot be created", async () => {
    const file = path.join(root, "occupied");
    await writeFile(file, "");
    const open = openDatabase({ dataDir: path.join(file, "sub") });
    await expect(open).rejects.toThrow(DatabaseOpenError);
    await expect(open).rejects.toThrow(
      `Cannot create the data directory ${path.join(file, "sub")}`,
    );
  });

  it("says clearly when cosell.db is not a database", async () => {
    await writeFile(
      path.join(root, SQLITE_FILE_NAME),
      "this is not a database, just text ".repeat(50),
    );
    await expect(openDatabase({ dataDir: root })).rejects.toThrow(
      /^Cannot open the database file .*cosell\.db: .*not a database/,
    );
  });

  it("refuses ambiguous options", async () => {
    await expect(
      openDatabase({ dataDir: root, databaseUrl: "postgres://localhost/x" }),
    ).rejects.toThrow("not both");
    await expect(openDatabase({ dataDir: root, schema: "s" })).rejects.toThrow("PostgreSQL only");
  });
});

describe("PostgreSQL open errors (no server needed)", () => {
  it("rejects a URL that is not one, without echoing it", async () => {
    const open = openDatabase({ databaseUrl: "not a url with secret" });
    await expect(open).rejects.toThrow(DatabaseOpenError);
    await expect(open).rejects.toThrow(/^DATABASE_URL is not a valid URL; expected postgres:\/\//);
    await expect(open).rejects.not.toThrow("secret");
  });

  it("rejects a URL of another database", async () => {
    await expect(openDatabase({ databaseUrl: "mysql://u@localhost/db" })).rejects.toThrow(
      "DATABASE_URL must start with postgres:// or postgresql://",
    );
  });

  it("names the unreachable server, gives a hint, and never shows the password", async () => {
    const open = openDatabase({ databaseUrl: "postgres://u:s3cret@127.0.0.1:1/cosell" });
    await expect(open).rejects.toThrow(DatabaseOpenError);
    await expect(open).rejects.toThrow(
      /^Cannot open the PostgreSQL database at 127\.0\.0\.1:1\/cosell: .*ECONNREFUSED.* \(is the server running/,
    );
    await expect(open).rejects.not.toThrow("s3cret");
  });

  it("rejects a schema name that would need quoting", async () => {
    await expect(
      openDatabase({ databaseUrl: "postgres://localhost/x", schema: 'a"; drop' }),
    ).rejects.toThrow(/^Invalid PostgreSQL schema name/);
  });
});

const pgUrl = testDatabaseUrl();

describe.runIf(pgUrl)("PostgreSQL store", () => {
  const url = pgUrl ?? "";
  // An empty store of its own: a connection to run checks and clean-ups through.
  const admin = setupTestStore({ migrate: false });
  let schemas: string[] = [];
  const newSchema = () => {
    const name = newSchemaName();
    schemas.push(name);
    return name;
  };
  const tablesIn = async (schema: string) => {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = ${schema} order by table_name`.execute(admin().db);
    return rows.map((r) => r.table_name);
  };
  afterEach(async () => {
    for (const schema of schemas) {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin().db);
    }
    schemas = [];
  });

  it("puts the tables in the schema given in the options, creating it", async () => {
    const schema = newSchema();
    const store = await openDatabase({ databaseUrl: url, schema });
    await store.close();
    expect(await tablesIn(schema)).toContain("deals");
  });

  it("puts the tables in the schema named by the URL's search_path", async () => {
    const schema = newSchema();
    await sql`create schema ${sql.id(schema)}`.execute(admin().db);
    const withPath = new URL(url);
    withPath.searchParams.set("options", `-c search_path=${schema}`);
    const store = await openDatabase({ databaseUrl: withPath.toString() });
    await store.close();
    expect(await tablesIn(schema)).toContain("deals");
  });

  it("says so when the URL's search_path names no existing schema", async () => {
    const withPath = new URL(url);
    withPath.searchParams.set("options", `-c search_path=${newSchema()}`);
    await expect(openDatabase({ databaseUrl: withPath.toString() })).rejects.toThrow(
      /no schema of the search_path \(cosell_test_\w+\) exists; create it first/,
    );
  });

  it("passes on the server's own reason, e.g. a missing database", async () => {
    const missing = new URL(url);
    missing.pathname = "/no_such_database_here";
    const open = openDatabase({ databaseUrl: missing.toString() });
    await expect(open).rejects.toThrow(/database "no_such_database_here" does not exist$/);
  });

  it("fails a query rather than return an int8 beyond 2^53 wrongly", async () => {
    await expect(sql`select 9007199254740993::int8 as n`.execute(admin().db)).rejects.toThrow(
      "exceeds 2^53",
    );
    const { rows } =
      await sql`select 42::int8 as n, avg(x) as a from (values (1), (2)) v(x)`.execute(admin().db);
    expect(rows).toEqual([{ n: 42, a: 1.5 }]);
  });
});
