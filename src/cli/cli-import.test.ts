/**
 * `cosell import` end to end: the compiled CLI in a child process against a fresh store per
 * test. The `--json` shape and the exit codes (0 all rows, 1 some rows, 2 file rejected) are
 * the contract: acceptance scripts depend on them.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readCsv } from "../core/csv/index.js";
import { DEFAULT_LIMITS } from "../core/limits.js";
import {
  canRunInTerminal,
  expectExit,
  FIXTURES_DIR,
  jsonOf,
  runCliInTerminal,
  setupCliWorld,
} from "../test-support/cli.js";
import { csvBytes, newDealRow } from "../test-support/deals.js";
import { EXIT } from "./exit-codes.js";

const world = setupCliWorld();

const fixture = (name: string): string => path.join(FIXTURES_DIR, name);

describe("cosell import", () => {
  it("creates the 12 deals of create-en.csv (exit 0) and reports each row", async () => {
    const { admin } = await world().seedAccounts();
    const r = await world().run(["import", fixture("create-en.csv"), "--as", admin, "--json"]);
    expectExit(r, EXIT.ok);
    const created = Array.from({ length: 12 }, (_, i) => ({
      row: i + 1,
      result: "Created",
      referralId: expect.any(String),
      engagementId: expect.any(String),
      errors: [],
      changes: expect.any(Array),
    }));
    expect(jsonOf(r)).toEqual({
      dryRun: false,
      total: 12,
      created: 12,
      updated: 0,
      unchanged: 0,
      notProcessed: 0,
      ignoredColumns: [],
      rows: created,
      importId: expect.any(String),
    });
    expect(await world().count(admin)).toBe(12);
  });

  it("prints a readable summary without --json, and no progress bar when not a terminal", async () => {
    const { admin } = await world().seedAccounts();
    const r = await world().run(["import", fixture("create-en.csv"), "--as", admin]);
    expectExit(r, EXIT.ok);
    expect(r.stdout).toContain("Imported create-en.csv: 12 rows");
    expect(r.stdout).toContain("created 12 · updated 0 · unchanged 0 · not processed 0");
    expect(r.stderr).toBe("");
  });

  it.runIf(canRunInTerminal())("shows a progress bar when the output is a terminal", async () => {
    const { admin } = await world().seedAccounts();
    const r = await runCliInTerminal(["import", fixture("create-en.csv"), "--as", admin], {
      cwd: world().dir,
      env: world().env,
    });
    expectExit(r, EXIT.ok);
    expect(r.stdout).toMatch(/\rchecking \[#+\] 12\/12/);
    expect(r.stdout).toMatch(/\rwriting \[#+\] 12\/12/);
    expect(r.stdout).toContain("Imported create-en.csv: 12 rows");
  });

  it("imports the French Excel file (semicolons, Windows-1252)", async () => {
    const { admin } = await world().seedAccounts();
    const r = await world().run([
      "import",
      fixture("create-fr-excel-1252.csv"),
      "--as",
      admin,
      "--json",
    ]);
    expectExit(r, EXIT.ok);
    expect(jsonOf(r)).toMatchObject({ total: 6, created: 6, notProcessed: 0 });
  });

  it("reports the columns of a newer template as ignored", async () => {
    const { admin } = await world().seedAccounts();
    const r = await world().run([
      "import",
      fixture("newer-template-columns.csv"),
      "--as",
      admin,
      "--json",
    ]);
    expectExit(r, EXIT.ok);
    expect(jsonOf(r)).toMatchObject({
      created: 3,
      ignoredColumns: [
        expect.any(String),
        expect.any(String),
        expect.any(String),
        expect.any(String),
      ],
    });
  });

  it("processes the good rows of errors-mixed.csv and reports every error of the others (exit 1)", async () => {
    const { admin } = await world().seedAccounts();
    const r = await world().run(["import", fixture("errors-mixed.csv"), "--as", admin, "--json"]);
    expectExit(r, EXIT.someRowsFailed);
    const failed = (row: number, errors: { column: string; code: string }[]) => ({
      row,
      result: "Not processed",
      referralId: null,
      errors: errors.map((e) => ({ ...e, message: expect.any(String) })),
    });
    expect(jsonOf(r)).toMatchObject({
      dryRun: false,
      total: 8,
      created: 1,
      notProcessed: 7,
      rows: [
        failed(1, [{ column: "Customer Country", code: "invalid_country" }]),
        failed(2, [{ column: "Estimated Close Date", code: "invalid_date" }]),
        failed(3, [{ column: "Solution 1", code: "required" }]),
        failed(4, [
          { column: "Consent to share Customer/Partner contact", code: "consent_required" },
        ]),
        failed(5, [
          { column: "What specific help from Microsoft?", code: "help_type_required" },
          { column: "Customer Contact First Name", code: "contact_required" },
          { column: "Customer Contact Last Name", code: "contact_required" },
          { column: "Customer Contact Phone number", code: "contact_required" },
          { column: "Customer Contact Email Address", code: "contact_required" },
        ]),
        failed(6, [{ column: "Customer D-U-N-S ID", code: "duns_scientific_notation" }]),
        { row: 7, result: "Created", referralId: expect.any(String), errors: [] },
        failed(8, [{ column: "Estimated Deal Value", code: "negative_number" }]),
      ],
    });
    // The messages say how to fix: the country error suggests the code.
    expect(r.stdout).toContain("did you mean US?");
    expect(await world().count(admin)).toBe(1);
  });

  it("lists the rows not processed in the readable summary and suggests --results", async () => {
    const { admin } = await world().seedAccounts();
    const r = await world().run(["import", fixture("errors-mixed.csv"), "--as", admin]);
    expectExit(r, EXIT.someRowsFailed);
    expect(r.stdout).toContain("created 1 · updated 0 · unchanged 0 · not processed 7");
    expect(r.stdout).toMatch(/row 1: Customer Country 'USA' .*did you mean US\?/);
    expect(r.stdout).toContain("Add --results FILE");
  });

  it("takes its row limit from COSELL_IMPORT_MAX_ROWS, and refuses a bad one before reading the file", async () => {
    const { admin } = await world().seedAccounts();
    const file = fixture("create-en.csv");
    const over = await world().run(["import", file, "--as", admin, "--json"], {
      env: { COSELL_IMPORT_MAX_ROWS: "11" },
    });
    expectExit(over, EXIT.rejected);
    expect(jsonOf(over)).toMatchObject({ rejected: true, error: { code: "too_many_rows" } });
    expect(await world().count(admin)).toBe(0);

    const bad = await world().run(["import", file, "--as", admin], {
      env: { COSELL_IMPORT_MAX_ROWS: "ten" },
    });
    expectExit(bad, EXIT.rejected);
    expect(bad.stderr).toContain("COSELL_IMPORT_MAX_ROWS='ten' is not a valid limit");

    const enough = await world().run(["import", file, "--as", admin, "--json"], {
      env: { COSELL_IMPORT_MAX_ROWS: "12" },
    });
    expectExit(enough, EXIT.ok);
    expect(await world().count(admin)).toBe(12);
  });

  it(`rejects a file of ${DEFAULT_LIMITS.importRows + 1} rows whole (exit 2) and writes nothing`, async () => {
    const { admin } = await world().seedAccounts();
    const rows = Array.from({ length: DEFAULT_LIMITS.importRows + 1 }, (_, i) =>
      newDealRow({ "CRM ID": `CRM-${i}` }),
    );
    const file = await world().write("too-many.csv", csvBytes(rows));
    const r = await world().run([
      "import",
      file,
      "--as",
      admin,
      "--json",
      "--results",
      "results.csv",
    ]);
    expectExit(r, EXIT.rejected);
    expect(jsonOf(r)).toEqual({
      rejected: true,
      error: { code: "too_many_rows", message: expect.any(String) },
    });
    expect(existsSync(path.join(world().dir, "results.csv"))).toBe(false);
    expect(await world().count(admin)).toBe(0);
  });

  it("rejects a file with a duplicated header (exit 2), readably without --json", async () => {
    const { admin } = await world().seedAccounts();
    const row = newDealRow();
    const headers = [...Object.keys(row), "Deal Name"];
    const file = await world().write("duplicate-header.csv", csvBytes([row], headers));
    const json = await world().run(["import", file, "--as", admin, "--json"]);
    expectExit(json, EXIT.rejected);
    expect(jsonOf(json)).toMatchObject({ rejected: true, error: { code: "duplicate_header" } });
    const plain = await world().run(["import", file, "--as", admin]);
    expectExit(plain, EXIT.rejected);
    expect(plain.stdout).toBe("");
    expect(plain.stderr).toContain("File rejected (duplicate_header)");
    expect(plain.stderr).toContain("Nothing was imported");
    expect(await world().count(admin)).toBe(0);
  });

  it("--dry-run reports what would happen and writes nothing", async () => {
    const { admin } = await world().seedAccounts();
    const json = await world().run([
      "import",
      fixture("create-en.csv"),
      "--as",
      admin,
      "--dry-run",
      "--json",
    ]);
    expectExit(json, EXIT.ok);
    expect(jsonOf(json)).toMatchObject({ dryRun: true, total: 12, created: 12 });
    const plain = await world().run([
      "import",
      fixture("create-en.csv"),
      "--as",
      admin,
      "--dry-run",
    ]);
    expectExit(plain, EXIT.ok);
    expect(plain.stdout).toContain("Dry run of create-en.csv: 12 rows");
    expect(plain.stdout).toContain("Nothing was written (dry run)");
    expect(await world().count(admin)).toBe(0);
  });

  it("--dry-run still exits 1 when some rows would not be processed", async () => {
    const { admin } = await world().seedAccounts();
    const r = await world().run([
      "import",
      fixture("errors-mixed.csv"),
      "--as",
      admin,
      "--dry-run",
      "--json",
    ]);
    expectExit(r, EXIT.someRowsFailed);
    expect(jsonOf(r)).toMatchObject({ dryRun: true, created: 1, notProcessed: 7 });
    expect(await world().count(admin)).toBe(0);
  });

  it("--results writes a file whose re-upload changes nothing and duplicates nothing", async () => {
    const { admin } = await world().seedAccounts();
    const first = await world().run([
      "import",
      fixture("create-en.csv"),
      "--as",
      admin,
      "--results",
      "results.csv",
    ]);
    expectExit(first, EXIT.ok);
    expect(first.stdout).toContain("Results file: results.csv");
    const again = await world().run(["import", "results.csv", "--as", admin, "--json"]);
    expectExit(again, EXIT.ok);
    expect(jsonOf(again)).toMatchObject({ total: 12, created: 0, updated: 0, unchanged: 12 });
    expect(await world().count(admin)).toBe(12);
  });

  it("--results of a mixed file carries each error, and the fixed-up re-upload adds no duplicate", async () => {
    const { admin } = await world().seedAccounts();
    const first = await world().run([
      "import",
      fixture("errors-mixed.csv"),
      "--as",
      admin,
      "--results",
      "results.csv",
    ]);
    expectExit(first, EXIT.someRowsFailed);
    const results = readCsv(await readFile(path.join(world().dir, "results.csv"), "utf8"));
    const errors = results.records.map((r) => r.cells[results.header.indexOf("Errors")] ?? "");
    expect(errors[0]).toContain("did you mean US?");
    expect(errors[6]).toBe("");
    expect(errors.filter((e) => e !== "")).toHaveLength(7);
    // The formula-like Deal Name came back neutralised; re-importing it changes nothing.
    const again = await world().run(["import", "results.csv", "--as", admin, "--json"]);
    expectExit(again, EXIT.someRowsFailed);
    expect(jsonOf(again)).toMatchObject({ created: 0, unchanged: 1, notProcessed: 7 });
    expect(await world().count(admin)).toBe(1);
  });

  it("--upsert-by-crm-id updates the deal whose CRM ID a new row carries", async () => {
    const { admin } = await world().seedAccounts();
    const original = { "CRM ID": "CRM-UPSERT-1", "Deal Name": "Upsert me" };
    const first = await world().write("first.csv", csvBytes([newDealRow(original)]));
    expectExit(await world().run(["import", first, "--as", admin]), EXIT.ok);
    const changed = await world().write(
      "changed.csv",
      csvBytes([newDealRow({ ...original, "Estimated Deal Value": "25000" })]),
    );

    const without = await world().run(["import", changed, "--as", admin, "--json"]);
    expectExit(without, EXIT.someRowsFailed);
    expect(jsonOf(without)).toMatchObject({
      rows: [{ result: "Not processed", errors: [{ column: "CRM ID", code: "crm_id_duplicate" }] }],
    });

    const upsert = await world().run([
      "import",
      changed,
      "--as",
      admin,
      "--upsert-by-crm-id",
      "--json",
    ]);
    expectExit(upsert, EXIT.ok);
    expect(jsonOf(upsert)).toMatchObject({
      created: 0,
      updated: 1,
      rows: [
        {
          result: "Updated",
          referralId: expect.any(String),
          changes: [{ column: "Estimated Deal Value", to: expect.stringContaining("25000") }],
        },
      ],
    });
    expect(await world().count(admin)).toBe(1);
  });
});
