/**
 * axe-core in the real Chromium of the web tests: injected from node_modules (no download),
 * run on the whole document, every violation of any impact returned in a readable line.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

let source: string | undefined;

/** Every axe violation on the page as it is now: `rule (impact): selector, …`. */
export const axeViolations = async (page: Page): Promise<string[]> => {
  source ??= await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  // evaluate, not a script tag: the page's CSP rightly refuses inline scripts.
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = window.axe;
    if (!axe) return ["axe-core did not load"];
    const result = await axe.run(document);
    return result.violations.map(
      (v) =>
        `${v.id} (${v.impact ?? "?"}): ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 5)
          .join(", ")}`,
    );
  });
};

interface AxeResult {
  violations: { id: string; impact?: string; nodes: { target: string[] }[] }[];
}

declare global {
  interface Window {
    axe?: { run: (context: Document) => Promise<AxeResult> };
  }
}
