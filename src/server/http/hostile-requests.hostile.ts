/**
 * Floods of malformed and hostile requests against a real server on a real store: random
 * bytes as import uploads, random JSON as deal creates and edits (with fields a caller must
 * not set), random query strings, headers a client controls (Idempotency-Key, X-Forwarded-For,
 * cookies, tokens). Whatever comes in, the answer is never a 5xx and the server keeps serving;
 * a deal edited with foreign fields stays in its organisation.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvBytes, newDealInput, newDealRow } from "../../test-support/deals.js";
import { HostileTally } from "../../test-support/hostile.js";
import {
  type Client,
  startTestServer,
  stopTestServer,
  type TestServer,
  withToken,
} from "../../test-support/http.js";

const CASES = Number(process.env.COSELL_HOSTILE_HTTP_CASES ?? "300");
const tally = new HostileTally("HTTP requests against a real server");
let s: TestServer;
let admin: Client;
let user: Client;

beforeAll(async () => {
  s = await startTestServer({ trustProxy: 1 });
  admin = await withToken(s, s.admin);
  user = await withToken(s, s.user);
  tally.watchFromNow();
});

afterAll(async () => {
  const figures = tally.report();
  if (s) await stopTestServer(s);
  expect(figures.serverErrors, tally.examples.join("\n")).toBe(0);
});

const send = async (c: Client, path: string, init: RequestInit, what: string) => {
  try {
    const res = await c.fetch(path, init);
    await res.arrayBuffer();
    tally.response(res.status, what);
    return res.status;
  } catch (error) {
    tally.crash(error, what);
    throw error;
  }
};

const sample = <T>(arb: fc.Arbitrary<T>, n = CASES): T[] => fc.sample(arb, n);

describe("hostile requests", () => {
  it("answers random bytes uploaded as a CSV with 202 or a 4xx, never a 5xx", async () => {
    const bodies = sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 4096 }),
        fc
          .array(fc.string({ maxLength: 30 }), { maxLength: 40 })
          .map((cells) => csvBytes([Object.fromEntries(cells.map((c, i) => [`H${i}${c}`, c]))])),
        fc.constant(csvBytes([newDealRow({ "Deal Name": "=cmd|' /C calc'!A0" })])),
      ),
    );
    for (const [i, body] of bodies.entries()) {
      const status = await send(
        admin,
        `/api/imports?dryRun=true&fileName=${encodeURIComponent(`../x${i}.csv`)}`,
        {
          method: "POST",
          headers: { "content-type": "text/csv", "idempotency-key": `h-${i}` },
          body: new Uint8Array(body),
        },
        `upload #${i}`,
      );
      expect([202, 400, 409, 413, 415, 422]).toContain(status);
    }
  });

  it("answers random JSON as deal creates and edits without a 5xx, and foreign fields move nothing", async () => {
    const created = await admin.json<{ id: string; orgId?: string }>("/api/deals", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(newDealInput()),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const foreign = fc.record(
      {
        id: fc.string(),
        orgId: fc.constant(s.stranger.orgId),
        org_id: fc.constant(s.stranger.orgId),
        createdBy: fc.string(),
        version: fc.integer(),
        role: fc.constant("admin"),
        name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        value: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
        closeDate: fc.oneof(
          fc.string(),
          fc.date().map((d) => d.toString()),
        ),
        team: fc.anything(),
        solutions: fc.anything(),
        __proto__: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const bodies = sample(fc.oneof(fc.jsonValue(), foreign, fc.string()));
    for (const [i, body] of bodies.entries()) {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      const json = { "content-type": "application/json" };
      await send(
        admin,
        "/api/deals",
        { method: "POST", headers: json, body: text },
        `create #${i}`,
      );
      await send(
        user,
        `/api/deals/${id}`,
        { method: "PATCH", headers: json, body: text },
        `edit #${i}`,
      );
    }
    const deal = await s.store.db
      .selectFrom("deals")
      .select("org_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(deal.org_id).toBe(s.admin.orgId);
  });

  it("answers random query strings, ids and client-controlled headers without a 5xx", async () => {
    const queries = sample(
      fc.dictionary(
        fc.oneof(
          fc.constantFrom(
            "tab",
            "country",
            "status",
            "sort",
            "size",
            "page",
            "search",
            "type",
            "limit",
            "offset",
            "count",
          ),
          fc.string(),
        ),
        fc.oneof(fc.string(), fc.integer().map(String), fc.constant("-1"), fc.constant("1e309")),
        { maxKeys: 5 },
      ),
    );
    // Counted like the others (afterAll asserts no 5xx), without stopping the rest of the run.
    for (const fixed of ["offset=1e309", "offset=-0", "size=1e309", "page=1e309", "limit=NaN"]) {
      await send(admin, `/api/deals?${fixed}`, {}, `list ?${fixed}`);
      await send(admin, `/api/imports?${fixed}`, {}, `imports ?${fixed}`);
    }
    for (const q of queries) {
      const query = new URLSearchParams(q).toString();
      await send(admin, `/api/deals?${query}`, {}, `list ?${query}`);
    }
    const ids = sample(
      fc.oneof(fc.string({ minLength: 1 }), fc.uuid(), fc.constant("../../etc/passwd")),
      100,
    );
    for (const id of ids) {
      const p = encodeURIComponent(id);
      await send(admin, `/api/deals/${p}`, {}, `deal ${id}`);
      await send(admin, `/api/imports/${p}/results`, {}, `results ${id}`);
      await send(user, `/api/exports/${p}/file`, {}, `export file ${id}`);
    }
    const headers = sample(
      fc.record(
        {
          "x-forwarded-for": fc.oneof(
            fc.string(),
            fc.ipV4(),
            fc.ipV6(),
            fc.constant("unknown, , ,"),
          ),
          "x-forwarded-proto": fc.oneof(fc.constantFrom("https", "http", ""), fc.string()),
          authorization: fc.oneof(
            fc.constant("Bearer cst_x"),
            fc.string(),
            fc.constant("Bearer csv_"),
          ),
          cookie: fc.oneof(fc.string(), fc.constant("cosell_session=css_x")),
          "idempotency-key": fc.string({ maxLength: 300 }),
        },
        { requiredKeys: [] },
      ),
      200,
    );
    for (const [i, h] of headers.entries()) {
      // fetch refuses header values it cannot send; those never reach a server.
      const clean = Object.fromEntries(
        Object.entries(h).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v)),
      );
      await send(
        { fetch: (p, init) => fetch(`${s.url}${p}`, init), json: admin.json },
        "/api/deals",
        { headers: clean },
        `headers #${i}`,
      );
      await send(
        { fetch: (p, init) => fetch(`${s.url}${p}`, init), json: admin.json },
        "/api/auth/sign-in",
        {
          method: "POST",
          headers: { ...clean, "content-type": "application/json" },
          body: JSON.stringify({ email: `${i}@x.example`, password: "x" }),
        },
        `sign-in #${i}`,
      );
    }
    const health = await fetch(`${s.url}/api/health`);
    expect(health.status).toBe(200);
  });
});
