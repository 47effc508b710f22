/**
 * `cosell db copy --to` end to end: the compiled CLI copies an embedded store into a fresh
 * PostgreSQL schema, says what it copied, and refuses to copy twice or from nowhere. Needs
 * PostgreSQL: skipped unless COSELL_TEST_DATABASE_URL is set (CI's PostgreSQL pass).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../server/db/connect.js";
import { expectExit, jsonOf, runCli } from "../test-support/cli.js";
import { newSchemaName, testDatabaseUrl } from "../test-support/db.js";
import { importRows, makeWorld, newDealRow } from "../test-support/deals.js";
import { EXIT } from "./exit-codes.js";

const url = testDatabaseUrl();

const onPostgres = async (query: string) => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(query);
  } finally {
    await client.end();
  }
};

describe.skipIf(!url)("cosell db copy", () => {
  let dir = "";
  let schema = "";
  let target = "";

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cosell-cli-copy-"));
    schema = newSchemaName();
    await onPostgres(`create schema ${schema}`);
    target = `${url}${url?.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  });
  afterEach(async () => {
    await onPostgres(`drop schema if exists ${schema} cascade`);
    await rm(dir, { recursive: true, force: true });
  });

  const run = (args: string[]) =>
    runCli(["--data", path.join(dir, "data"), ...args], { cwd: dir, timeoutMs: 60_000 });

  it("copies the store, reports every table, and refuses a second copy into the same schema", async () => {
    const source = await openDatabase({ dataDir: path.join(dir, "data") });
    try {
      const world = await makeWorld(source);
      await importRows(source, world.admin, [newDealRow(), newDealRow({ "Deal Name": "Second" })]);
    } finally {
      await source.close();
    }
    const r = await run(["db", "copy", "--to", target, "--json"]);
    expectExit(r, EXIT.ok);
    expect(jsonOf(r)).toMatchObject({
      tables: { organizations: 2, users: 3, deals: 2, deal_solutions: 2, imports: 1 },
    });
    expect(r.stderr).toContain("Copying deals: 2 of 2 rows");
    const { rows } = await onPostgres(`select count(*)::int as n from ${schema}.deals`);
    expect(rows[0]).toEqual({ n: 2 });

    const again = await run(["db", "copy", "--to", target]);
    expectExit(again, EXIT.rejected);
    expect(again.stderr).toContain("the target database already holds data");
    const forced = await run(["db", "copy", "--to", target, "--force"]);
    expectExit(forced, EXIT.rejected);
    expect((await onPostgres(`select count(*)::int as n from ${schema}.deals`)).rows[0]).toEqual({
      n: 2,
    });
  });

  it("refuses a folder without a store, and a target that is not PostgreSQL", async () => {
    const none = await run(["db", "copy", "--to", target]);
    expectExit(none, EXIT.rejected);
    expect(none.stderr).toContain("there is no embedded store at");
    const notPg = await run(["db", "copy", "--to", "mysql://x"]);
    expectExit(notPg, EXIT.rejected);
    expect(notPg.stderr).toContain("is not a PostgreSQL URL");
  });
});
