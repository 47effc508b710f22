/**
 * The password rule through the API: adding a user with a password, changing one's own
 * password; and an account whose password predates the rule still signs in until it changes.
 */
import { describe, expect, it } from "vitest";
import { PASSWORDS, setupTestServer, signedIn, withToken } from "../../../test-support/http.js";
import { hashPassword } from "../../auth/password.js";

const server = setupTestServer({ passwordPolicy: { minLength: 12 } });

const json = (body: unknown, method = "POST"): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const signIn = (url: string, email: string, password: string) =>
  fetch(`${url}/api/auth/sign-in`, json({ email, password })).then((r) => r.status);

describe("the password rule in the API", () => {
  it("refuses weak passwords for a new user with the rule's message (400), takes a good one", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const cases: [string, RegExp][] = [
      ["a", /too short: use at least 12 characters/],
      ["12345678", /too short/],
      ["password", /too short/],
      ["qwerty123456", /commonly used passwords/],
      ["Password1234", /commonly used passwords/],
      ["zzzzzzzzzzzzzzzz", /one character repeated/],
      ["new.person@contoso.example", /not be your email/],
    ];
    for (const [password, message] of cases) {
      const res = await admin.json<{ error: { code: string; message: string } }>(
        "/api/users",
        json({ email: "new.person@contoso.example", role: "user", password }),
      );
      expect(res.status, password).toBe(400);
      expect(res.body.error.code, password).toBe("invalid_argument");
      expect(res.body.error.message, password).toMatch(message);
    }
    const ok = await admin.json<{ email: string; password: string | null }>(
      "/api/users",
      json({ email: "new.person@contoso.example", role: "user", password: "lantern orbit maple" }),
    );
    expect(ok.status).toBe(201);
    expect(ok.body.password).toBeNull();
    expect(await signIn(s.url, "new.person@contoso.example", "lantern orbit maple")).toBe(200);
  });

  it("changes one's own password: current one required, rule applied, other sessions ended", async () => {
    const s = server();
    const current = PASSWORDS[s.user.email] ?? "";
    const browser = await signedIn(s, s.user);
    const other = await signedIn(s, s.user);
    const change = (body: unknown) =>
      browser.json<{ error?: { message: string } }>("/api/auth/password", json(body));
    expect(
      (await change({ currentPassword: "wrong", newPassword: "lantern orbit maple" })).status,
    ).toBe(403);
    const weak = await change({ currentPassword: current, newPassword: "123456qwerty" });
    expect(weak.status).toBe(400);
    expect(weak.body.error?.message).toMatch(/commonly used passwords/);
    expect(
      (await change({ currentPassword: current, newPassword: "lantern orbit maple" })).status,
    ).toBe(204);
    expect(await signIn(s.url, s.user.email, current)).toBe(401);
    expect(await signIn(s.url, s.user.email, "lantern orbit maple")).toBe(200);
    // The session that asked stays; the other one was ended.
    expect((await browser.fetch("/api/auth/me")).status).toBe(200);
    expect((await other.fetch("/api/auth/me")).status).toBe(401);
  });

  it("lets an account whose password predates the rule sign in until it is changed", async () => {
    const s = server();
    await s.store.db
      .updateTable("users")
      .set({ password_hash: await hashPassword("a") })
      .where("id", "=", s.user.userId)
      .execute();
    expect(await signIn(s.url, s.user.email, "a")).toBe(200);
  });

  it("gives the page the rule's lengths", async () => {
    const s = server();
    const browser = await signedIn(s, s.user);
    const res = await browser.json("/api/auth/password-policy");
    expect(res).toMatchObject({ status: 200, body: { minLength: 12, maxLength: 256 } });
  });

  it("counts a wrong current password against the account's limit, like a sign-in", async () => {
    const s = server();
    const browser = await signedIn(s, s.user);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await browser.fetch(
        "/api/auth/password",
        json({ currentPassword: `guess ${i}`, newPassword: "lantern orbit maple" }),
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(10).fill(403), 429, 429]);
    // One count: the right password at the sign-in waits too.
    expect(await signIn(s.url, s.user.email, PASSWORDS[s.user.email] ?? "")).toBe(429);
  });

  it("does not count a new password the rule refuses as a guess", async () => {
    const s = server();
    const browser = await signedIn(s, s.user);
    const current = PASSWORDS[s.user.email] ?? "";
    for (let i = 0; i < 12; i++) {
      const res = await browser.fetch(
        "/api/auth/password",
        json({ currentPassword: current, newPassword: "short" }),
      );
      expect(res.status).toBe(400);
    }
    expect(await signIn(s.url, s.user.email, current)).toBe(200);
  });
});
