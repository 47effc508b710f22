/**
 * GET /api/deals is served from a cache of pages and counts keyed by the organisation's list
 * version: these tests read a page (so it is cached), write in every way the list can change,
 * and read again — through the same server, another server on the same database, or a
 * command that no server sees.
 */
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { DealListJson } from "../../../core/api/deal-schemas.js";
import { isJobFinished, type JobStatus } from "../../../core/jobs.js";
import {
  type CsvRow,
  csvBytes,
  importRows,
  newDealInput,
  newDealRow,
} from "../../../test-support/deals.js";
import {
  type Client,
  setupTestServer,
  signedIn,
  type TestServer,
  withToken,
} from "../../../test-support/http.js";
import { useWorker } from "../../../test-support/worker.js";
import { actorByEmail, addUser } from "../../commands/accounts.js";
import type { UserActor } from "../../../core/actor.js";
import { createApiToken, revokeApiToken } from "../../commands/credentials.js";
import { buildApp } from "../app.js";

const ANA = "Ana, Silva, 555, ana.silva@contoso.example";

const seed = async (s: TestServer, rows: CsvRow[], actor: UserActor = s.admin) => {
  const summary = await importRows(s.store, actor, rows);
  expect(summary.notProcessed).toBe(0);
  return summary.rows.map((r) => r.referralId ?? "");
};

const list = async (client: Client, query = "") => {
  const res = await client.json<DealListJson>(`/api/deals${query}`);
  expect(res.status).toBe(200);
  return res.body;
};

const names = async (client: Client, query = "") =>
  (await list(client, query)).items.map((d) => d.name).sort();

const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe("GET /api/deals from its cache", () => {
  const server = setupTestServer();

  it("shows an import, an edit, a new deal and a star at once, right after a cached read", async () => {
    const s = server();
    const [alpha] = await seed(s, [newDealRow({ "Deal Name": "Alpha" })]);
    const admin = await withToken(s, s.admin);
    expect(await names(admin)).toEqual(["Alpha"]);
    expect(await names(admin)).toEqual(["Alpha"]);

    await seed(s, [newDealRow({ "Deal Name": "Bravo" })]);
    expect(await list(admin)).toMatchObject({ total: 2, totalIsExact: true });
    expect(await names(admin)).toEqual(["Alpha", "Bravo"]);

    const edit = await admin.json(
      `/api/deals/${alpha}`,
      json("PATCH", { name: "Alpha renamed" }, { "if-match": '"1"' }),
    );
    expect(edit.status).toBe(200);
    expect(await names(admin)).toEqual(["Alpha renamed", "Bravo"]);

    const created = await admin.json("/api/deals", json("POST", newDealInput({ name: "Charlie" })));
    expect(created.status).toBe(201);
    expect(await names(admin)).toEqual(["Alpha renamed", "Bravo", "Charlie"]);

    expect(await names(admin, "?tab=favorites")).toEqual([]);
    expect((await admin.fetch(`/api/deals/${alpha}/favorite`, { method: "PUT" })).status).toBe(204);
    expect(await names(admin, "?tab=favorites")).toEqual(["Alpha renamed"]);
    const starred = (await list(admin)).items.find((d) => d.id === alpha);
    expect(starred?.favorite).toBe(true);
    await admin.fetch(`/api/deals/${alpha}/favorite`, { method: "DELETE" });
    expect(await names(admin, "?tab=favorites")).toEqual([]);
  });

  it("gives every page of a filter the count as of the last write", async () => {
    const s = server();
    await seed(s, [newDealRow(), newDealRow(), newDealRow({ "Customer Country": "FR" })]);
    const admin = await withToken(s, s.admin);
    expect(await list(admin, "?country=US&limit=1")).toMatchObject({ total: 2 });
    expect(await list(admin, "?country=US&limit=1&offset=1")).toMatchObject({ total: 2 });
    await seed(s, [newDealRow()]);
    expect(await list(admin, "?country=US&limit=1&offset=2")).toMatchObject({ total: 3 });
    expect(await list(admin, "?country=US&limit=1")).toMatchObject({ total: 3 });
  });

  it("answers 304 to If-None-Match while the page is unchanged, and 200 after a write", async () => {
    const s = server();
    const [id] = await seed(s, [newDealRow()]);
    const admin = await withToken(s, s.admin);
    const first = await admin.fetch("/api/deals");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get("cache-control")).toBe("private, no-cache");
    const body = await first.text();

    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const again = await admin.fetch("/api/deals", { headers: { "if-none-match": tag } });
      expect(again.status, tag).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect(await again.text()).toBe("");
    }
    const other = await admin.fetch("/api/deals", { headers: { "if-none-match": '"other"' } });
    expect(other.status).toBe(200);
    expect(await other.text()).toBe(body);

    await admin.fetch(`/api/deals/${id}/favorite`, { method: "PUT" });
    const changed = await admin.fetch("/api/deals", { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect((await changed.json()) as DealListJson).toMatchObject({ items: [{ favorite: true }] });
  });

  it("never gives one caller's page to another: scope, stars and organisation", async () => {
    const s = server();
    const [shared] = await seed(s, [
      newDealRow({ "Deal Name": "Ana's", "Team member 2": ANA }),
      newDealRow({ "Deal Name": "Admin's only" }),
    ]);
    const admin = await withToken(s, s.admin);
    const ana = await signedIn(s, s.user);
    const stranger = await withToken(s, s.stranger);
    await admin.fetch(`/api/deals/${shared}/favorite`, { method: "PUT" });

    const adminPage = await admin.fetch("/api/deals");
    expect(((await adminPage.json()) as DealListJson).items).toHaveLength(2);
    const anaPage = await ana.json<DealListJson>("/api/deals");
    expect(anaPage.body.items.map((d) => [d.name, d.favorite])).toEqual([["Ana's", false]]);
    expect(anaPage.body.total).toBe(1);
    const asAdminTag = await ana.fetch("/api/deals", {
      headers: { "if-none-match": adminPage.headers.get("etag") ?? "" },
    });
    expect(asAdminTag.status).toBe(200);

    expect(await names(admin, "?tab=favorites")).toEqual(["Ana's"]);
    expect(await names(ana, "?tab=favorites")).toEqual([]);
    expect(await list(stranger)).toMatchObject({ items: [], total: 0 });

    // Another admin sees the same deals, but not the first admin's star.
    await addUser(s.store, { email: "second@contoso.example", orgName: "Contoso", role: "admin" });
    const second = await withToken(s, await actorByEmail(s.store, "second@contoso.example"));
    const secondPage = await list(second);
    expect(secondPage.items.map((d) => [d.name, d.favorite]).sort()).toEqual([
      ["Admin's only", false],
      ["Ana's", false],
    ]);
  });

  it("refuses a revoked token even when its page is cached: credentials are checked on every request", async () => {
    const s = server();
    await seed(s, [newDealRow()]);
    const { id, token } = await createApiToken(s.store, s.admin, "script");
    const get = () =>
      fetch(`${s.url}/api/deals`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    await revokeApiToken(s.store, s.admin, id);
    expect((await get()).status).toBe(401);
  });
});

describe("GET /api/deals with two servers on one database", () => {
  const server = setupTestServer();
  let second: FastifyInstance | undefined;
  afterEach(async () => {
    await second?.close();
    second = undefined;
  });

  it("never serves a page older than a write made through the other server, or by no server", async () => {
    const s = server();
    const [id] = await seed(s, [newDealRow({ "Deal Name": "Before" })]);
    second = await buildApp({ store: s.store, webRoot: null });
    const otherUrl = await second.listen({ port: 0, host: "127.0.0.1" });
    const { token } = await createApiToken(s.store, s.admin, "two");
    const headers = { authorization: `Bearer ${token}` };
    const namesAt = async (base: string) => {
      const res = await fetch(`${base}/api/deals`, { headers });
      expect(res.status).toBe(200);
      return ((await res.json()) as DealListJson).items.map((d) => d.name).sort();
    };
    expect(await namesAt(s.url)).toEqual(["Before"]);
    expect(await namesAt(otherUrl)).toEqual(["Before"]);

    const edit = await fetch(
      `${s.url}/api/deals/${id}`,
      json("PATCH", { name: "After" }, { ...headers, "if-match": '"1"' }),
    );
    expect(edit.status).toBe(200);
    expect(await namesAt(otherUrl)).toEqual(["After"]);

    await seed(s, [newDealRow({ "Deal Name": "By the CLI" })]);
    expect(await namesAt(s.url)).toEqual(["After", "By the CLI"]);
    expect(await namesAt(otherUrl)).toEqual(["After", "By the CLI"]);
  });
});

describe("GET /api/deals and import jobs", () => {
  const server = setupTestServer();
  // Chunks of 2 rows: the file below is applied in three transactions, each bumping on its own.
  useWorker(server, { pollMs: 20, chunkSize: 2 });

  it("shows the deals an import job wrote", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    expect(await list(admin)).toMatchObject({ items: [], total: 0 });
    const rows = ["One", "Two", "Three", "Four", "Five"].map((n) => newDealRow({ "Deal Name": n }));
    const submitted = await admin.json<{ id: string }>("/api/imports", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: new Uint8Array(csvBytes(rows)),
    });
    expect(submitted.status).toBe(202);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const job = await admin.json<{ status: JobStatus }>(`/api/imports/${submitted.body.id}`);
      if (isJobFinished(job.body.status)) {
        expect(job.body.status).toBe("succeeded");
        break;
      }
      if (Date.now() > deadline) throw new Error("the import job did not finish");
      await list(admin); // cached reads while the job writes
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await list(admin)).toMatchObject({ total: 5 });
    expect(await names(admin)).toEqual(["Five", "Four", "One", "Three", "Two"]);
  });
});
