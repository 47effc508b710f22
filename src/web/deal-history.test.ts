/**
 * The deal panel's history, in a real headless Chromium against a real server: the entries of
 * an import and of an edit made in the panel show who, in what role, from where, and the change.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserWorld,
  signInPage,
  startBrowserWorld,
  stopBrowserWorld,
} from "../test-support/browser.js";
import { importRows, newDealRow } from "../test-support/deals.js";
import { PASSWORDS } from "../test-support/http.js";

let w: BrowserWorld;
let admin: Page;

beforeAll(async () => {
  w = await startBrowserWorld();
  await importRows(w.store, w.admin, [newDealRow({ "Deal Name": "Deal with a past" })]);
  admin = await signInPage(w, w.admin.email, PASSWORDS[w.admin.email] ?? "");
}, 120_000);

afterAll(async () => {
  if (w) await stopBrowserWorld(w);
});

describe("the deal panel's history", () => {
  it("shows the deal's entries, newest first, and the panel's own edit once saved", async () => {
    await admin.getByRole("tab", { name: "Outbound" }).click();
    await admin.getByRole("button", { name: "Deal with a past", exact: true }).click();
    const panel = admin.getByRole("dialog");
    const history = panel.getByRole("region", { name: "History" });
    await history.getByText("Created").waitFor();
    expect(await history.getByText("import, row 1").count()).toBe(1);
    expect(await history.getByText("admin@contoso.example (admin)").count()).toBe(1);

    await panel.getByLabel("Notes", { exact: true }).fill("called the customer");
    await panel.getByRole("button", { name: "Save changes" }).click();
    await panel.getByText("Saved", { exact: true }).waitFor();
    await history.getByText("Notes: — → called the customer").waitFor();
    const entries = await history.locator("li").allTextContents();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toContain("PATCH /api/deals/:id");
    expect(entries[1]).toContain("Created");
  });
});
