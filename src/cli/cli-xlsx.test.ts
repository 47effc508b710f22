/**
 * The CLI's Excel workbooks end to end through the compiled binary: `template --format xlsx`,
 * `export --format xlsx`, and `import` telling a workbook from a CSV by its content.
 */
import { copyFile, readFile } from "node:fs/promises";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { expectExit, jsonOf, setupCliWorld } from "../test-support/cli.js";
import { EXIT } from "./exit-codes.js";

const world = setupCliWorld();

describe("cosell and Excel workbooks", () => {
  it("template --format xlsx → import; export --format xlsx → import is Unchanged, whatever the file's name", async () => {
    const { admin } = await world().seedAccounts();
    const file = (name: string) => path.join(world().dir, name);
    expectExit(
      await world().run([
        "template",
        "--format",
        "xlsx",
        "--lang",
        "fr",
        "--example",
        "-o",
        "t.xlsx",
      ]),
      EXIT.ok,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await readFile(file("t.xlsx"))).buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Transactions", "Listes", "Colonnes"]);

    const created = await world().run(["import", "t.xlsx", "--as", admin, "--json"]);
    expectExit(created, EXIT.ok);
    expect(jsonOf(created)).toMatchObject({ created: 1, importId: expect.any(String) });

    const exported = await world().run([
      "export",
      "--as",
      admin,
      "--format",
      "xlsx",
      "-o",
      "e.xlsx",
      "--json",
    ]);
    expectExit(exported, EXIT.ok);
    expect(jsonOf(exported)).toMatchObject({ count: 1, file: "e.xlsx" });
    // The format comes from the bytes: a workbook named .csv is still read as a workbook.
    await copyFile(file("e.xlsx"), file("e.csv"));
    const again = await world().run(["import", "e.csv", "--as", admin, "--json", "--dry-run"]);
    expectExit(again, EXIT.ok);
    expect(jsonOf(again)).toMatchObject({ unchanged: 1, dryRun: true, importId: null });
  });
});
