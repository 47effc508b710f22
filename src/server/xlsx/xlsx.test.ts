/**
 * Excel workbooks in and out, on the real store: an export read back is all Unchanged, the
 * template filled with ExcelJS (typed cells, as Excel stores them) imports, a workbook saved
 * by LibreOffice imports, formulas are refused with their cell named.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { FileRejectedError } from "../../core/errors.js";
import { setupTestStore } from "../../test-support/db.js";
import { importRows, makeWorld, newDealRow } from "../../test-support/deals.js";
import { readSharedFixture } from "../../test-support/shared-fixtures.js";
import { exportDealsFile } from "../commands/export-deals.js";
import { importDeals } from "../commands/import-deals.js";
import { findDealsByIds } from "../db/deals-repo.js";
import { isXlsx, readWorkbook } from "./read-workbook.js";
import { templateWorkbook } from "./template-workbook.js";

const store = setupTestStore();

const load = async (bytes: Uint8Array): Promise<ExcelJS.Workbook> => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  return workbook;
};

const save = async (workbook: ExcelJS.Workbook): Promise<Uint8Array> =>
  new Uint8Array(await workbook.xlsx.writeBuffer());

/** Fills the template's first data row with typed cells, as a person typing into Excel makes them. */
const fillTemplate = async (lang: "en" | "fr"): Promise<Uint8Array> => {
  const workbook = await load(await templateWorkbook(lang, false));
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error("no sheet");
  const headers: string[] = [];
  sheet.getRow(1).eachCell((cell, n) => {
    headers[n] = String(cell.value);
  });
  const values = newDealRow({ "Customer D-U-N-S ID": "", "Estimated Close Date": "" });
  const row = sheet.getRow(2);
  headers.forEach((header, n) => {
    const v = values[header];
    if (v !== undefined) row.getCell(n).value = v;
  });
  const at = (header: string) => headers.indexOf(header);
  // A number where a spreadsheet would have made one, and a real date cell.
  row.getCell(at("Customer D-U-N-S ID")).value = 81466849;
  row.getCell(at("Estimated Deal Value")).value = 12563.5;
  // A date pasted in keeps its own date format, over the column's Text format.
  const date = row.getCell(at("Estimated Close Date"));
  date.value = new Date(Date.UTC(2027, 0, 30));
  date.numFmt = "mm/dd/yyyy";
  row.getCell(at("Customer Contact Email Address")).value = {
    text: "john.customer@contoso.com",
    hyperlink: "mailto:john.customer@contoso.com",
  };
  row.commit();
  return save(workbook);
};

describe("xlsx export → import", () => {
  it("a workbook export read back is every row Unchanged, formula-like cells included", async () => {
    const { admin } = await makeWorld(store());
    const created = await importDeals(store(), {
      actor: admin,
      bytes: readSharedFixture("create-en.csv"),
    });
    expect(created.created).toBe(12);
    await importRows(store(), admin, [
      newDealRow({ Notes: '=HYPERLINK("http://x")', "Deal Name": "+1 deal", "CRM ID": "00123" }),
    ]);
    const exported = await exportDealsFile(store(), { actor: admin, filter: {}, format: "xlsx" });
    expect(exported.count).toBe(13);
    expect(isXlsx(exported.data)).toBe(true);

    // Every cell is text; none is a formula.
    const workbook = await load(exported.data);
    const sheet = workbook.worksheets[0];
    let cells = 0;
    sheet?.eachRow((row) =>
      row.eachCell((cell) => {
        cells++;
        expect(typeof cell.value).toBe("string");
      }),
    );
    expect(cells).toBeGreaterThan(13 * 20);

    const again = await importDeals(store(), { actor: admin, bytes: exported.data });
    expect(again.rows.map((r) => r.result)).toEqual(Array(13).fill("Unchanged"));
  });
});

describe("xlsx export: the Version column", () => {
  it("is the last column; a deal changed since the export is refused, even once Excel made the cell a number", async () => {
    const { admin } = await makeWorld(store());
    const id = (await importRows(store(), admin, [newDealRow()])).rows[0]?.referralId ?? "";
    const exported = await exportDealsFile(store(), { actor: admin, filter: {}, format: "xlsx" });
    const workbook = await load(exported.data);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error("no sheet");
    const header = sheet.getRow(1).values;
    const width = sheet.getRow(1).cellCount;
    expect(Array.isArray(header) ? header.at(-1) : null).toBe("Version");
    const row = sheet.getRow(2);
    expect(row.getCell(width).value).toBe("1");
    // The person edits the name; the spreadsheet turns the version into a number.
    const names = Array.isArray(header) ? header.indexOf("Deal Name") : -1;
    row.getCell(names).value = "Mine";
    row.getCell(width).value = 1;
    row.commit();
    const edited = await save(workbook);
    // Meanwhile someone else changes the deal, in the same second as the export.
    await importRows(store(), admin, [newDealRow({ "Referral ID": id, Notes: "theirs" })]);

    const s = await importDeals(store(), { actor: admin, bytes: edited });
    expect(s.rows[0]).toMatchObject({
      result: "Not processed",
      errors: [{ column: "Version", code: "stale_row" }],
    });
    const [deal] = await findDealsByIds(store().db, admin.orgId, [id]);
    expect(deal).toMatchObject({ name: "Contoso cloud migration", notes: "theirs", version: 2 });
  });
});

describe("xlsx template", () => {
  it("has the header frozen, drop-downs in its language, and a sheet explaining each column", async () => {
    const workbook = await load(await templateWorkbook("fr", false));
    const [data, , guide] = workbook.worksheets;
    expect(data?.name).toBe("Transactions");
    expect(data?.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const header: string[] = [];
    data?.getRow(1).eachCell((c) => {
      header.push(String(c.value));
    });
    const status = header.indexOf("État de la référence partenaire") + 1;
    const validation = data?.getCell(2, status).dataValidation;
    expect(validation?.type).toBe("list");
    const lists = workbook.getWorksheet("Listes");
    expect(lists?.state).toBe("hidden");
    const column = lists?.getColumn(1).values.filter((v) => typeof v === "string");
    expect(column).toEqual(["État", "Nouveau", "Actif", "Fermé"]);
    const duns = header.indexOf("ID du client D-U-N-S") + 1;
    expect(data?.getColumn(duns).numFmt).toBe("@");
    expect(guide?.name).toBe("Colonnes");
    expect(guide?.getCell(2, 1).value).toBe("Erreurs");
    expect(guide?.rowCount).toBeGreaterThan(30);
  });

  it("filled in with typed cells (number, date, link) imports as the person meant", async () => {
    const { admin } = await makeWorld(store());
    const s = await importDeals(store(), { actor: admin, bytes: await fillTemplate("en") });
    expect(s.rows[0]?.errors).toEqual([]);
    expect(s.created).toBe(1);
    const [deal] = await findDealsByIds(store().db, admin.orgId, [s.rows[0]?.referralId ?? ""]);
    expect(deal).toMatchObject({
      customerDuns: "081466849",
      value: 12563.5,
      closeDate: "2027-01-30",
      contactEmail: "john.customer@contoso.com",
    });
  });

  it("refuses a formula, naming its cell, and writes nothing", async () => {
    const { admin } = await makeWorld(store());
    const workbook = await load(await fillTemplate("en"));
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error("no sheet");
    sheet.getCell("D2").value = { formula: 'CONCAT("a","b")', result: "ab" };
    const bytes = await save(workbook);
    await expect(readWorkbook(bytes)).rejects.toThrow(/D2 holds a formula \(=CONCAT/);
    await expect(importDeals(store(), { actor: admin, bytes })).rejects.toBeInstanceOf(
      FileRejectedError,
    );
  });

  it("numbers stored as text stay text; blank rows are skipped; row numbers are the sheet's", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Deals");
    sheet.addRow(["Deal Name", "Customer D-U-N-S ID", "CRM ID"]);
    sheet.addRow(["A", "001234567", 42]);
    sheet.addRow([]);
    sheet.getCell("A4").value = "B";
    sheet.getCell("C4").value = true;
    const table = await readWorkbook(await save(workbook));
    expect(table.header).toEqual(["Deal Name", "Customer D-U-N-S ID", "CRM ID"]);
    expect(table.records).toEqual([
      { line: 2, cells: ["A", "001234567", "42"] },
      { line: 4, cells: ["B", "", "TRUE"] },
    ]);
  });
});

const execFileAsync = promisify(execFile);

/** LibreOffice's binary, or null (then the test says it was skipped; CI installs it). */
const libreoffice = async (): Promise<string | null> => {
  try {
    await execFileAsync("libreoffice", ["--version"]);
    return "libreoffice";
  } catch {
    if (process.env.CI) throw new Error("CI must have LibreOffice (.ci/run installs it)");
    return null;
  }
};

describe("a workbook saved by LibreOffice", () => {
  it("imports: the template filled, then opened and saved again as .xlsx by LibreOffice", async (context) => {
    const binary = await libreoffice();
    if (!binary) {
      console.warn(
        "SKIPPED: libreoffice is not installed (apt-get install libreoffice-calc-nogui)",
      );
      context.skip();
      return;
    }
    const dir = await mkdtemp(path.join(tmpdir(), "cosell-lo-"));
    try {
      await writeFile(path.join(dir, "filled.xlsx"), await fillTemplate("en"));
      const out = path.join(dir, "out");
      await execFileAsync(
        binary,
        [
          `-env:UserInstallation=file://${path.join(dir, "profile")}`,
          "--headless",
          "--convert-to",
          "xlsx",
          "--outdir",
          out,
          path.join(dir, "filled.xlsx"),
        ],
        { timeout: 120_000 },
      );
      const bytes = new Uint8Array(await readFile(path.join(out, "filled.xlsx")));
      const { admin } = await makeWorld(store());
      const s = await importDeals(store(), { actor: admin, bytes });
      expect(s.rows[0]?.errors).toEqual([]);
      expect(s.created).toBe(1);
      const [deal] = await findDealsByIds(store().db, admin.orgId, [s.rows[0]?.referralId ?? ""]);
      expect(deal).toMatchObject({
        customerDuns: "081466849",
        value: 12563.5,
        closeDate: "2027-01-30",
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
