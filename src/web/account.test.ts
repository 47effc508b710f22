/**
 * "My account" and the password rule on the page, in a real Chromium against a real server:
 * changing one's password from the account menu — the rule shown beside the field; a short,
 * repeated, email-like or mistyped password refused in the page's words before anything is
 * sent; a common one refused by the server and worded the same way; a wrong current password
 * said as such; then the change, after which the new password signs in. The users page's typed
 * password follows the same rule. Both in English and in French.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../test-support/axe.js";
import {
  type BrowserWorld,
  signInPage,
  startBrowserWorld,
  stopBrowserWorld,
} from "../test-support/browser.js";
import { PASSWORDS } from "../test-support/http.js";

let w: BrowserWorld;

beforeAll(async () => {
  w = await startBrowserWorld();
}, 120_000);

afterAll(async () => {
  if (w) await stopBrowserWorld(w);
});

/** Requests that carried a password to the server, by path. */
const passwordRequests = (page: Page): string[] => {
  const sent: string[] = [];
  page.on("request", (r) => {
    const { pathname } = new URL(r.url());
    if (r.method() === "POST" && (pathname === "/api/auth/password" || pathname === "/api/users"))
      sent.push(pathname);
  });
  return sent;
};

const labels = {
  en: {
    current: "Current password",
    next: "New password",
    again: "New password, again",
    submit: "Change password",
  },
  fr: {
    current: "Mot de passe actuel",
    next: "Nouveau mot de passe",
    again: "Nouveau mot de passe, encore une fois",
    submit: "Changer le mot de passe",
  },
};

/** The form's alert, if one shows. */
const alertText = async (page: Page): Promise<string | null> => {
  const alert = page.locator('main [role="alert"]');
  return (await alert.count()) > 0 ? await alert.first().textContent() : null;
};

/** Fills the change-password form and sends it; answers the alert's text, "" on success. */
const changePassword = async (
  page: Page,
  lang: "en" | "fr",
  current: string,
  next: string,
  again = next,
): Promise<string> => {
  const l = labels[lang];
  await page.getByLabel(l.current).fill(current);
  await page.getByLabel(l.next, { exact: true }).fill(next);
  await page.getByLabel(l.again).fill(again);
  const before = await alertText(page);
  await page.getByRole("button", { name: l.submit }).click();
  // Each case's refusal differs from the one before: wait for a new one, or for success.
  await page.waitForFunction((old) => {
    const alert = document.querySelector('main [role="alert"]');
    return (
      (alert !== null && alert.textContent !== old) || document.querySelector(".notice-success")
    );
  }, before);
  return (await alertText(page)) ?? "";
};

describe("my account: change my password", () => {
  it("shows the rule, refuses every weak password in the rule's words, then changes it", async () => {
    const page = await signInPage(w, w.user.email, PASSWORDS[w.user.email] ?? "");
    const sent = passwordRequests(page);
    const current = PASSWORDS[w.user.email] ?? "";
    await page.getByRole("link", { name: "My account" }).click();
    await page.getByRole("heading", { name: "My account" }).waitFor();
    expect(await page.locator("#password-rule").textContent()).toMatch(/^At least 12 characters/);
    expect(await axeViolations(page)).toEqual([]);

    expect(await changePassword(page, "en", current, "short")).toMatch(
      /too short: use at least 12 characters/,
    );
    expect(
      await changePassword(page, "en", current, "lantern orbit maple", "lantern orbit maples"),
    ).toBe("The two new passwords differ: type the same one twice.");
    expect(await changePassword(page, "en", current, "zzzzzzzzzzzzzzzz")).toMatch(
      /one character repeated/,
    );
    expect(await changePassword(page, "en", current, w.user.email)).toMatch(
      /must not be the email address/,
    );
    // Nothing was sent for those: the page ran the rule itself.
    expect(sent).toEqual([]);
    expect(await changePassword(page, "en", current, "qwerty123456")).toMatch(
      /on the list of commonly used passwords/,
    );
    expect(await changePassword(page, "en", "not my password at all", "lantern orbit maple")).toBe(
      "The current password is not right.",
    );
    expect(await changePassword(page, "en", current, "lantern orbit maple")).toBe("");
    await page.getByText("Your password is changed.", { exact: false }).waitFor();
    expect(sent).toHaveLength(3);
    await page.context().close();

    const again = await signInPage(w, w.user.email, "lantern orbit maple");
    await again.context().close();
  });

  it("checks a typed password on the users page with the same rule; empty still generates one", async () => {
    const page = await signInPage(w, w.admin.email, PASSWORDS[w.admin.email] ?? "");
    const sent = passwordRequests(page);
    await page.getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { name: "Users" }).waitFor();
    expect(await page.locator("#new-user-password-rule").textContent()).toMatch(
      /leave it empty and cosell generates one.*at least 12 characters/,
    );
    const form = page.getByRole("form", { name: "Add user" });
    const add = async (email: string, password: string) => {
      await form.getByLabel("Email").fill(email);
      await form.getByLabel("Password").fill(password);
      await form.getByRole("button", { name: "Add user" }).click();
    };
    await add("typed.one@contoso.example", "short one");
    await page.getByText(/too short: use at least 12 characters/).waitFor();
    await add("typed.one@contoso.example", "typed.one@contoso.example");
    await page.getByText(/must not be the email address/).waitFor();
    expect(sent).toEqual([]);
    await add("typed.one@contoso.example", "Password1234");
    await page.getByText(/on the list of commonly used passwords/).waitFor();
    await add("typed.one@contoso.example", "velvet harbour nineteen");
    await page.getByText("Added typed.one@contoso.example.", { exact: true }).waitFor();
    await add("generated.one@contoso.example", "");
    await page.getByText(/^Added generated\.one@contoso\.example\. Their password/).waitFor();
    expect(sent).toHaveLength(3);
    await page.context().close();

    const typed = await signInPage(w, "typed.one@contoso.example", "velvet harbour nineteen");
    await typed.context().close();
  });

  it("says it all in French: the rule, the page's refusals and the server's", async () => {
    const page = await signInPage(w, w.admin.email, PASSWORDS[w.admin.email] ?? "", {
      lang: "fr",
    });
    const current = PASSWORDS[w.admin.email] ?? "";

    await page.getByRole("link", { name: "Mon compte" }).click();
    await page.getByRole("heading", { name: "Mon compte" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fr");
    expect(await page.locator("#password-rule").textContent()).toMatch(/^Au moins 12 caractères/);
    expect(await axeViolations(page)).toEqual([]);
    expect(await changePassword(page, "fr", current, "court")).toMatch(
      /^Mot de passe trop court : utilisez au moins 12 caractères/,
    );
    expect(
      await changePassword(page, "fr", current, "lantern orbit maple", "autre chose ici"),
    ).toBe("Les deux nouveaux mots de passe diffèrent : saisissez deux fois le même.");
    expect(await changePassword(page, "fr", current, "qwerty123456")).toMatch(
      /^Ce mot de passe figure dans la liste des mots de passe courants/,
    );
    expect(await changePassword(page, "fr", "pas le bon du tout", "lantern orbit maple")).toBe(
      "Le mot de passe actuel n'est pas le bon.",
    );

    await page.getByRole("link", { name: "Utilisateurs" }).click();
    await page.getByRole("heading", { name: "Utilisateurs" }).waitFor();
    expect(await page.locator("#new-user-password-rule").textContent()).toMatch(/^Facultatif/);
    const form = page.getByRole("form", { name: "Ajouter un utilisateur" });
    await form.getByLabel("E-mail").fill("nouveau@contoso.example");
    await form.getByLabel("Mot de passe").fill("Password1234");
    await form.getByRole("button", { name: "Ajouter un utilisateur" }).click();
    await page.getByText(/^Ce mot de passe figure dans la liste/).waitFor();
    await page.context().close();
  });
});
