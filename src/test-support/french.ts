/**
 * The French interface's check for English left behind: every string of the English catalogue
 * (three characters or more, bar the few that are the same in both languages) looked for, as a
 * whole word, in the page's visible text. Data is not the interface: deal names, statuses
 * (Partner Center's values), ids and anything marked `.data` are left out.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { CATALOGUES } from "../web/messages.js";

const SAME_IN_BOTH = new Set(["appName", "paging", "page", "groupMicrosoft", "groupSolutions"]);

const ENGLISH = Object.entries(CATALOGUES.en).flatMap(([key, value]) =>
  typeof value === "string" && !SAME_IN_BOTH.has(key) && value.length >= 3 ? [value] : [],
);

const DATA =
  ".grid.deals tbody, .pill, .mono, #drawer-title, .history-list, .meta, .data, option, optgroup";

/** The English strings on the page as it is now, as one line naming `where`; none: []. */
export async function englishLeftovers(page: Page, where: string): Promise<string[]> {
  expect(await page.evaluate(() => document.documentElement.lang)).toBe("fr");
  const text = await page.evaluate((data) => {
    const copy = document.body.cloneNode(true);
    if (!(copy instanceof HTMLElement)) return "";
    for (const el of copy.querySelectorAll(data)) el.remove();
    return copy.innerText;
  }, DATA);
  const found = ENGLISH.filter((s) =>
    new RegExp(`(^|[^\\p{L}])${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\p{L}])`, "u").test(
      text,
    ),
  );
  return found.length > 0 ? [`${where}: ${found.join(" | ")}`] : [];
}
