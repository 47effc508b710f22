/**
 * The Partner Center conflict flow end to end, in a real headless Chromium against a real
 * server and worker and the Partner Center simulator on loopback: an admin connects from the
 * Connections page, syncs, the same fields change on both sides, the next sync shows the
 * conflicts (in its result, as a badge in the list, with both values in the deal panel), a
 * person chooses, and the sync after that puts the chosen value on both sides.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../test-support/axe.js";
import {
  type BrowserWorld,
  SCREENSHOTS,
  signInPage,
  startBrowserWorld,
  stopBrowserWorld,
} from "../test-support/browser.js";
import { englishLeftovers } from "../test-support/french.js";
import { PASSWORDS } from "../test-support/http.js";
// Also gives PostgreSQL runs the secret key the connection's sealed secrets need.
import "../test-support/partner-center.js";
import { headerOf } from "../core/columns.js";
import { updateDeal } from "../server/commands/deals.js";
import { type Simulator, startSimulator } from "../simulator/partner-center/server.js";

let w: BrowserWorld;
let sim: Simulator;
let admin: Page;
/** The referral the flow edits on both sides, and its deal. */
let referralId = "";

const shot = async (page: Page, name: string) => {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: false });
};

/** Clicks "Sync now" and waits until the run is in the history (it is listed once done). */
const syncNow = async (runsBefore: number) => {
  await admin.getByRole("link", { name: "Connections" }).click();
  await admin.getByRole("heading", { name: "Connections", level: 1 }).waitFor();
  await admin.getByRole("button", { name: "Sync now" }).click();
  const history = admin.getByRole("table", { name: "Sync history" }).locator("tbody tr");
  await expect.poll(() => history.count(), { timeout: 20_000 }).toBe(runsBefore + 1);
  await admin.getByRole("heading", { name: "Sync finished" }).waitFor();
};

const notesOf = (referral: Record<string, unknown> | undefined): unknown => {
  const details = referral?.details;
  return details && typeof details === "object" && "notes" in details ? details.notes : undefined;
};

beforeAll(async () => {
  w = await startBrowserWorld();
  sim = await startSimulator({ referrals: 3, maxPageSize: 2 });
  admin = await signInPage(w, w.admin.email, PASSWORDS[w.admin.email] ?? "");
}, 120_000);

afterAll(async () => {
  await sim?.close();
  if (w) await stopBrowserWorld(w);
});

describe("the Connections page and the conflict flow", () => {
  it("connects without ever showing a secret, syncs, and a person resolves the conflicts", async () => {
    const { clientId, clientSecret, refreshToken } = sim.credentials;
    await admin.getByRole("link", { name: "Connections" }).click();
    await admin.getByText("No connection yet").waitFor();
    expect(await axeViolations(admin)).toEqual([]);

    // Connect with the fields of `cosell connect partner-center`.
    await admin.getByLabel("API URL").fill(sim.apiUrl);
    await admin.getByLabel("Token URL").fill(sim.tokenUrl);
    await admin.getByLabel("Client ID").fill(clientId);
    await admin.getByLabel("Client secret").fill(clientSecret);
    await admin.getByLabel("Refresh token").fill(refreshToken);
    await admin.getByRole("button", { name: "Connect", exact: true }).click();
    const webhook = admin.locator("#webhook-url");
    await webhook.waitFor();
    expect(await webhook.textContent()).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/api\/webhooks\/partner-center\/[^?]+\?secret=pcw_/,
    );
    await admin.getByRole("cell", { name: clientId }).waitFor();
    // The secrets left the form, and nothing on the page or in the API's answers shows them.
    expect(await admin.getByLabel("Client secret").inputValue()).toBe("");
    expect(await admin.getByLabel("Refresh token").inputValue()).toBe("");
    const listed = await admin.evaluate(() => fetch("/api/connections").then((r) => r.text()));
    for (const text of [await admin.content(), listed]) {
      expect(text).not.toContain(clientSecret);
      expect(text).not.toContain(refreshToken);
    }

    // First sync: the three seeded referrals come in as Inbound deals.
    await syncNow(0);
    const outcome = admin.locator(".sync-outcome");
    expect(await outcome.getByText("No conflict and no error.").isVisible()).toBe(true);
    expect(await outcome.locator(".sync-counts").first().locator(".counts").textContent()).toMatch(
      /Created\s*3/,
    );
    expect(await axeViolations(admin)).toEqual([]);

    // The same fields change on both sides: here in the deal panel, there on Partner Center.
    const referral = sim.hooks.referrals()[0];
    referralId = String(referral?.id);
    const seededName = String(referral?.name);
    await admin.getByRole("link", { name: "Opportunities" }).click();
    await admin.getByRole("tab", { name: "Inbound" }).click();
    await admin.getByRole("button", { name: seededName, exact: true }).click();
    let panel = admin.getByRole("dialog");
    await panel.getByRole("heading", { name: "Partner Center" }).waitFor();
    expect(await panel.getByText("In step with Partner Center").isVisible()).toBe(true);
    expect(await panel.locator(".sync-state").getByText(referralId).isVisible()).toBe(true);
    await panel.getByLabel("Deal Name", { exact: true }).fill("Nom choisi ici");
    await panel.getByLabel("Notes", { exact: true }).fill("Notes écrites dans cosell");
    await panel.getByRole("button", { name: "Save changes" }).click();
    await panel.getByText("Saved", { exact: true }).waitFor();
    await panel.getByRole("button", { name: "Close" }).click();
    sim.hooks.editReferral(referralId, (x) => {
      x.name = "Nom venu de Microsoft";
      const details = x.details;
      if (details && typeof details === "object" && !Array.isArray(details)) {
        details.notes = "Notes written at Microsoft";
      }
    });

    // The next sync overwrites neither side: both fields are conflicts, by deal and field.
    await syncNow(1);
    const conflicts = outcome.locator("tr.sync-conflict");
    await outcome.getByText("2 conflicts waiting for a choice").waitFor();
    const texts = await conflicts.allInnerTexts();
    expect(texts).toHaveLength(2);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Nom choisi ici\s+Deal Name\s+Nom choisi ici\s+Nom venu de Microsoft/,
        ),
        expect.stringMatching(
          /Nom choisi ici\s+Notes\s+Notes écrites dans cosell\s+Notes written at Microsoft/,
        ),
      ]),
    );
    expect(sim.hooks.referral(referralId)?.name).toBe("Nom venu de Microsoft");
    await shot(admin, "connections.png");

    // The list shows the badge on that deal only.
    await admin.getByRole("link", { name: "Opportunities" }).click();
    await admin.getByRole("tab", { name: "Inbound", selected: true }).waitFor();
    const row = admin.getByRole("row").filter({ hasText: "Nom choisi ici" });
    await row.locator(".badge-conflict").waitFor();
    expect(await admin.locator(".grid.deals .badge-conflict").count()).toBe(1);
    await shot(admin, "sync-conflict-badge.png");

    // The panel shows both values of each, with a choice.
    await row.getByRole("button", { name: "Nom choisi ici", exact: true }).click();
    panel = admin.getByRole("dialog");
    const nameChoice = panel.getByRole("group", { name: "Deal Name: changed on both sides" });
    const notesChoice = panel.getByRole("group", { name: "Notes: changed on both sides" });
    await nameChoice.waitFor();
    expect(await nameChoice.getByText("Nom choisi ici", { exact: true }).isVisible()).toBe(true);
    expect(await nameChoice.getByText("Nom venu de Microsoft").isVisible()).toBe(true);
    expect(await notesChoice.getByText("Notes écrites dans cosell").isVisible()).toBe(true);
    expect(await notesChoice.getByText("Notes written at Microsoft").isVisible()).toBe(true);
    expect(await panel.getByText("2 conflicts to resolve").isVisible()).toBe(true);
    await nameChoice.scrollIntoViewIfNeeded();
    await shot(admin, "sync-conflict-panel.png");
    expect(await axeViolations(admin)).toEqual([]);

    // Keep this side's notes (the next sync sends them); take Partner Center's name (now).
    await notesChoice.getByRole("button", { name: "Keep this one: Notes" }).click();
    await panel.getByText("Kept: the next sync sends it to Partner Center.").waitFor();
    await nameChoice.getByRole("button", { name: "Take Partner Center's: Deal Name" }).click();
    await panel.getByText("Partner Center's value is applied.").waitFor();
    await expect
      .poll(() => panel.getByLabel("Deal Name", { exact: true }).inputValue())
      .toBe("Nom venu de Microsoft");
    expect(await panel.locator(".sync-conflict-choice").count()).toBe(0);
    expect(await panel.getByLabel("Notes", { exact: true }).inputValue()).toBe(
      "Notes écrites dans cosell",
    );
    await panel.getByRole("button", { name: "Close" }).click();
    await admin.getByRole("button", { name: "Nom venu de Microsoft", exact: true }).waitFor();
    await expect.poll(() => admin.locator(".grid.deals .badge-conflict").count()).toBe(0);

    // The sync after the choice: the chosen values on both sides, and no conflict left.
    await syncNow(2);
    expect(await outcome.getByText("No conflict and no error.").isVisible()).toBe(true);
    const remote = sim.hooks.referral(referralId);
    expect(remote?.name).toBe("Nom venu de Microsoft");
    expect(notesOf(remote)).toBe("Notes écrites dans cosell");
    const link = await w.store.db
      .selectFrom("deal_links")
      .select("deal_id")
      .where("referral_id", "=", referralId)
      .executeTakeFirstOrThrow();
    const deal = await w.store.db
      .selectFrom("deals")
      .select(["name", "notes"])
      .where("id", "=", link.deal_id)
      .executeTakeFirstOrThrow();
    expect(deal).toEqual({ name: "Nom venu de Microsoft", notes: "Notes écrites dans cosell" });

    // The history lists the three runs, newest first, with a result behind Details.
    const history = admin.getByRole("table", { name: "Sync history" });
    expect(await history.locator("tbody tr").count()).toBe(3);
    await history.locator("tbody tr").nth(1).getByRole("button", { name: "Details" }).click();
    await admin.locator("#sync-details").getByText("2 conflicts waiting for a choice").waitFor();
    expect(await axeViolations(admin)).toEqual([]);
  });

  it("in French: the Connections page, a sync's conflict, the badge and the chooser, all translated", async () => {
    const { deal_id: dealId } = await w.store.db
      .selectFrom("deal_links")
      .select("deal_id")
      .where("referral_id", "=", referralId)
      .executeTakeFirstOrThrow();
    const edited = await updateDeal(w.store, w.admin, dealId, null, {
      notes: "Modifiées encore ici",
    });
    expect(edited.result).toBe("Updated");
    sim.hooks.editReferral(referralId, (x) => {
      const details = x.details;
      if (details && typeof details === "object" && !Array.isArray(details)) {
        details.notes = "Changed again at Microsoft";
      }
    });
    const problems: string[] = [];
    await admin.locator(".lang-switch select").selectOption("fr");
    await admin.getByRole("link", { name: "Connexions" }).click();
    await admin.getByRole("button", { name: "Synchroniser" }).click();
    const history = admin
      .getByRole("table", { name: "Historique des synchronisations" })
      .locator("tbody tr");
    await expect.poll(() => history.count(), { timeout: 20_000 }).toBe(4);
    await admin.getByText("1 conflit en attente d'un choix").waitFor();
    problems.push(...(await englishLeftovers(admin, "connections")));
    await history.first().getByRole("button", { name: "Détails" }).click();
    problems.push(...(await englishLeftovers(admin, "sync details")));

    await admin.getByRole("link", { name: "Opportunités" }).click();
    await admin.getByRole("tab", { name: "Entrantes" }).click();
    const row = admin.getByRole("row").filter({ hasText: "Nom venu de Microsoft" });
    await row.getByText("Conflit").waitFor();
    problems.push(...(await englishLeftovers(admin, "list")));
    await row.getByRole("button", { name: "Nom venu de Microsoft", exact: true }).click();
    const panel = admin.getByRole("dialog");
    const notes = headerOf("notes", "fr");
    const choice = panel.getByRole("group", { name: `${notes} : modifié des deux côtés` });
    await choice.waitFor();
    expect(await choice.getByText("Modifiées encore ici").isVisible()).toBe(true);
    expect(await choice.getByText("Changed again at Microsoft").isVisible()).toBe(true);
    problems.push(...(await englishLeftovers(admin, "deal panel")));
    expect(await axeViolations(admin)).toEqual([]);
    await choice.getByRole("button", { name: `Garder celle-ci: ${notes}` }).click();
    await panel.getByText("Gardée : la prochaine synchronisation").waitFor();
    problems.push(...(await englishLeftovers(admin, "deal panel, resolved")));
    await panel.getByRole("button", { name: "Fermer" }).click();
    await admin.locator(".lang-switch select").selectOption("en");
    await admin.getByRole("tab", { name: "Inbound" }).waitFor();
    expect(problems).toEqual([]);
  });
});
