/**
 * The web page end to end, in a real headless Chromium against a real server and worker:
 * what a partner's staff would do, click by click. Screenshots land in docs/screenshots.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsv } from "../core/csv/index.js";
import { importDeals } from "../server/commands/import-deals.js";
import { axeViolations } from "../test-support/axe.js";
import { englishLeftovers } from "../test-support/french.js";
import { CATALOGUES } from "./messages.js";
import {
  type BrowserWorld,
  SCREENSHOTS,
  signInPage,
  startBrowserWorld,
  stopBrowserWorld,
} from "../test-support/browser.js";
import { csvBytes, importRows, newDealRow } from "../test-support/deals.js";
import { PASSWORDS } from "../test-support/http.js";

const FIXTURES = new URL("../../fixtures/", import.meta.url);

let w: BrowserWorld;
let admin: Page;

const shot = async (page: Page, name: string) => {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: false });
};

const cellsOf = (csv: string) => {
  const { header, records } = readCsv(csv);
  return records.map((r) => Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ""])));
};

beforeAll(async () => {
  w = await startBrowserWorld();
  const { store } = w;
  const countries = ["US", "FR", "DE", "GB"];
  await importRows(
    store,
    w.admin,
    [
      "Fabrikam summer deal 1",
      ...Array.from({ length: 11 }, (_, i) => `Outbound deal ${i + 2}`),
    ].map((name, i) =>
      newDealRow({
        "Deal Name": name,
        "Customer Country": countries[i % 4] ?? "US",
        "CRM ID": `SEED-${i}`,
      }),
    ),
    { fileName: "seed.csv" },
  );
  await importRows(store, w.admin, [
    newDealRow({
      "Deal Name": "Ana's Contoso renewal",
      "Customer Country": "FR",
      "Team member 1": "Ana, Silva, , ana.silva@contoso.example",
    }),
    newDealRow({ "Deal Name": "Won deal", "CRM ID": "WON-1" }),
  ]);
  const won = (
    await store.db
      .selectFrom("deals")
      .select("id")
      .where("crm_id", "=", "WON-1")
      .executeTakeFirstOrThrow()
  ).id;
  await importRows(store, w.admin, [
    newDealRow({
      "Referral ID": won,
      "Deal Name": "Won deal",
      "CRM ID": "WON-1",
      "Partner Referral Status": "Closed",
      "Partner Referral Substatus": "Won",
    }),
  ]);
  const inbound = ["DE", "GB", "JP"].map((country, i) =>
    newDealRow({
      "Deal Name": `Inbound referral ${i + 1}`,
      "Customer Country": country,
      "Partner Referral Status": "",
      "Partner Referral Substatus": "",
    }),
  );
  await importDeals(store, {
    actor: { kind: "vendor", orgId: w.admin.orgId },
    bytes: csvBytes(inbound),
  });
  admin = await signInPage(w, w.admin.email, PASSWORDS[w.admin.email] ?? "");
}, 120_000);

afterAll(async () => {
  if (w) await stopBrowserWorld(w);
});

describe("the co-sell opportunities page", () => {
  it("shows the tabs, the grid and Import / Export in the title banner", async () => {
    await expect(admin.getByRole("tab", { name: "Inbound" })).toBeTruthy();
    await admin.getByRole("button", { name: "Inbound referral 1" }).waitFor();
    await admin.getByRole("tab", { name: "Outbound" }).click();
    await admin.getByRole("button", { name: "Fabrikam summer deal 1" }).waitFor();
    const banner = admin.locator(".banner");
    expect(await banner.getByRole("button", { name: "Import" }).isVisible()).toBe(true);
    expect(await banner.getByRole("button", { name: "Export" }).isVisible()).toBe(true);
  });

  it("fits a laptop: one-line rows, at least 15 visible at 1366×768, no sideways scroll, Referral IDs that differ", async () => {
    await admin.setViewportSize({ width: 1366, height: 768 });
    await admin.getByRole("tab", { name: "Outbound" }).click();
    await admin.getByRole("button", { name: "Fabrikam summer deal 1" }).waitFor();
    const fit = await admin.evaluate(() => {
      const wrap = document.querySelector(".grid-wrap");
      const head = document.querySelector(".grid.deals thead");
      const row = document.querySelector(".grid.deals tbody tr");
      if (!wrap || !head || !row) return null;
      const w = wrap.getBoundingClientRect();
      return {
        pageScrollsSideways: document.documentElement.scrollWidth > window.innerWidth,
        gridScrollsSideways: wrap.scrollWidth > wrap.clientWidth,
        wrapFits: w.bottom <= window.innerHeight,
        // The grid scrolls inside its frame, which grows to this height (fewer deals: shorter).
        rowsThatFit: Math.floor(
          (Math.min(
            window.innerHeight,
            w.top + Number.parseFloat(getComputedStyle(wrap).maxHeight),
          ) -
            head.getBoundingClientRect().bottom) /
            row.getBoundingClientRect().height,
        ),
        rowHeight: row.getBoundingClientRect().height,
      };
    });
    expect(fit).toMatchObject({
      pageScrollsSideways: false,
      gridScrollsSideways: false,
      wrapFits: true,
    });
    expect(fit?.rowsThatFit).toBeGreaterThanOrEqual(15);
    expect(fit?.rowHeight).toBeLessThan(40);
    const ids = await admin.locator(".grid.deals td .refid code").allTextContents();
    expect(new Set(ids).size).toBe(ids.length);
    await shot(admin, "opportunities.png");
    await admin.setViewportSize({ width: 1366, height: 900 });
  });

  it("keeps the list in the address: reload, Back/Forward, a shared link and a visit to another page restore it", async () => {
    await admin.goto(`${w.url}/?tab=outbound&country=US&sort=name&size=25`);
    await admin.getByRole("tab", { name: "Outbound", selected: true }).waitFor();
    expect(await admin.getByLabel("Countries").inputValue()).toBe("US");
    expect(
      await admin.getByRole("columnheader", { name: "Deal Name" }).getAttribute("aria-sort"),
    ).toBe("ascending");
    expect(await admin.getByLabel("Rows per page").inputValue()).toBe("25");
    const names = await admin.locator(".grid.deals tbody th").allTextContents();
    expect(names.length).toBeGreaterThan(0);
    // Sort by another column, then go to Inbound: both are history entries.
    await admin.getByRole("button", { name: "Customer Name" }).click();
    await admin.waitForURL(/sort=customerName/);
    await admin.getByRole("tab", { name: "Inbound" }).click();
    await admin.waitForURL((u) => !u.search.includes("tab=outbound"));
    expect(await admin.getByLabel("Countries").inputValue()).toBe("US");
    await admin.goBack();
    await admin.getByRole("tab", { name: "Outbound", selected: true }).waitFor();
    expect(admin.url()).toMatch(/sort=customerName/);
    await admin.goBack();
    await admin.waitForURL((u) => !u.search.includes("customerName"));
    expect(
      await admin.getByRole("columnheader", { name: "Deal Name" }).getAttribute("aria-sort"),
    ).toBe("ascending");
    await admin.goForward();
    await admin.waitForURL(/sort=customerName/);
    // Reload keeps it; so does a visit to another page.
    await admin.reload();
    await admin.getByRole("tab", { name: "Outbound", selected: true }).waitFor();
    expect(await admin.getByLabel("Countries").inputValue()).toBe("US");
    await admin.getByRole("link", { name: "API tokens" }).click();
    await admin.getByRole("heading", { name: "API tokens" }).waitFor();
    await admin.getByRole("link", { name: "Opportunities" }).click();
    await admin.getByRole("tab", { name: "Outbound", selected: true }).waitFor();
    expect(admin.url()).toMatch(/country=US/);
    expect(admin.url()).toMatch(/sort=customerName/);
    // A shared link opens the same list in another person's browser.
    const other = await signInPage(w, w.user.email, PASSWORDS[w.user.email] ?? "");
    await other.goto(admin.url());
    await other.getByRole("tab", { name: "Outbound", selected: true }).waitFor();
    expect(await other.getByLabel("Countries").inputValue()).toBe("US");
    await other.context().close();
    await admin.goto(w.url);
    await admin.getByRole("tab", { name: "Inbound", selected: true }).waitFor();
  });

  it("opens a deal from a click on its name at 1280×720, and keeps the open deal in the address", async () => {
    // At 1280×720 the click used to do nothing: the row grew on focus (mousedown), so the
    // name moved from under the pointer before mouseup and no click happened.
    await admin.setViewportSize({ width: 1280, height: 720 });
    try {
      await openAndShareDeals();
    } finally {
      await admin.setViewportSize({ width: 1366, height: 900 });
      await admin.goto(w.url);
    }
  });

  const openAndShareDeals = async () => {
    await admin.goto(`${w.url}/?tab=outbound`);
    const panel = admin.getByRole("dialog");
    const save = panel.getByRole("button", { name: "Save changes" });
    for (const name of ["Fabrikam summer deal 1", "Ana's Contoso renewal", "Outbound deal 5"]) {
      await admin.getByRole("button", { name, exact: true }).click();
      await save.waitFor({ timeout: 5_000 });
      expect(await panel.getByLabel("Deal Name").inputValue()).toBe(name);
      expect(new URL(admin.url()).searchParams.get("deal")).toBeTruthy();
      // Back closes the panel and leaves the list as it was.
      await admin.goBack();
      await panel.waitFor({ state: "detached" });
      expect(new URL(admin.url()).searchParams.get("deal")).toBeNull();
      expect(admin.url()).toMatch(/tab=outbound/);
    }
    // A reload, or the link in another browser, opens the same deal; Close takes it out of the address.
    await admin.getByRole("button", { name: "Outbound deal 5", exact: true }).click();
    await save.waitFor();
    const link = admin.url();
    await admin.reload();
    await save.waitFor();
    expect(await panel.getByLabel("Deal Name").inputValue()).toBe("Outbound deal 5");
    await panel.getByRole("button", { name: "Close" }).click();
    await panel.waitFor({ state: "detached" });
    expect(new URL(admin.url()).searchParams.get("deal")).toBeNull();
    const other = await signInPage(w, w.admin.email, PASSWORDS[w.admin.email] ?? "");
    await other.goto(link);
    await other.getByRole("dialog").getByRole("button", { name: "Save changes" }).waitFor();
    expect(await other.getByRole("dialog").getByLabel("Deal Name").inputValue()).toBe(
      "Outbound deal 5",
    );
    await other.context().close();
  };

  it("hides and resizes columns, and remembers it for this person", async () => {
    await admin.getByRole("tab", { name: "Outbound" }).click();
    await admin.getByRole("button", { name: "Fabrikam summer deal 1" }).waitFor();
    await admin.getByText("Columns", { exact: true }).click();
    await admin.getByRole("checkbox", { name: "CRM ID" }).uncheck();
    expect(await admin.getByRole("columnheader", { name: "CRM ID" }).count()).toBe(0);
    const handle = admin.getByRole("separator", { name: "Resize column Customer Name" });
    const before = Number(await handle.getAttribute("aria-valuenow"));
    await handle.focus();
    await admin.keyboard.press("ArrowRight");
    await admin.keyboard.press("ArrowRight");
    expect(Number(await handle.getAttribute("aria-valuenow"))).toBe(before + 32);
    await admin.reload();
    await admin.getByRole("tab", { name: "Outbound", selected: true }).waitFor();
    await admin.getByRole("button", { name: "Fabrikam summer deal 1" }).waitFor();
    expect(await admin.getByRole("columnheader", { name: "CRM ID" }).count()).toBe(0);
    expect(
      Number(
        await admin
          .getByRole("separator", { name: "Resize column Customer Name" })
          .getAttribute("aria-valuenow"),
      ),
    ).toBe(before + 32);
    await admin.getByText("Columns", { exact: true }).click();
    await admin.getByRole("button", { name: "Reset columns and widths" }).click();
    await admin.getByRole("columnheader", { name: "CRM ID" }).waitFor();
    await admin.getByText("Columns", { exact: true }).click();
  });

  it("imports: errors shown before upload, dry run, apply, the card; then details fixed and uploaded again", async () => {
    await admin.locator(".banner").getByRole("button", { name: "Import" }).click();
    const panel = admin.getByRole("dialog");
    await panel
      .locator('input[type="file"]')
      .setInputFiles(new URL("errors-mixed.csv", FIXTURES).pathname);
    // The browser read the file with the core's code: every problem is listed, row and column, before any upload.
    await panel.getByText("7 rows have problems").waitFor();
    expect(await panel.getByRole("cell", { name: /did you mean US\?/ }).count()).toBe(1);
    expect(await panel.getByRole("cell", { name: /scientific notation/ }).count()).toBe(1);
    await shot(admin, "import-errors.png");

    await panel.getByRole("button", { name: "Check with a dry run" }).click();
    await panel.getByRole("heading", { name: "Dry run: what the import would do" }).waitFor();
    expect(
      await panel.locator('section[aria-labelledby="outcome-title"] .counts').textContent(),
    ).toMatch(/Created\s*1[\s\S]*Not processed\s*7/);
    expect(
      await w.store.db
        .selectFrom("deals")
        .select("id")
        .where("name", "like", "=HYPERLINK%")
        .execute(),
    ).toHaveLength(0);

    // Only the problems are listed (the default when there are some), each by its spreadsheet line.
    const onlyProblems = panel.getByRole("checkbox", { name: /Show only problems/ });
    expect(await onlyProblems.isChecked()).toBe(true);
    expect(await panel.locator("tr.result-created").count()).toBe(0);
    expect(
      await panel.locator("tr.result-not-processed").first().locator("td").first().textContent(),
    ).toBe("2");
    await onlyProblems.uncheck();
    expect(await panel.locator("tr.result-created").count()).toBe(1);
    // The button says what will happen.
    await panel
      .getByRole("button", { name: "Create 1 deal, update 0 — 7 rows will be skipped" })
      .click();
    await panel.getByRole("heading", { name: "Import finished" }).waitFor();
    expect(
      await w.store.db
        .selectFrom("deals")
        .select("id")
        .where("name", "like", "=HYPERLINK%")
        .execute(),
    ).toHaveLength(1);

    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      panel.getByRole("button", { name: "Download details" }).first().click(),
    ]);
    const details = await readFile(await download.path(), "utf8");
    const rows = cellsOf(details);
    expect(rows.map((r) => r["Import Result"])).toEqual([
      "Not processed",
      "Not processed",
      "Not processed",
      "Not processed",
      "Not processed",
      "Not processed",
      "Created",
      "Not processed",
    ]);
    expect(rows[0]?.Errors).toMatch(/did you mean US\?/);

    const fixedPath = path.join(w.downloads, "fixed.csv");
    // Fix row 1's country, and change the created deal's value: the dry run must show it field by field.
    await writeFile(fixedPath, details.replace(",USA,", ",US,").replace(",468000,", ",500000,"));
    await panel.getByRole("button", { name: "Import another file" }).click();
    // A clean start: no result of the last file stays on screen.
    expect(await panel.getByRole("heading", { name: "Import finished" }).count()).toBe(0);
    expect(await panel.locator("tr.result-not-processed").count()).toBe(0);
    await panel.locator('input[type="file"]').setInputFiles(fixedPath);
    await panel.getByRole("button", { name: "Check with a dry run" }).click();
    await panel.getByRole("heading", { name: "Dry run: what the import would do" }).waitFor();
    const counts = await panel
      .locator('section[aria-labelledby="outcome-title"] .counts')
      .textContent();
    expect(counts).toMatch(
      /Created\s*1[\s\S]*Updated\s*1[\s\S]*Unchanged\s*0[\s\S]*Not processed\s*6/,
    );
    await panel.getByRole("checkbox", { name: /Show only problems/ }).uncheck();
    expect(await panel.getByText("468000").first().isVisible()).toBe(true);
    // The picture shows the field-by-field change of the updated row.
    await panel.locator("tr.result-updated").first().scrollIntoViewIfNeeded();
    await shot(admin, "dry-run.png");
    await panel
      .getByRole("button", { name: /^Create 1 deal, update 1 — 6 rows will be skipped$/ })
      .click();
    await panel.getByRole("heading", { name: "Import finished" }).waitFor();
    expect(
      await w.store.db
        .selectFrom("deals")
        .select("id")
        .where("name", "like", "=HYPERLINK%")
        .execute(),
    ).toHaveLength(1);
    await panel.getByRole("button", { name: "Close" }).click();
  });

  it("exports the current tab and filters, and the file downloads by itself", async () => {
    await admin.getByRole("tab", { name: "Outbound" }).click();
    await admin.getByLabel("Countries").fill("us");
    await admin.getByRole("button", { name: "Apply" }).click();
    await admin.getByText(/^\d+ deals?$/).waitFor();
    const shown = Number(
      ((await admin.getByText(/^\d+ deals?$/).textContent()) ?? "").split(" ")[0],
    );
    // Start the export, then move to another page: the file still downloads by itself.
    const downloading = admin.waitForEvent("download");
    await admin.locator(".banner").getByRole("button", { name: "Export" }).click();
    await admin.getByRole("link", { name: "API tokens" }).click();
    await admin.getByRole("heading", { name: "API tokens" }).waitFor();
    const download = await downloading;
    const rows = cellsOf(await readFile(await download.path(), "utf8"));
    expect(rows.length).toBe(shown);
    expect(rows.every((r) => r["Customer Country"] === "US")).toBe(true);
    await admin.getByRole("link", { name: "Opportunities" }).click();
  });

  it("a terminal deal is shown read-only", async () => {
    await admin.getByRole("tab", { name: "Outbound" }).click();
    await admin.getByLabel("Search").fill("Won deal");
    await admin.getByRole("button", { name: "Apply" }).click();
    await admin.getByRole("button", { name: "Won deal" }).click();
    const panel = admin.getByRole("dialog");
    await panel.getByText("This deal is closed: it accepts no change.").waitFor();
    expect(await panel.getByRole("button", { name: "Save changes" }).count()).toBe(0);
    expect(await panel.getByLabel("Deal Name").isDisabled()).toBe(true);
    // One banner, not a lock line under every field.
    expect(await panel.getByText(/^Locked:/).count()).toBe(0);
    expect(await axeViolations(admin)).toEqual([]);
    await panel.getByRole("button", { name: "Close" }).click();
    await admin.getByRole("button", { name: "Clear" }).click();
  });

  it("shows locked fields with the reason, and tells a stale edit that someone changed the deal", async () => {
    await admin.getByRole("tab", { name: "Outbound" }).click();
    await admin.getByLabel("Search").fill("Outbound deal 2");
    await admin.getByRole("button", { name: "Apply" }).click();
    await admin.getByRole("button", { name: "Outbound deal 2", exact: true }).click();
    const panel = admin.getByRole("dialog");
    await panel
      .getByText(/Locked: Read-only after the deal is created/)
      .first()
      .waitFor();
    expect(await panel.getByLabel(/^Customer Name/).getAttribute("readonly")).not.toBeNull();
    // Someone else edits the deal while the panel is open.
    const id = (
      await w.store.db
        .selectFrom("deals")
        .select("id")
        .where("name", "=", "Outbound deal 2")
        .executeTakeFirstOrThrow()
    ).id;
    await importRows(w.store, w.admin, [
      newDealRow({
        "Referral ID": id,
        "Deal Name": "Outbound deal 2",
        "CRM ID": "SEED-1",
        "Customer Country": "FR",
        Notes: "theirs",
      }),
    ]);
    await panel.getByLabel("Notes", { exact: true }).fill("mine");
    await panel.getByLabel("Campaign ID").fill("CAMP-MINE");
    await panel.getByRole("button", { name: "Save changes" }).click();
    // Nothing is lost: what the person typed stays, and the field both changed offers a choice.
    await panel.getByText(/Someone changed this deal while you were editing it/).waitFor();
    expect(await panel.getByLabel("Notes", { exact: true }).inputValue()).toBe("mine");
    expect(await panel.getByLabel("Campaign ID").inputValue()).toBe("CAMP-MINE");
    const choice = panel.getByRole("group", { name: /Notes: changed by you and by someone else/ });
    expect(await choice.getByText("theirs", { exact: true }).isVisible()).toBe(true);
    // The message sits beside Save, in view.
    const message = panel.locator("#save-message");
    expect(await message.isVisible()).toBe(true);
    expect(
      await message.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight),
    ).toBe(true);
    expect(await axeViolations(admin)).toEqual([]);
    await shot(admin, "stale-edit.png");
    await choice.getByRole("button", { name: "Take theirs" }).click();
    expect(await panel.getByLabel("Notes", { exact: true }).inputValue()).toBe("theirs");
    await panel.getByLabel("Notes", { exact: true }).fill("mine");
    await panel.getByRole("button", { name: "Save changes" }).click();
    await panel.getByText("Saved", { exact: true }).waitFor();
    // A success clears itself.
    await panel.getByText("Saved", { exact: true }).waitFor({ state: "detached", timeout: 8000 });
    const saved = await w.store.db
      .selectFrom("deals")
      .select("notes")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(saved.notes).toBe("mine");
    expect(
      (
        await w.store.db
          .selectFrom("deals")
          .select("campaign_id")
          .where("id", "=", id)
          .executeTakeFirstOrThrow()
      ).campaign_id,
    ).toBe("CAMP-MINE");
    await panel.getByRole("button", { name: "Close" }).click();
    await admin.getByRole("button", { name: "Clear" }).click();
  });

  it("says Can't reach cosell with Retry when the server does not answer, and Retry brings the list back", async () => {
    await admin.goto(`${w.url}/?tab=outbound`);
    await admin
      .getByRole("button", { name: "Fabrikam summer deal 1", exact: true })
      .first()
      .waitFor();
    await admin.route("**/api/deals?**", (route) => route.abort("connectionrefused"));
    await admin.getByRole("button", { name: "Customer Name" }).click();
    const alert = admin.getByRole("alert").filter({ hasText: "Can't reach cosell" });
    await alert.waitFor();
    expect(await admin.getByText("Failed to fetch").count()).toBe(0);
    await admin.unroute("**/api/deals?**");
    await alert.getByRole("button", { name: "Retry" }).click();
    await admin
      .getByRole("button", { name: "Fabrikam summer deal 1", exact: true })
      .first()
      .waitFor();
    // The whole page too: a reload while the server is down, then Retry.
    await admin.route("**/api/**", (route) => route.abort("connectionrefused"));
    await admin.reload();
    await admin.getByRole("heading", { name: "Can't reach cosell" }).waitFor();
    await admin.unroute("**/api/**");
    await admin.getByRole("button", { name: "Retry" }).click();
    await admin.getByRole("tab", { name: "Outbound", selected: true }).waitFor();
  });

  it("an expired session goes to sign-in, says so, and comes back to where the person was", async () => {
    const page = await signInPage(w, w.user.email, PASSWORDS[w.user.email] ?? "");
    await page.goto(`${w.url}/?tab=outbound&sort=name`);
    await page.getByRole("tab", { name: "Outbound", selected: true }).waitFor();
    await page.context().clearCookies();
    await page.getByRole("tab", { name: "Favorites" }).click();
    await page.getByText("Your session ended").waitFor();
    expect(await page.getByRole("heading", { name: "Sign in to cosell" }).isVisible()).toBe(true);
    await page.getByLabel("Email").fill(w.user.email);
    await page.getByLabel("Password").fill(PASSWORDS[w.user.email] ?? "");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("tab", { name: "Favorites", selected: true }).waitFor();
    expect(page.url()).toMatch(/tab=favorites/);
    expect(page.url()).toMatch(/sort=name/);
    // An empty tab says what to do next.
    await page.getByText(/No favorites yet/).waitFor();
    await page.getByRole("button", { name: "Go to Outbound" }).click();
    await page.getByRole("tab", { name: "Outbound", selected: true }).waitFor();
    await page.context().close();
  });

  it("asks before deactivating a user or revoking a token, and says what happened", async () => {
    await admin.getByRole("link", { name: "Users" }).click();
    const row = admin.getByRole("row").filter({ hasText: w.user.email });
    // An in-page dialog, not the browser's confirm(): labelled by its question, focus on
    // Cancel, Tab kept inside, Escape cancels and gives focus back to the button that asked.
    const deactivate = row.getByRole("button", { name: "Deactivate" });
    await deactivate.click();
    const ask = admin.getByRole("alertdialog", { name: `Deactivate ${w.user.email}?` });
    await ask.getByText(/signed out at once/).waitFor();
    expect(await admin.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await admin.keyboard.press("Tab");
    await admin.keyboard.press("Tab");
    expect(await admin.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    expect(await axeViolations(admin)).toEqual([]);
    await admin.keyboard.press("Escape");
    await ask.waitFor({ state: "detached" });
    expect(await deactivate.evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await row.getByText("Active", { exact: true }).isVisible()).toBe(true);
    await deactivate.click();
    await ask.getByRole("button", { name: "Cancel" }).click();
    await ask.waitFor({ state: "detached" });
    expect(await row.getByText("Active", { exact: true }).isVisible()).toBe(true);
    await row.getByLabel(/^Role:/).selectOption("admin");
    await admin.getByText(`${w.user.email} is now Referrals admin.`).waitFor();
    await row.getByLabel(/^Role:/).selectOption("user");
    await admin.getByText(`${w.user.email} is now Referrals user.`).waitFor();

    await admin.getByRole("link", { name: "API tokens" }).click();
    await admin.getByLabel("Token name").fill("nightly script");
    await admin.getByRole("button", { name: "Create token" }).click();
    const secret = await admin.locator("#new-token").textContent();
    expect(secret?.length).toBeGreaterThan(20);
    await admin.getByRole("button", { name: "Copy the token" }).waitFor();
    await admin.getByRole("button", { name: "Revoke: nightly script" }).click();
    await admin
      .getByRole("alertdialog", { name: 'Revoke the token "nightly script"?' })
      .getByRole("button", { name: "Revoke" })
      .click();
    await admin.getByText('Token "nightly script" revoked.').waitFor();
    expect(await admin.locator("#new-token").count()).toBe(0);
    await admin.getByRole("link", { name: "Opportunities" }).click();
  });

  it("every page and panel passes axe-core with no violation of any impact", async () => {
    const found: Record<string, string[]> = {};
    await admin.goto(`${w.url}/?tab=outbound`);
    await admin
      .getByRole("button", { name: "Fabrikam summer deal 1", exact: true })
      .first()
      .waitFor();
    found.opportunities = await axeViolations(admin);
    await admin.getByText("Columns", { exact: true }).click();
    found.columns = await axeViolations(admin);
    await admin.getByText("Columns", { exact: true }).click();
    await admin
      .getByRole("button", { name: "Fabrikam summer deal 1", exact: true })
      .first()
      .click();
    await admin.getByRole("dialog").getByRole("button", { name: "Save changes" }).waitFor();
    found.dealPanel = await axeViolations(admin);
    await admin.getByRole("dialog").getByRole("button", { name: "Close" }).click();
    await admin.locator(".banner").getByRole("button", { name: "Import" }).click();
    await admin.getByRole("dialog").getByRole("heading", { name: "Import history" }).waitFor();
    found.importPanel = await axeViolations(admin);
    await admin.getByRole("dialog").getByRole("button", { name: "Close" }).click();
    await admin.getByRole("tab", { name: "Favorites" }).click();
    await admin.getByText(/No favorites yet/).waitFor();
    found.emptyFavorites = await axeViolations(admin);
    await admin.getByRole("link", { name: "Users" }).click();
    await admin.getByRole("heading", { name: "Users" }).waitFor();
    await admin.getByRole("cell", { name: w.user.email }).waitFor();
    found.users = await axeViolations(admin);
    await admin.getByRole("link", { name: "API tokens" }).click();
    await admin.getByRole("heading", { name: "API tokens" }).waitFor();
    found.tokens = await axeViolations(admin);
    await admin.getByRole("link", { name: "Connections" }).click();
    await admin.getByText("No connection yet").waitFor();
    found.connections = await axeViolations(admin);
    await admin.getByRole("link", { name: "My account" }).click();
    await admin.getByRole("heading", { name: "Change my password" }).waitFor();
    found.account = await axeViolations(admin);
    const visitor = await (await w.browser.newContext()).newPage();
    await visitor.goto(w.url);
    await visitor.getByRole("button", { name: "Sign in" }).waitFor();
    found.signIn = await axeViolations(visitor);
    await visitor.context().close();
    await admin.getByRole("link", { name: "Opportunities" }).click();
    expect(found).toEqual({
      opportunities: [],
      columns: [],
      dealPanel: [],
      importPanel: [],
      emptyFavorites: [],
      users: [],
      tokens: [],
      connections: [],
      account: [],
      signIn: [],
    });
  });

  it("in French: every page has lang=fr, no catalogue key missing and no English string left", async () => {
    const en = CATALOGUES.en;
    const fr = CATALOGUES.fr;
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    const context = await w.browser.newContext({
      locale: "fr-FR",
      acceptDownloads: true,
      viewport: { width: 1366, height: 768 },
    });
    const page = await context.newPage();
    await page.goto(w.url);
    await page.getByLabel("E-mail").fill(w.admin.email);
    await page.getByLabel("Mot de passe").fill(PASSWORDS[w.admin.email] ?? "");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("heading", { name: "Opportunités de co-vente" }).waitFor();

    const leftovers = (where: string) => englishLeftovers(page, where);
    const problems: string[] = [];
    await page.getByRole("tab", { name: "Sortantes" }).click();
    await page
      .getByRole("button", { name: "Fabrikam summer deal 1", exact: true })
      .first()
      .waitFor();
    // Amounts and dates follow the language: 10 000 $US, 31/12/2027.
    const cells = await page
      .locator(".grid.deals tbody tr")
      .first()
      .locator("td")
      .allTextContents();
    expect(cells.some((c) => /^\d{2}\/\d{2}\/\d{4}$/.test(c))).toBe(true);
    expect(cells.some((c) => /\d[\u202f\u00a0]\d{3}/.test(c))).toBe(true);
    problems.push(...(await leftovers("opportunities")));
    await shot(page, "opportunities-fr.png");
    await page.getByRole("button", { name: "Fabrikam summer deal 1", exact: true }).first().click();
    await page.getByRole("dialog").getByRole("button", { name: "Enregistrer" }).waitFor();
    problems.push(...(await leftovers("deal panel")));
    await page.getByRole("dialog").getByRole("button", { name: "Fermer" }).click();
    await page.locator(".banner").getByRole("button", { name: "Importer" }).click();
    await page
      .getByRole("dialog")
      .getByRole("heading", { name: "Historique des imports" })
      .waitFor();
    problems.push(...(await leftovers("import panel")));
    // The core's row errors, in French too, with their details (the value, the suggestion).
    await page
      .getByRole("dialog")
      .locator('input[type="file"]')
      .setInputFiles(new URL("errors-mixed.csv", FIXTURES).pathname);
    await page
      .getByRole("dialog")
      .getByText(/lignes ont des problèmes/)
      .waitFor();
    expect(
      await page
        .getByRole("dialog")
        .getByText(
          "'30/01/2027' n'est pas une date au format MM/JJ/AAAA (vouliez-vous dire 01/30/2027 ?)",
          { exact: false },
        )
        .count(),
    ).toBeGreaterThan(0);
    expect(
      await page
        .getByRole("dialog")
        .getByText(/is not a date/)
        .count(),
    ).toBe(0);
    await page.getByRole("dialog").getByRole("button", { name: "Fermer" }).click();
    await page.getByRole("tab", { name: "Favoris" }).click();
    await page.getByText(/Pas encore de favori/).waitFor();
    problems.push(...(await leftovers("favorites")));
    await page.getByRole("link", { name: "Utilisateurs" }).click();
    await page.getByRole("heading", { name: "Utilisateurs" }).waitFor();
    problems.push(...(await leftovers("users")));
    await page.getByRole("link", { name: "Mon compte" }).click();
    await page.getByRole("heading", { name: "Changer mon mot de passe" }).waitFor();
    problems.push(...(await leftovers("my account")));
    await page.getByRole("link", { name: "Jetons d'API" }).click();
    await page.getByRole("heading", { name: "Jetons d'API" }).waitFor();
    problems.push(...(await leftovers("tokens")));
    await page.getByRole("link", { name: "Connexions" }).click();
    await page.getByText("Pas encore de connexion").waitFor();
    problems.push(...(await leftovers("connections")));
    await page.getByRole("link", { name: "Jetons d'API" }).click();
    await page.getByRole("heading", { name: "Jetons d'API" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // The switch in the account menu, remembered.
    await page.getByLabel("Langue").selectOption("en");
    await page.getByRole("heading", { name: "API tokens" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    await page.reload();
    await page.getByRole("heading", { name: "API tokens" }).waitFor();
    await page.getByLabel("Language").selectOption("fr");
    await page.getByRole("heading", { name: "Jetons d'API" }).waitFor();
    await context.close();
    expect(problems).toEqual([]);
  });

  it("a Referrals user sees only the deals whose team they are on", async () => {
    const user = await signInPage(w, w.user.email, PASSWORDS[w.user.email] ?? "");
    await user.getByRole("tab", { name: "Outbound" }).click();
    await user.getByRole("button", { name: "Ana's Contoso renewal" }).waitFor();
    expect(await user.getByText("1 deal", { exact: true }).isVisible()).toBe(true);
    expect(await user.getByRole("button", { name: "Fabrikam summer deal 1" }).count()).toBe(0);
    await user.context().close();
  });
});
