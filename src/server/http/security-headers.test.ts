/**
 * The security headers on every kind of response (page, API, docs, errors, 404s), HSTS only
 * over HTTPS, and the CSP proven in a real Chromium: the page and /api/docs work under it
 * with no violation reported.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserWorld,
  signInPage,
  startBrowserWorld,
  stopBrowserWorld,
  WEB_ROOT,
} from "../../test-support/browser.js";
import { importRows, newDealRow } from "../../test-support/deals.js";
import { PASSWORDS, setupTestServer } from "../../test-support/http.js";
import { HSTS_VALUE } from "./security-headers.js";

const expectSecurityHeaders = (headers: Headers, where: string) => {
  const csp = headers.get("content-security-policy") ?? "";
  expect(csp, where).toContain("default-src 'self'");
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).toContain("object-src 'none'");
  expect(csp, where).not.toContain("unsafe-inline");
  expect(headers.get("x-content-type-options"), where).toBe("nosniff");
  expect(headers.get("x-frame-options"), where).toBe("DENY");
  expect(headers.get("referrer-policy"), where).toBe("no-referrer");
  expect(headers.get("strict-transport-security"), where).toBeNull();
};

describe("security headers", () => {
  const server = setupTestServer({ webRoot: WEB_ROOT });
  const trusted = setupTestServer({ webRoot: WEB_ROOT, trustProxy: 1 });

  it("are on the page, the API, the docs, errors and unknown routes", async () => {
    const { url } = server();
    const cases: [string, RequestInit, number][] = [
      ["/", {}, 200],
      ["/users", {}, 200],
      ["/api/health", {}, 200],
      ["/api/template", {}, 200],
      ["/api/docs", {}, 200],
      ["/api/docs/", {}, 200],
      ["/api/docs/static/swagger-ui-bundle.js", {}, 200],
      ["/api/openapi.json", {}, 200],
      ["/api/deals", {}, 401],
      ["/api/deals", { headers: { authorization: "Bearer cst_not-a-token" } }, 401],
      ["/api/no-such-route", {}, 404],
      [
        "/api/auth/sign-in",
        { method: "POST", headers: { "content-type": "application/json" }, body: "{" },
        400,
      ],
    ];
    for (const [path, init, status] of cases) {
      const res = await fetch(`${url}${path}`, { redirect: "manual", ...init });
      await res.arrayBuffer();
      expect(res.status, path).toBe(status);
      expectSecurityHeaders(res.headers, `${init.method ?? "GET"} ${path}`);
    }
  });

  it("send HSTS only for a request that came over HTTPS through a trusted proxy", async () => {
    const plain = await fetch(`${server().url}/api/health`, {
      headers: { "x-forwarded-proto": "https" },
    });
    // Not trusted: a client cannot make the server claim HTTPS.
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    const viaProxy = await fetch(`${trusted().url}/api/health`, {
      headers: { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7" },
    });
    expect(viaProxy.headers.get("strict-transport-security")).toBe(HSTS_VALUE);
    const error = await fetch(`${trusted().url}/api/deals`, {
      headers: { "x-forwarded-proto": "https" },
    });
    expect(error.status).toBe(401);
    expect(error.headers.get("strict-transport-security")).toBe(HSTS_VALUE);
    const httpViaProxy = await fetch(`${trusted().url}/api/health`, {
      headers: { "x-forwarded-proto": "http" },
    });
    expect(httpViaProxy.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("the CSP in a real browser", () => {
  let w: BrowserWorld;
  const violations: string[] = [];

  /**
   * Records CSP violations (the DOM event, and Chromium's console report of them) and page
   * errors. Other console errors are not the CSP's (the page's first /api/auth/me is a 401).
   */
  const watch = async (page: Page) => {
    page.on("console", (msg) => {
      const text = msg.text();
      if (/Content Security Policy|CSP violation/i.test(text)) violations.push(`console: ${text}`);
    });
    page.on("pageerror", (err) => violations.push(`page error: ${err.message}`));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
  };

  beforeAll(async () => {
    w = await startBrowserWorld();
    await importRows(w.store, w.admin, [newDealRow({ "Deal Name": "CSP test deal" })]);
  }, 120_000);

  afterAll(async () => {
    if (w) await stopBrowserWorld(w);
  });

  it("lets the page sign in, list deals, open one and the import panel with no violation", async () => {
    const context = await w.browser.newContext({ viewport: { width: 1366, height: 900 } });
    // Sign in as the helper does, but watching from the first request on.
    context.on("page", (p) => void watch(p));
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await watch(page);
    const header = (await page.goto(w.url))?.headers()["content-security-policy"] ?? "";
    expect(header).toContain("script-src 'self'");
    await page.getByLabel("Email").fill(w.admin.email);
    await page.getByLabel("Password").fill(PASSWORDS[w.admin.email] ?? "");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Co-sell opportunities" }).waitFor();
    await page.getByRole("tab", { name: "Outbound" }).click();
    await page.getByRole("tab", { name: "Outbound", selected: true }).waitFor();
    await page.getByRole("button", { name: "CSP test deal", exact: true }).click();
    await page.getByRole("dialog").waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    await page.locator(".banner").getByRole("button", { name: "Import" }).click();
    await page.getByRole("dialog").locator('input[type="file"]').waitFor({ state: "attached" });
    // Give late reports (styles, images) a moment to arrive.
    await page.waitForTimeout(300);
    expect(violations).toEqual([]);
    await context.close();
  });

  it("lets /api/docs (swagger-ui) render the API with no violation", async () => {
    const page = await signInPage(w, w.admin.email, PASSWORDS[w.admin.email] ?? "");
    await watch(page);
    await page.goto(`${w.url}/api/docs`);
    await page.getByText("cosell API").first().waitFor();
    await page.locator(".opblock").first().waitFor();
    await page.waitForTimeout(300);
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it("would report a violation (the watch can fail)", async () => {
    const page = await signInPage(w, w.admin.email, PASSWORDS[w.admin.email] ?? "");
    const seen: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") seen.push(msg.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        console.error(`CSP violation: ${e.violatedDirective}`);
      });
    });
    await page.reload();
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.injected = 1";
      document.body.append(s);
    });
    await page.waitForTimeout(200);
    expect(seen.join("\n")).toContain("CSP violation: script-src");
    await page.context().close();
  });
});
