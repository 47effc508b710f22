/**
 * A real headless Chromium (Debian's `chromium`, driven by playwright-core) against a real
 * cosell server with its worker, over a fresh test store. No test tool downloads a browser:
 * `.ci/run` installs the Debian package; without it these tests fail with a clear message.
 */
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { buildApp } from "../server/http/app.js";
import { Worker } from "../server/jobs/worker.js";
import { openTestStore } from "./db.js";
import { makeWorld } from "./deals.js";
import type { TestServer } from "./http.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const WEB_ROOT = fileURLToPath(new URL("../../dist/web", import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL("../../docs/screenshots", import.meta.url));

const silent = { info() {}, warn() {}, error() {} };

export interface BrowserWorld extends TestServer {
  worker: Worker;
  browser: Browser;
  downloads: string;
}

/** `webRoot`: a copy of the built page, for a long test that must not see a rebuild midway. */
export const startBrowserWorld = async ({
  webRoot = WEB_ROOT,
}: {
  webRoot?: string;
} = {}): Promise<BrowserWorld> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium), as .ci/run does`,
    );
  }
  if (!existsSync(path.join(webRoot, "index.html"))) {
    throw new Error(`The web page is not built (${webRoot}): run npm run build`);
  }
  const store = await openTestStore();
  const world = await makeWorld(store);
  const worker = new Worker(store, {
    leaseMs: 5000,
    pollMs: 50,
    chunkSize: 100,
    maxAttempts: 3,
    sweepMs: 3_600_000,
    retentionMs: 7 * 86_400_000,
    log: silent,
  });
  worker.start();
  const app = await buildApp({ store, worker, webRoot });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const downloads = await mkdtemp(path.join(tmpdir(), "cosell-downloads-"));
  return { ...world, app, url, worker, browser, downloads };
};

export const stopBrowserWorld = async (w: BrowserWorld): Promise<void> => {
  await w.browser.close();
  await w.app.close();
  await w.worker.stop(1000);
  await w.store.close();
};

/** The sign-in form's words and the first page's heading, by the browser's language. */
const SIGN_IN_WORDS = {
  en: { email: "Email", password: "Password", signIn: "Sign in", heading: "Co-sell opportunities" },
  fr: {
    email: "E-mail",
    password: "Mot de passe",
    signIn: "Se connecter",
    heading: "Opportunités de co-vente",
  },
} as const;

/**
 * A fresh browser context (its own cookies), signed in through the real sign-in form; with
 * `lang: "fr"` the browser asks for French (fr-FR), as a French partner's would.
 */
export const signInPage = async (
  w: BrowserWorld,
  email: string,
  password: string,
  { lang = "en" }: { lang?: "en" | "fr" } = {},
): Promise<Page> => {
  const context = await w.browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1366, height: 900 },
    ...(lang === "fr" ? { locale: "fr-FR" } : {}),
  });
  const page = await context.newPage();
  const words = SIGN_IN_WORDS[lang];
  await page.goto(w.url);
  await page.getByLabel(words.email).fill(email);
  await page.getByLabel(words.password).fill(password);
  await page.getByRole("button", { name: words.signIn }).click();
  await page.getByRole("heading", { name: words.heading }).waitFor();
  return page;
};
