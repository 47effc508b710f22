import { describe, expect, it } from "vitest";
import type { AuditEntryJson, AuditPageJson } from "../../../core/api/audit-schemas.js";
import { readCsv } from "../../../core/csv/index.js";
import { csvBytes, importRows, newDealRow } from "../../../test-support/deals.js";
import {
  setupTestServer,
  signedIn,
  type TestServer,
  withToken,
} from "../../../test-support/http.js";
import { createVendorToken } from "../../commands/credentials.js";
import { expireDeals } from "../../commands/expire-deals.js";
import { importDeals } from "../../commands/import-deals.js";

const send = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

const ANA = "Ana, Silva, , ana.silva@contoso.example";

/** One deal created by the admin's import (row 2 of its file); returns its id and the import's. */
const seedDeal = async (s: TestServer, overrides: Record<string, string> = {}) => {
  const summary = await importRows(s.store, s.admin, [
    newDealRow({ "Deal Name": "Other" }),
    newDealRow(overrides),
  ]);
  const id = summary.rows[1]?.referralId;
  if (!id || !summary.importId) throw new Error("no deal created");
  return { id, importId: summary.importId };
};

const countEntries = async (s: TestServer): Promise<number> => {
  const row = await s.store.db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};

describe("the audit trail API", () => {
  const server = setupTestServer();

  describe("GET /api/deals/:id/history", () => {
    it("lists the deal's entries newest first: time, actor, role, source with its route or import row, field, old and new", async () => {
      const s = server();
      const { id, importId } = await seedDeal(s);
      const admin = await signedIn(s, s.admin);
      const patched = await admin.json(
        `/api/deals/${id}`,
        send(
          "PATCH",
          { name: "Renamed", notes: "n" },
          { "if-match": '"1"', "x-csrf-token": admin.csrf },
        ),
      );
      expect(patched.status).toBe(200);

      const res = await admin.json<AuditPageJson>(`/api/deals/${id}/history`);
      expect(res.status).toBe(200);
      const items = res.body.items;
      expect(items.map((e) => [e.action, e.field])).toEqual([
        ["update", "Notes"],
        ["update", "Deal Name"],
        ["create", null],
      ]);
      expect(items[0]?.id).toBeGreaterThan(items[2]?.id ?? Number.POSITIVE_INFINITY);
      expect(items[1]).toMatchObject({
        actor: "admin@contoso.example",
        actorRole: "admin",
        source: "api",
        origin: "PATCH /api/deals/:id",
        importId: null,
        importRow: null,
        dealId: id,
        oldValue: "Contoso cloud migration",
        newValue: "Renamed",
      });
      expect(items[2]).toMatchObject({
        actor: "admin@contoso.example",
        actorRole: "admin",
        source: "import",
        origin: "cosell import",
        importId,
        importRow: 2,
      });
      expect(items[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(res.body.nextBefore).toBeNull();
    });

    it("pages with limit and before", async () => {
      const s = server();
      const { id } = await seedDeal(s);
      const admin = await withToken(s, s.admin);
      for (const [n, name] of ["A", "B", "C"].entries()) {
        const r = await admin.fetch(
          `/api/deals/${id}`,
          send("PATCH", { name }, { "if-match": `"${n + 1}"` }),
        );
        expect(r.status).toBe(200);
      }
      const first = await admin.json<AuditPageJson>(`/api/deals/${id}/history?limit=2`);
      expect(first.body.items.map((e) => e.newValue)).toEqual(["C", "B"]);
      const next = first.body.nextBefore;
      expect(next).toBe(first.body.items[1]?.id);
      const second = await admin.json<AuditPageJson>(
        `/api/deals/${id}/history?limit=2&before=${next}`,
      );
      expect(second.body.items.map((e) => e.newValue)).toEqual(["A", null]);
      expect(second.body.nextBefore).toBeNull();
    });

    it("is scoped like the deal: a Referrals user sees the history of their deals only, another organisation nothing", async () => {
      const s = server();
      const theirs = await seedDeal(s, { "Team member 2": ANA });
      const notTheirs = await seedDeal(s);
      const ana = await withToken(s, s.user);
      const stranger = await withToken(s, s.stranger);
      expect((await ana.json<AuditPageJson>(`/api/deals/${theirs.id}/history`)).status).toBe(200);
      const hidden = await ana.json<{ error: { code: string } }>(
        `/api/deals/${notTheirs.id}/history`,
      );
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.code).toBe("not_found");
      expect((await stranger.json(`/api/deals/${theirs.id}/history`)).status).toBe(404);
      expect((await ana.json("/api/deals/no-such-deal/history")).status).toBe(404);
    });

    it("records the vendor's status, receive and the system's expiry with their own source and role", async () => {
      const s = server();
      const received = await importDeals(s.store, {
        actor: { kind: "vendor", orgId: s.admin.orgId },
        bytes: csvBytes([
          newDealRow({
            "Partner Referral Status": "New",
            "Partner Referral Substatus": "Received",
            "Microsoft help required?": "Yes",
            "What specific help from Microsoft?": "1",
            "Customer Contact First Name": "Jo",
            "Customer Contact Last Name": "Doe",
            "Customer Contact Phone number": "555",
            "Customer Contact Email Address": "jo@contoso.example",
          }),
        ]),
        now: new Date("2026-11-01T00:00:00Z"),
      });
      const id = received.rows[0]?.referralId ?? "";
      const { token } = await createVendorToken(s.store, "microsoft");
      const status = await fetch(`${s.url}/api/vendor/deals/${id}/microsoft-status`, {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ status: "Accepted" }),
      });
      expect(status.status).toBe(200);
      await expireDeals(s.store, new Date("2026-12-01T00:00:00Z"));

      const admin = await withToken(s, s.admin);
      const { body } = await admin.json<AuditPageJson>(`/api/deals/${id}/history`);
      const summary = body.items.map((e) => [e.action, e.actor, e.actorRole, e.source, e.origin]);
      expect(summary).toEqual([
        ["expire", "system", "system", "system", "expiry"],
        ["update", "vendor", "vendor", "vendor", "PUT /api/vendor/deals/:id/microsoft-status"],
        ["receive", "vendor", "vendor", "vendor", "cosell receive"],
      ]);
      expect(body.items[0]).toMatchObject({
        field: "Partner Referral Substatus",
        oldValue: "New/Received",
        newValue: "Closed/Expired",
      });
    });
  });

  describe("GET /api/audit", () => {
    it("is for Referrals admins only", async () => {
      const s = server();
      await seedDeal(s, { "Team member 2": ANA });
      const ana = await withToken(s, s.user);
      const res = await ana.json<{ error: { code: string } }>("/api/audit");
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
      expect((await ana.fetch("/api/audit?format=csv")).status).toBe(403);
    });

    it("filters by deal, actor, source, import and time, and shows only the organisation's own entries", async () => {
      const s = server();
      const one = await seedDeal(s);
      const two = await seedDeal(s, { "Deal Name": "Second" });
      await importRows(s.store, s.stranger, [newDealRow()]);
      const admin = await withToken(s, s.admin);
      const r = await admin.fetch(
        `/api/deals/${one.id}`,
        send("PATCH", { notes: "api note" }, { "if-match": '"1"' }),
      );
      expect(r.status).toBe(200);

      const get = async (query: string): Promise<AuditEntryJson[]> => {
        const res = await admin.json<AuditPageJson>(`/api/audit?${query}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.items;
      };
      const all = await get("");
      expect(all).toHaveLength(5); // 2 + 2 creates, 1 change: Fabrikam's entry is not here
      expect(all.every((e) => e.actor === "admin@contoso.example")).toBe(true);
      expect((await get(`deal=${one.id}`)).map((e) => e.action)).toEqual(["update", "create"]);
      expect((await get("source=api")).map((e) => e.newValue)).toEqual(["api note"]);
      expect((await get(`import=${two.importId}`)).map((e) => e.importRow)).toEqual([2, 1]);
      expect(await get("actor=ADMIN@contoso.example")).toHaveLength(5);
      expect(await get("actor=vendor")).toHaveLength(0);
      const newest = all[0]?.at ?? "";
      expect(await get(`from=${encodeURIComponent(newest)}`)).toHaveLength(
        all.filter((e) => e.at >= newest).length,
      );
      expect(await get(`to=${encodeURIComponent(newest)}`)).toHaveLength(
        all.filter((e) => e.at < newest).length,
      );
      expect(await get("to=2000-01-01T00:00:00Z")).toHaveLength(0);
      expect((await admin.json("/api/audit?source=nobody")).status).toBe(400);
      expect((await admin.json("/api/audit?from=yesterday")).status).toBe(400);
    });

    it("downloads the matching entries as CSV, formula-like values neutralised", async () => {
      const s = server();
      const { id } = await seedDeal(s);
      const admin = await withToken(s, s.admin);
      const r = await admin.fetch(
        `/api/deals/${id}`,
        send("PATCH", { notes: "=HYPERLINK(1)" }, { "if-match": '"1"' }),
      );
      expect(r.status).toBe(200);
      const res = await admin.fetch(`/api/audit?format=csv&deal=${id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(res.headers.get("content-disposition")).toContain("audit-trail.csv");
      expect(res.headers.get("x-cosell-truncated")).toBe("false");
      const table = readCsv((await res.text()).replace(/^\uFEFF/, ""));
      const rows = table.records.map((r) => r.cells);
      expect(table.header).toEqual([
        "Time (UTC)",
        "Actor",
        "Actor role",
        "Source",
        "Origin",
        "Import ID",
        "Import row",
        "Referral ID",
        "Action",
        "Field",
        "Old value",
        "New value",
      ]);
      expect(rows).toHaveLength(2);
      expect(rows[0]?.slice(1, 5)).toEqual([
        "admin@contoso.example",
        "admin",
        "api",
        "PATCH /api/deals/:id",
      ]);
      expect(rows[0]?.slice(7)).toEqual([id, "update", "Notes", "", "'=HYPERLINK(1)"]);
    });
  });

  it("has no route that changes or removes an entry", async () => {
    const s = server();
    const { id } = await seedDeal(s);
    const admin = await signedIn(s, s.admin);
    const [entry] = (await admin.json<AuditPageJson>(`/api/deals/${id}/history`)).body.items;
    const before = await countEntries(s);
    const paths = [
      "/api/audit",
      `/api/audit/${entry?.id}`,
      `/api/deals/${id}/history`,
      `/api/deals/${id}/history/${entry?.id}`,
    ];
    for (const path of paths) {
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        const res = await admin.fetch(
          path,
          send(method, { newValue: "forged" }, { "x-csrf-token": admin.csrf }),
        );
        expect([404, 405], `${method} ${path}`).toContain(res.status);
      }
    }
    expect(await countEntries(s)).toBe(before);
    const [after] = (await admin.json<AuditPageJson>(`/api/deals/${id}/history`)).body.items;
    expect(after).toEqual(entry);
  });

  it("documents both routes in the OpenAPI document", async () => {
    const s = server();
    const res = await fetch(`${s.url}/api/openapi.json`);
    const doc: { paths: Record<string, Record<string, unknown>> } = await res.json();
    expect(Object.keys(doc.paths["/api/deals/{id}/history"] ?? {})).toEqual(["get"]);
    expect(Object.keys(doc.paths["/api/audit"] ?? {})).toEqual(["get"]);
  });
});
