/**
 * Sign-in limits behind a proxy and per account: rotating the client-chosen X-Forwarded-For
 * entry does not escape the per-address limit, and rotating real addresses does not escape the
 * per-account one. The test talks to a real server as the reverse proxy would (from 127.0.0.1,
 * appending the address it saw as the rightmost X-Forwarded-For entry).
 */
import { describe, expect, it } from "vitest";
import { PASSWORDS, setupTestServer, type TestServer } from "../../test-support/http.js";
import { AccountAttempts, parseTrustProxy, signInLimitsFromEnv } from "./sign-in-limits.js";

const signIn = (s: TestServer, email: string, password: string, forwardedFor?: string) =>
  fetch(`${s.url}/api/auth/sign-in`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
    },
    body: JSON.stringify({ email, password }),
  }).then(async (res) => ({ status: res.status, body: await res.text() }));

describe("COSELL_TRUST_PROXY", () => {
  it("takes a hop count or a list of proxy addresses, and refuses anything else by name", () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy("")).toBe(false);
    expect(parseTrustProxy("0")).toBe(false);
    expect(parseTrustProxy("1")).toBe(1);
    expect(parseTrustProxy(" 2 ")).toBe(2);
    expect(parseTrustProxy("10.0.0.5, 10.1.0.0/16,::1")).toEqual([
      "10.0.0.5",
      "10.1.0.0/16",
      "::1",
    ]);
    for (const bad of ["true", "proxy.example", "10.0.0.1/40", "10.0.0.1, nope", ","]) {
      expect(() => parseTrustProxy(bad), bad).toThrow(/COSELL_TRUST_PROXY must be/);
    }
  });

  it("reads the sign-in limits from the environment, refusing a bad value by name", () => {
    expect(signInLimitsFromEnv({})).toEqual({
      perAddressPerMinute: 10,
      accountFailures: 10,
      accountWindowMs: 15 * 60_000,
    });
    expect(
      signInLimitsFromEnv({
        COSELL_SIGN_IN_PER_MINUTE: "30",
        COSELL_SIGN_IN_ACCOUNT_FAILURES: "5",
        COSELL_SIGN_IN_ACCOUNT_WINDOW_MINUTES: "60",
      }),
    ).toEqual({ perAddressPerMinute: 30, accountFailures: 5, accountWindowMs: 3_600_000 });
    expect(() => signInLimitsFromEnv({ COSELL_SIGN_IN_ACCOUNT_FAILURES: "0" })).toThrow(
      /COSELL_SIGN_IN_ACCOUNT_FAILURES must be a positive whole number, not '0'/,
    );
  });
});

describe("the per-address limit behind one proxy hop", () => {
  const server = setupTestServer({
    trustProxy: 1,
    signInLimits: { perAddressPerMinute: 5, accountFailures: 1000 },
  });

  it("counts the address the proxy saw: rotating the client-chosen leftmost entry hits 429", async () => {
    const s = server();
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await signIn(s, s.admin.email, "wrong", `10.9.${i}.${i}, 198.51.100.7`);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((st) => st === 429)).toBe(true);
    // Another real client (another rightmost entry) has its own budget.
    expect((await signIn(s, s.admin.email, "wrong", "198.51.100.8")).status).toBe(401);
  });
});

describe("the per-address limit behind listed proxies", () => {
  const server = setupTestServer({
    trustProxy: ["127.0.0.1", "10.0.0.0/8"],
    signInLimits: { perAddressPerMinute: 3, accountFailures: 1000 },
  });

  it("skips every trusted hop from the right and counts the first untrusted one", async () => {
    const s = server();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      // client-chosen, the real client, then an inner proxy in 10/8.
      const res = await signIn(s, s.admin.email, "wrong", `203.0.113.${i}, 198.51.100.9, 10.2.3.4`);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });
});

describe("the per-account limit", () => {
  const server = setupTestServer({
    trustProxy: 1,
    signInLimits: { perAddressPerMinute: 1000, accountFailures: 4 },
  });

  it("stops guessing one password from rotating addresses; the right password waits too", async () => {
    const s = server();
    const password = PASSWORDS[s.admin.email] ?? "";
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await signIn(s, s.admin.email, `guess-${i}`, `198.51.100.${i}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429, 429]);
    const refused = await signIn(s, s.admin.email, password, "198.51.100.200");
    expect(refused.status).toBe(429);
    expect(refused.body).toContain("Too many failed sign-ins for this account");
    // Other accounts are not affected; the email's case does not open a new budget.
    expect((await signIn(s, s.user.email, PASSWORDS[s.user.email] ?? "")).status).toBe(200);
    expect((await signIn(s, s.admin.email.toUpperCase(), "x", "198.51.100.201")).status).toBe(429);
  });

  it("limits an unknown email exactly like a known one (no hint that an account exists)", async () => {
    const s = server();
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 6; i++) {
      known.push((await signIn(s, s.admin.email, "wrong", `198.51.100.${i}`)).status);
      unknown.push((await signIn(s, "nobody@contoso.example", "wrong", `203.0.113.${i}`)).status);
    }
    expect(unknown).toEqual(known);
  });

  it("forgets the failures after a successful sign-in and after the window", () => {
    let now = 0;
    const attempts = new AccountAttempts(
      { accountFailures: 2, accountWindowMs: 60_000 },
      () => now,
    );
    attempts.failed("a@x.example");
    attempts.succeeded("A@x.example");
    attempts.failed("a@x.example");
    expect(() => attempts.check("a@x.example")).not.toThrow();
    attempts.failed("a@x.example");
    expect(() => attempts.check("a@x.example")).toThrow(/try again in 1 minute/);
    now = 60_000;
    expect(() => attempts.check("a@x.example")).not.toThrow();
  });
});
