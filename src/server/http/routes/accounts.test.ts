import { describe, expect, it } from "vitest";
import { anonymous, setupTestServer, signedIn, withToken } from "../../../test-support/http.js";

const server = setupTestServer({ signInPerMinute: 5 });

describe("sign-in and sessions", () => {
  it("signs in, sets an HttpOnly SameSite cookie, and knows who is there", async () => {
    const s = server();
    const res = await fetch(`${s.url}/api/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ADMIN@contoso.example", password: "contoso-admin-pass" }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^cosell_session=css_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const browser = await signedIn(s, s.admin);
    const me = await browser.json<{ email: string; role: string }>("/api/auth/me");
    expect(me.body).toMatchObject({ email: "admin@contoso.example", role: "admin" });
  });

  it("refuses a wrong password and an unknown email alike (401), and rate-limits attempts (429)", async () => {
    const s = server();
    const attempt = (email: string) =>
      anonymous(s).json<{ error: { code: string; message: string } }>("/api/auth/sign-in", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "wrong" }),
      });
    const wrong = await attempt("admin@contoso.example");
    const unknown = await attempt("nobody@contoso.example");
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe("unauthenticated");
    for (let i = 0; i < 3; i++) await attempt("admin@contoso.example");
    expect((await attempt("admin@contoso.example")).status).toBe(429);
  });

  it("needs the CSRF header on a session's writes, not on a token's", async () => {
    const s = server();
    const browser = await signedIn(s, s.admin);
    const noCsrf = await fetch(`${s.url}/api/tokens`, {
      method: "POST",
      headers: {
        cookie: (await browser.fetch("/api/auth/me")).headers.get("set-cookie") ?? "",
        "content-type": "application/json",
      },
      body: "{}",
    });
    expect([401, 403]).toContain(noCsrf.status);
    const withCsrf = await browser.json("/api/tokens", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "ci" }),
    });
    expect(withCsrf.status).toBe(201);
    const script = await withToken(s, s.admin);
    const viaToken = await script.json("/api/tokens", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "other" }),
    });
    expect(viaToken.status).toBe(201);
  });

  it("rejects a session write with a wrong CSRF token (403)", async () => {
    const s = server();
    const browser = await signedIn(s, s.admin);
    const res = await browser.json<{ error: { code: string } }>("/api/tokens", {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": "forged" },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("csrf_failed");
  });

  it("signs out", async () => {
    const s = server();
    const browser = await signedIn(s, s.admin);
    expect((await browser.fetch("/api/auth/sign-out", { method: "POST" })).status).toBe(204);
    expect((await browser.fetch("/api/auth/me")).status).toBe(401);
  });
});

describe("API tokens", () => {
  it("creates, lists and revokes; a revoked token is refused", async () => {
    const s = server();
    const browser = await signedIn(s, s.user);
    const created = await browser.json<{ id: string; token: string }>("/api/tokens", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "laptop" }),
    });
    const script = { authorization: `Bearer ${created.body.token}` };
    expect((await fetch(`${s.url}/api/auth/me`, { headers: script })).status).toBe(200);
    const list = await browser.json<{ items: { id: string; name: string }[] }>("/api/tokens");
    expect(list.body.items.map((t) => t.name)).toEqual(["laptop"]);
    expect(
      (await browser.fetch(`/api/tokens/${created.body.id}`, { method: "DELETE" })).status,
    ).toBe(204);
    expect((await fetch(`${s.url}/api/auth/me`, { headers: script })).status).toBe(401);
  });
});

describe("users (Referrals admins)", () => {
  it("adds a user, changes the role, deactivates; a plain user may not (403)", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const added = await admin.json<{ id: string; password: string | null; role: string }>(
      "/api/users",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "chen@contoso.example", role: "user", name: "Chen Wei" }),
      },
    );
    expect(added.status).toBe(201);
    expect(added.body.password).toBeTruthy();
    const promoted = await admin.json<{ role: string }>(`/api/users/${added.body.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ role: "admin" }),
    });
    expect(promoted.body.role).toBe("admin");
    const off = await admin.json<{ active: boolean }>(`/api/users/${added.body.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ active: false }),
    });
    expect(off.body.active).toBe(false);
    const plain = await withToken(s, s.user);
    expect((await plain.fetch("/api/users")).status).toBe(403);
  });

  it("refuses an email in use alike whether it is in this organisation or another (no cross-tenant hint)", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const add = (email: string) =>
      admin.json<{ error: { code: string; message: string } }>("/api/users", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, role: "user" }),
      });
    const ours = await add(s.user.email);
    const theirs = await add(s.stranger.email);
    expect(ours.status).toBe(409);
    expect(theirs.status).toBe(ours.status);
    expect(theirs.body.error.code).toBe(ours.body.error.code);
    expect(theirs.body.error.message.replace(s.stranger.email, "X")).toBe(
      ours.body.error.message.replace(s.user.email, "X"),
    );
    expect(theirs.body.error.message.replace(s.stranger.email, "X")).not.toMatch(
      /organi[sz]ation|Fabrikam|elsewhere/i,
    );
    expect([...theirs.headers.keys()].sort()).toEqual([...ours.headers.keys()].sort());
  });

  it("never shows or changes another organisation's users", async () => {
    const s = server();
    const stranger = await withToken(s, s.stranger);
    const list = await stranger.json<{ items: { email: string }[] }>("/api/users");
    expect(list.body.items.map((u) => u.email)).toEqual(["admin@fabrikam.example"]);
    const res = await stranger.json(`/api/users/${s.user.userId}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ active: false }),
    });
    expect(res.status).toBe(404);
  });

  it("refuses a duplicate email (409) and a malformed body (400)", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const dup = await admin.json("/api/users", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ana.silva@contoso.example", role: "user" }),
    });
    expect(dup.status).toBe(409);
    const bad = await admin.json<{ error: { code: string } }>("/api/users", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "x@y.example", role: "boss" }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_argument");
  });
});

describe("meta", () => {
  it("serves health, the OpenAPI document and the template", async () => {
    const s = server();
    const anon = anonymous(s);
    expect((await anon.json("/api/health")).body).toMatchObject({ status: "ok" });
    const doc = await anon.json<{ openapi: string; paths: Record<string, unknown> }>(
      "/api/openapi.json",
    );
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain("/api/auth/sign-in");
    const tpl = await anon.fetch("/api/template?lang=fr&example=true");
    expect(tpl.headers.get("content-type")).toMatch(/text\/csv/);
    expect(await tpl.text()).toContain("Nom de la transaction");
    expect((await anon.fetch("/api/docs/")).status).toBe(200);
  });

  it("answers 401 with the error shape to an anonymous call", async () => {
    const s = server();
    const res = await anonymous(s).json<{ error: { code: string; message: string } }>(
      "/api/tokens",
    );
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthenticated");
  });
});
