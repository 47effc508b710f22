/**
 * Sign-in limits behind a proxy and per account: rotating the client-chosen X-Forwarded-For
 * entry does not escape the per-address limit, and rotating real addresses does not escape the
 * per-account one. The test talks to a real server as the reverse proxy would (from 127.0.0.1,
 * appending the address it saw as the rightmost X-Forwarded-For entry). The per-account count is
 * in the database: two app instances on one store (and, on PostgreSQL, two `cosell serve`
 * processes) share it.
 */
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { setupCosellProcesses } from "../../test-support/child.js";
import { setupCliWorld } from "../../test-support/cli.js";
import { setupTestStore, testDatabaseUrl } from "../../test-support/db.js";
import { PASSWORDS, setupTestServer, type TestServer } from "../../test-support/http.js";
import { buildApp } from "./app.js";
import { AccountAttempts, parseTrustProxy, signInLimitsFromEnv } from "./sign-in-limits.js";

const signIn = (
  s: Pick<TestServer, "url">,
  email: string,
  password: string,
  forwardedFor?: string,
) =>
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
  const store = setupTestStore();
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

  it("forgets the failures after a successful sign-in and after the window", async () => {
    let now = Date.parse("2026-03-02T09:00:00Z");
    const attempts = new AccountAttempts(
      store().db,
      { accountFailures: 2, accountWindowMs: 60_000 },
      () => now,
    );
    await attempts.attempt("a@x.example");
    await attempts.succeeded("A@x.example");
    await attempts.attempt("a@x.example");
    await attempts.attempt("a@x.example");
    await expect(attempts.attempt("a@x.example")).rejects.toThrow(/try again in 1 minute/);
    now += 60_000;
    await expect(attempts.attempt("a@x.example")).resolves.toBeUndefined();
  });

  it("keeps no email in clear, and sweeps the windows that ended", async () => {
    let now = Date.parse("2026-03-02T09:00:00Z");
    const limits = { accountFailures: 5, accountWindowMs: 60_000 };
    const attempts = new AccountAttempts(store().db, limits, () => now);
    await attempts.attempt("Someone@Example.com ");
    const rows = await store().db.selectFrom("sign_in_failures").selectAll().execute();
    expect(rows).toEqual([
      {
        account_key: expect.stringMatching(/^[0-9a-f]{64}$/),
        attempts: 1,
        window_start: "2026-03-02T09:00:00.000Z",
      },
    ]);
    now += 61_000;
    await attempts.attempt("other@example.com");
    const left = await store().db.selectFrom("sign_in_failures").select("attempts").execute();
    expect(left).toEqual([{ attempts: 1 }]);
  });
});

describe("the per-account limit with two server instances on one database", () => {
  const limits = { perAddressPerMinute: 1000, accountFailures: 4 };
  const server = setupTestServer({ signInLimits: limits });
  let second: FastifyInstance | undefined;
  afterEach(async () => {
    await second?.close();
    second = undefined;
  });
  /** Another app on the same store, as a second server process would be: its own memory. */
  const secondInstance = async (s: TestServer) => {
    second = await buildApp({ store: s.store, signInLimits: limits });
    return { url: await second.listen({ port: 0, host: "127.0.0.1" }) };
  };

  it("is one limit, not one per instance: guesses spread over both are counted together", async () => {
    const s = server();
    const other = await secondInstance(s);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await signIn(i % 2 === 0 ? s : other, s.admin.email, `guess-${i}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429, 429]);
    const password = PASSWORDS[s.admin.email] ?? "";
    expect((await signIn(other, s.admin.email, password)).status).toBe(429);
    expect((await signIn(s, s.admin.email, password)).status).toBe(429);
  });

  it("lets through at most the limit when guesses arrive at both instances at once", async () => {
    const s = server();
    const other = await secondInstance(s);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(i % 2 === 0 ? s : other, s.admin.email, `g${i}`)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((st) => st === 401)).toHaveLength(4);
    expect(statuses.filter((st) => st === 429)).toHaveLength(8);
  });
});

describe.skipIf(!testDatabaseUrl())(
  "the per-account limit across two cosell serve processes on one PostgreSQL",
  () => {
    const world = setupCliWorld();
    const cosell = setupCosellProcesses();

    it("counts the guesses sent to either process together", async () => {
      const { admin } = await world().seedAccounts();
      const env = {
        ...world().env,
        COSELL_DEMO: "0",
        COSELL_WORKERS: "0",
        COSELL_SIGN_IN_PER_MINUTE: "1000",
        COSELL_SIGN_IN_ACCOUNT_FAILURES: "4",
      };
      const servers = [0, 1].map(() => cosell(["serve", "--port", "0"], env));
      const urls = await Promise.all(
        servers.map(async (p) => (await p.waitFor(/cosell is running at (http:\/\/\S+)/))[1] ?? ""),
      );
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        statuses.push((await signIn({ url: urls[i % 2] ?? "" }, admin, `guess-${i}`)).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429, 429]);
      const right = await signIn({ url: urls[1] ?? "" }, admin, PASSWORDS[admin] ?? "");
      expect(right.status).toBe(429);
      expect(right.body).toContain("Too many failed sign-ins for this account");
    });
  },
);
