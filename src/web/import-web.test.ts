/**
 * The import panel's spreadsheet-native parts end to end, in a real headless Chromium against
 * a real server and worker (issue 14): a Salesforce-style opportunity export mapped column by
 * column and imported, its mapping saved and then chosen by itself for the next export; three
 * error cells fixed in the browser (two by the codec's suggestion, one typed) and the corrected
 * file imported, with the corrections in the import record; the rows still failing downloaded
 * in the file's own columns; an import undone from the history, dry run first, a deal edited
 * since left alone. axe-core finds no violation on any of these parts; in French, no English
 * string is left on them.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsv } from "../core/csv/index.js";
import { parseJsonObject } from "../core/json.js";
import { axeViolations } from "../test-support/axe.js";
import {
  type BrowserWorld,
  SCREENSHOTS,
  signInPage,
  startBrowserWorld,
  stopBrowserWorld,
} from "../test-support/browser.js";
import { SALESFORCE_HEADERS, salesforceRow } from "../test-support/crm-export.js";
import { csvBytes, importRows, newDealRow } from "../test-support/deals.js";
import { PASSWORDS } from "../test-support/http.js";
import { CATALOGUES } from "./messages.js";

let w: BrowserWorld;
let admin: Page;

beforeAll(async () => {
  w = await startBrowserWorld();
  admin = await signInPage(w, w.admin.email, PASSWORDS[w.admin.email] ?? "");
}, 120_000);

afterAll(async () => {
  if (w) await stopBrowserWorld(w);
});

const writeDownload = async (name: string, bytes: Uint8Array) => {
  const file = path.join(w.downloads, name);
  await writeFile(file, bytes);
  return file;
};

const openPanel = async () => {
  await admin.locator(".banner").getByRole("button", { name: "Import" }).click();
  const panel = admin.getByRole("dialog");
  await panel.getByRole("heading", { name: "Import history" }).waitFor();
  return panel;
};

/** The newest import record's options (mapping, preset, corrected cells). */
const lastImportOptions = async (): Promise<Record<string, unknown>> => {
  const row = await w.store.db
    .selectFrom("imports")
    .select(["options", "file_name"])
    .where("dry_run", "=", 0)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  return { fileName: row.file_name, ...parseJsonObject(row.options) };
};

const dealNamed = (name: string) =>
  w.store.db
    .selectFrom("deals")
    .select(["id", "name", "status", "substatus", "customer_country", "close_reason"])
    .where("name", "=", name)
    .executeTakeFirst();

describe("the import panel, spreadsheet-native", () => {
  it("maps a Salesforce-style opportunity export, saves the mapping, and the next export gets it by itself", async () => {
    const first = await writeDownload(
      "salesforce-opportunities.csv",
      csvBytes(
        [1, 2, 3].map((i) => salesforceRow(i)),
        SALESFORCE_HEADERS,
      ),
    );
    const panel = await openPanel();
    await panel.locator('input[type="file"]').setInputFiles(first);
    await panel.getByRole("heading", { name: "Match your file's columns" }).waitFor();

    // The best guesses are preselected, from the CRM dictionary.
    const select = (header: string) => panel.getByLabel(`Co-sell column for ${header}`);
    expect(await select("Opportunity Name").inputValue()).toBe("Deal Name");
    expect(await select("Account Name").inputValue()).toBe("Customer Name");
    expect(await select("Close Date").inputValue()).toBe("Estimated Close Date");
    expect(await select("Amount").inputValue()).toBe("Estimated Deal Value");
    expect(await select("Stage").inputValue()).toBe("");
    // Each column comes with samples of its values.
    expect(await panel.getByText("Fabrikam renewal 1 · Fabrikam renewal 2").count()).toBe(1);
    // The CRM's own id is not wanted here: ignored.
    await select("Opportunity ID").selectOption({ label: "Ignore this column" });
    expect(await axeViolations(admin)).toEqual([]);
    await mkdir(SCREENSHOTS, { recursive: true });
    await admin.screenshot({ path: path.join(SCREENSHOTS, "import-mapping.png") });

    await panel.getByLabel("Mapping name").fill("Salesforce opportunities");
    await panel.getByRole("button", { name: "Save this mapping" }).click();
    await panel.getByText(/Mapping “Salesforce opportunities” saved/).waitFor();
    await panel.getByRole("button", { name: "Continue to the check" }).click();
    await panel.getByText("3 rows read, no problem found in the browser.").waitFor();
    await panel.getByRole("button", { name: "Check with a dry run" }).click();
    await panel.getByRole("heading", { name: "Dry run: what the import would do" }).waitFor();
    await panel.getByRole("button", { name: "Create 3 deals, update 0" }).click();
    await panel.getByRole("heading", { name: "Import finished" }).waitFor();
    const deal = await dealNamed("Fabrikam renewal 2");
    expect(deal?.customer_country).toBe("US");
    const options = await lastImportOptions();
    expect(options).toMatchObject({
      fileName: "salesforce-opportunities.csv",
      mapping: { "Opportunity Name": "Deal Name", "Opportunity ID": null },
    });

    // The next export from the same CRM: the saved mapping fits, and is chosen by itself.
    const second = await writeDownload(
      "salesforce-next-week.csv",
      csvBytes(
        [11, 12].map((i) => salesforceRow(i)),
        SALESFORCE_HEADERS,
      ),
    );
    await panel.getByRole("button", { name: "Import another file" }).click();
    await panel.locator('input[type="file"]').setInputFiles(second);
    await panel
      .getByText(
        "The saved mapping “Salesforce opportunities” fits this file's headers: its choices are preselected.",
      )
      .waitFor();
    expect(await select("Opportunity ID").inputValue()).toBe("");
    await panel.getByRole("button", { name: "Continue to the check" }).click();
    await panel.getByText("2 rows read, no problem found in the browser.").waitFor();
    await panel.getByRole("button", { name: "Check with a dry run" }).click();
    await panel.getByRole("button", { name: "Create 2 deals, update 0" }).click();
    await panel.getByRole("heading", { name: "Import finished" }).waitFor();
    expect(await dealNamed("Fabrikam renewal 12")).toBeDefined();
    expect(await lastImportOptions()).toMatchObject({
      fileName: "salesforce-next-week.csv",
      preset: "Salesforce opportunities",
    });
    await panel.getByRole("button", { name: "Close" }).click();
  });

  it("fixes three cells in the browser, two by the suggestion; the corrected file is imported and the record lists the cells", async () => {
    const file = await writeDownload(
      "fix-me.csv",
      csvBytes([
        newDealRow({
          "Deal Name": "Fixed in the browser",
          "Customer Country": "USA",
          "Estimated Close Date": "30/01/2027",
        }),
        newDealRow({ "Deal Name": "", "CRM ID": "TYPED-1" }),
      ]),
    );
    const panel = await openPanel();
    await panel.locator('input[type="file"]').setInputFiles(file);
    await panel.getByText("2 rows have problems").waitFor();
    expect(await axeViolations(admin)).toEqual([]);

    // The rows still failing, in the file's own columns.
    const failedRows = async () => {
      const [download] = await Promise.all([
        admin.waitForEvent("download"),
        panel.getByRole("button", { name: "Download failed rows only" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe("fix-me-failed-rows.csv");
      return readCsv(await readFile(await download.path(), "utf8"));
    };
    const before = await failedRows();
    const headers = readCsv(new TextDecoder().decode(await readFile(file))).header;
    expect(before.header).toEqual(headers);
    expect(before.records).toHaveLength(2);

    await panel.getByRole("button", { name: "Use US" }).click();
    await panel.getByRole("button", { name: "Use 01/30/2027" }).click();
    // Row 1 is checked again at once: only row 2 is left.
    await panel.getByText("1 row has problems").waitFor();
    const after = await failedRows();
    expect(after.records.map((r) => r.cells[headers.indexOf("CRM ID")])).toEqual(["TYPED-1"]);

    const typed = panel.getByLabel("Correct Deal Name on line 3");
    await typed.fill("Typed by hand");
    await typed.press("Enter");
    await panel.getByText("2 rows read, no problem found in the browser.").waitFor();
    await panel.getByText(/^3 cells corrected here/).waitFor();

    await panel.getByRole("button", { name: "Check with a dry run" }).click();
    await panel.getByRole("button", { name: "Create 2 deals, update 0" }).click();
    await panel.getByRole("heading", { name: "Import finished" }).waitFor();
    const fixed = await dealNamed("Fixed in the browser");
    expect(fixed?.customer_country).toBe("US");
    expect(await dealNamed("Typed by hand")).toBeDefined();
    const options = await lastImportOptions();
    expect(options.corrected).toEqual([
      { row: 1, column: "Customer Country", from: "USA", to: "US" },
      { row: 1, column: "Estimated Close Date", from: "30/01/2027", to: "01/30/2027" },
      { row: 2, column: "Deal Name", from: "", to: "Typed by hand" },
    ]);
    await panel.getByRole("button", { name: "Close" }).click();
  });

  it("undoes an import from the history: the dry run first, then the undo once confirmed; a deal edited since is left alone", async () => {
    // One of the two deals is edited after the import: the undo must leave it alone.
    const typed = await dealNamed("Typed by hand");
    await importRows(w.store, w.admin, [
      newDealRow({
        "Referral ID": typed?.id ?? "",
        "Deal Name": "Typed by hand",
        "CRM ID": "TYPED-1",
        Notes: "edited after the import",
      }),
    ]);
    const panel = await openPanel();
    await panel.getByRole("button", { name: /^Undo the import of fix-me\.csv/ }).click();
    await panel.getByRole("heading", { name: "Dry run: what the undo would do" }).waitFor();
    expect(await panel.locator(".undo .counts").textContent()).toMatch(
      /Undone\s*1[\s\S]*Not undone\s*1/,
    );
    expect(await panel.getByText("Changed since the import: left alone.").count()).toBe(1);
    // Nothing written yet.
    expect((await dealNamed("Fixed in the browser"))?.status).toBe("Active");
    expect(await axeViolations(admin)).toEqual([]);
    await panel.getByRole("button", { name: "Undo 1 deal — 1 will be left alone" }).click();
    await panel.getByRole("heading", { name: "Undo finished" }).waitFor();
    expect(await dealNamed("Fixed in the browser")).toMatchObject({
      status: "Closed",
      substatus: "Error",
      close_reason: 1,
    });
    expect((await dealNamed("Typed by hand"))?.status).toBe("Active");
    // The history says so, and offers no second undo.
    await panel
      .getByText(/^Undone /)
      .first()
      .waitFor();
    expect(
      await panel.getByRole("button", { name: /^Undo the import of fix-me\.csv/ }).count(),
    ).toBe(0);
    await panel.getByRole("button", { name: "Close" }).first().click();
  });

  it("in French: the mapping step and the corrections in place leave no English string", async () => {
    const en = CATALOGUES.en;
    const fr = CATALOGUES.fr;
    const english = Object.entries(en).flatMap(([key, value]) =>
      typeof value === "string" && value.length >= 3 && value !== fr[key as keyof typeof fr]
        ? [value]
        : [],
    );
    const context = await w.browser.newContext({
      locale: "fr-FR",
      viewport: { width: 1366, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(w.url);
    await page.getByLabel("E-mail").fill(w.admin.email);
    await page.getByLabel("Mot de passe").fill(PASSWORDS[w.admin.email] ?? "");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.locator(".banner").getByRole("button", { name: "Importer" }).click();
    const panel = page.getByRole("dialog");
    const leftovers = async () => {
      // Data is not the interface: the file's headers and values, ids, options are left out.
      const text = await panel.evaluate((el) => {
        const copy = el.cloneNode(true);
        if (!(copy instanceof HTMLElement)) return "";
        // A row error names the column as the file spells it (here English headers): data too.
        for (const row of copy.querySelectorAll("tr")) {
          const column = row.querySelector("td:nth-child(3)")?.textContent ?? "";
          const problem = row.querySelector("td:nth-child(5)");
          if (!column || !problem) continue;
          const texts = document.createTreeWalker(problem, NodeFilter.SHOW_TEXT);
          for (let n = texts.nextNode(); n; n = texts.nextNode()) {
            n.textContent = (n.textContent ?? "").split(column).join("");
          }
        }
        for (const x of copy.querySelectorAll(
          ".mono, .meta, option, td:nth-child(2), td:nth-child(3), td:nth-child(4)",
        )) {
          x.remove();
        }
        return copy.innerText;
      });
      return english.filter((s) =>
        new RegExp(
          `(^|[^\\p{L}])${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\p{L}])`,
          "u",
        ).test(text),
      );
    };
    const crm = await writeDownload(
      "salesforce-fr.csv",
      csvBytes(
        [21].map((i) => salesforceRow(i)),
        SALESFORCE_HEADERS,
      ),
    );
    await panel.locator('input[type="file"]').setInputFiles(crm);
    await panel.getByRole("heading", { name: "Associez les colonnes de votre fichier" }).waitFor();
    expect(await leftovers()).toEqual([]);
    const broken = await writeDownload(
      "a-corriger.csv",
      csvBytes([newDealRow({ "Customer Country": "USA" })]),
    );
    await panel.locator('input[type="file"]').setInputFiles(broken);
    await panel.getByRole("button", { name: "Utiliser US" }).waitFor();
    expect(await leftovers()).toEqual([]);
    await context.close();
  });
});
