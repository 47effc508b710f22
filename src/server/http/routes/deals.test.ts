import { describe, expect, it } from "vitest";
import type { DealDetailJson, DealListJson } from "../../../core/api/deal-schemas.js";
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
import type { UserActor } from "../../../core/actor.js";
import { importDeals } from "../../commands/import-deals.js";

interface ErrorJson {
  error: {
    code: string;
    message: string;
    details?: { column: string; code: string; field: string | null }[];
  };
}

/** Imports rows as `actor`; returns the new Referral IDs in row order. */
const seed = async (s: TestServer, rows: CsvRow[], actor: UserActor = s.admin) => {
  const summary = await importRows(s.store, actor, rows);
  expect(summary.notProcessed).toBe(0);
  return summary.rows.map((r) => r.referralId ?? "");
};

/** Inbound referrals, as the vendor side sends them. */
const receive = async (s: TestServer, rows: CsvRow[]) => {
  const summary = await importDeals(s.store, {
    actor: { kind: "vendor", orgId: s.admin.orgId },
    bytes: csvBytes(
      rows.map((r) => ({
        ...r,
        "Partner Referral Status": "New",
        "Partner Referral Substatus": "Received",
      })),
    ),
  });
  expect(summary.notProcessed).toBe(0);
  return summary.rows.map((r) => r.referralId ?? "");
};

const send = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

const names = async (client: Client, query: string): Promise<string[]> => {
  const res = await client.json<DealListJson>(`/api/deals?${query}`);
  expect(res.status).toBe(200);
  return res.body.items.map((d) => d.name);
};

const sorted = (items: string[]) => [...items].sort();

describe("the deals API", () => {
  const server = setupTestServer();

  describe("GET /api/deals", () => {
    it("pages and sorts, with the total of all that match, and shows each deal as JSON", async () => {
      const s = server();
      await seed(s, [
        newDealRow({ "Deal Name": "Alpha", "Estimated Deal Value": "300" }),
        newDealRow({ "Deal Name": "Bravo", "Estimated Deal Value": "100" }),
        newDealRow({ "Deal Name": "Charlie", "Estimated Deal Value": "200" }),
      ]);
      const admin = await withToken(s, s.admin);
      const first = await admin.json<DealListJson>("/api/deals?sort=name&dir=asc&limit=2");
      expect(first.body.total).toBe(3);
      expect(first.body.items.map((d) => d.name)).toEqual(["Alpha", "Bravo"]);
      expect(await names(admin, "sort=name&dir=asc&limit=2&offset=2")).toEqual(["Charlie"]);
      expect(await names(admin, "sort=value&dir=desc")).toEqual(["Alpha", "Charlie", "Bravo"]);
      expect(await names(admin, "sort=value")).toEqual(["Bravo", "Charlie", "Alpha"]);
      expect(first.body.items[0]).toMatchObject({
        name: "Alpha",
        direction: "outbound",
        status: "Active",
        substatus: "Accepted",
        type: "Partner-led",
        favorite: false,
        etag: '"1"',
        version: 1,
        value: 300,
        customerAddress2: null,
        closeReason: null,
        helpRequired: false,
        solutions: [{ id: "SOL-1234-PQRS", currency: "USD", price: 10, quantity: 100 }],
        team: [
          {
            firstName: "Bob",
            lastName: "Partner",
            phone: "999999",
            email: "bob.partner@contoso.example",
          },
        ],
      });
    });

    it("filters by tab, country (comma-separated or repeated), customer, type, solution, status and search", async () => {
      const s = server();
      await seed(s, [
        newDealRow({
          "Deal Name": "Alpha",
          "Customer Country": "US",
          "Customer Name": "Contoso Ltd",
          "Solution 1": "SOL-1",
          "CRM ID": "CRM-777",
        }),
        newDealRow({
          "Deal Name": "Bravo",
          "Customer Country": "FR",
          "Customer Name": "Fabrikam SA",
          "Share with Microsoft sales team": "No",
          "Solution 1": "SOL-2",
          Notes: "needs a quote by May",
        }),
        newDealRow({
          "Deal Name": "Charlie",
          "Customer Country": "DE",
          "Customer Name": "Northwind",
          "Microsoft help required?": "Yes",
          "What specific help from Microsoft?": "1",
          "Customer Contact First Name": "A",
          "Customer Contact Last Name": "B",
          "Customer Contact Phone number": "1",
          "Customer Contact Email Address": "a@b.example",
          "Solution 1": "SOL-3",
        }),
      ]);
      await receive(s, [newDealRow({ "Deal Name": "Delta", "Customer Country": "US" })]);
      const admin = await withToken(s, s.admin);

      expect(sorted(await names(admin, ""))).toEqual(["Alpha", "Bravo", "Charlie", "Delta"]);
      expect(await names(admin, "tab=inbound")).toEqual(["Delta"]);
      expect(sorted(await names(admin, "tab=outbound"))).toEqual(["Alpha", "Bravo", "Charlie"]);
      expect(sorted(await names(admin, "country=US,FR"))).toEqual(["Alpha", "Bravo", "Delta"]);
      expect(sorted(await names(admin, "country=us&country=FR"))).toEqual([
        "Alpha",
        "Bravo",
        "Delta",
      ]);
      expect(await names(admin, "tab=outbound&country=US")).toEqual(["Alpha"]);
      expect(await names(admin, "customer=fabrik")).toEqual(["Bravo"]);
      expect(await names(admin, "type=Co-sell")).toEqual(["Charlie"]);
      expect(await names(admin, "type=private")).toEqual(["Bravo"]);
      expect(await names(admin, "solution=SOL-2")).toEqual(["Bravo"]);
      expect(await names(admin, "status=New")).toEqual(["Delta"]);
      expect(sorted(await names(admin, "status=Accepted"))).toEqual(["Alpha", "Bravo", "Charlie"]);
      expect(await names(admin, "search=ALPH")).toEqual(["Alpha"]);
      expect(await names(admin, "search=crm-77")).toEqual(["Alpha"]);
      expect(await names(admin, "search=quote")).toEqual(["Bravo"]);
      const none = await admin.json<DealListJson>("/api/deals?search=nothing-like-it");
      expect(none.body).toEqual({ items: [], total: 0, totalIsExact: true });
      const exact = await admin.json<DealListJson>("/api/deals?tab=outbound&count=exact&limit=1");
      expect([exact.body.total, exact.body.totalIsExact, exact.body.items.length]).toEqual([
        3,
        true,
        1,
      ]);
    });

    it("pages by keyset with `after`: the same deals in the same order as by offset, for every sort", async () => {
      const s = server();
      // Ties on every sort but the id: keyset paging must break them as the order does.
      await seed(
        s,
        Array.from({ length: 11 }, (_, i) =>
          newDealRow({
            "Deal Name": `Deal ${i % 3}`,
            "Customer Name": i % 2 ? "Zoë SARL" : "Contoso Ltd",
            "Estimated Deal Value": String(100 * (i % 4)),
          }),
        ),
      );
      const admin = await withToken(s, s.admin);
      const ids = async (query: string) => {
        const res = await admin.json<DealListJson>(`/api/deals?${query}`);
        expect(res.status, query).toBe(200);
        return { ids: res.body.items.map((d) => d.id), next: res.body.next };
      };
      for (const sort of ["createdAt", "name", "customerName", "value", "closeDate", "status"]) {
        for (const dir of ["asc", "desc"]) {
          const order = `sort=${sort}&dir=${dir}`;
          const all = (await ids(`${order}&limit=50`)).ids;
          const walked: string[] = [];
          let page = await ids(`${order}&limit=4`);
          for (let i = 0; i < 5; i++) {
            walked.push(...page.ids);
            if (!page.next) break;
            page = await ids(`${order}&limit=4&after=${encodeURIComponent(page.next)}`);
          }
          expect({ order, walked }).toEqual({ order, walked: all });
          expect(all).toHaveLength(11);
        }
      }
      const bad = await admin.json<ErrorJson>("/api/deals?after=not-a-cursor");
      expect([bad.status, bad.body.error.code]).toEqual([400, "invalid_argument"]);
      const first = await ids("limit=2");
      const both = await admin.json<ErrorJson>(
        `/api/deals?limit=2&offset=2&after=${encodeURIComponent(first.next ?? "")}`,
      );
      expect([both.status, both.body.error.message]).toEqual([
        400,
        expect.stringContaining("'after' and 'offset' cannot go together"),
      ]);
    });

    it("refuses a malformed query (400)", async () => {
      const s = server();
      const admin = await withToken(s, s.admin);
      for (const query of [
        "limit=0",
        "limit=201",
        "offset=-1",
        "search=ab",
        "sort=bogus",
        "dir=up",
        "tab=archive",
        "country=USA",
        "type=public",
        "colour=red",
      ]) {
        const res = await admin.json<ErrorJson>(`/api/deals?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error.code, query).toBe("invalid_argument");
      }
      const short = await admin.json<ErrorJson>("/api/deals?search=ab");
      expect(short.body.error.message).toMatch(/3 characters or more/);
    });

    it("shows a Referrals user only the deals whose team they are on", async () => {
      const s = server();
      const [theirs = "", other = ""] = await seed(s, [
        newDealRow({
          "Deal Name": "Ana's",
          "Team member 2": "Ana, Silva, , Ana.Silva@contoso.example",
        }),
        newDealRow({ "Deal Name": "Not Ana's" }),
      ]);
      const user = await withToken(s, s.user);
      const list = await user.json<DealListJson>("/api/deals");
      expect(list.body.total).toBe(1);
      expect(list.body.items.map((d) => d.id)).toEqual([theirs]);
      expect((await user.fetch(`/api/deals/${theirs}`)).status).toBe(200);
      const hidden = await user.json<ErrorJson>(`/api/deals/${other}`);
      const unknown = await user.json<ErrorJson>("/api/deals/no-such-deal");
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.code).toBe("not_found");
      expect(hidden.body.error.message.replace(other, "ID")).toBe(
        unknown.body.error.message.replace("no-such-deal", "ID"),
      );
    });
  });

  describe("organisations are isolated", () => {
    it("never lists, shows, changes or stars another organisation's deal (404, as for an unknown one)", async () => {
      const s = server();
      const [contoso = ""] = await seed(s, [newDealRow({ "Deal Name": "Contoso deal" })]);
      await seed(
        s,
        [newDealRow({ "Deal Name": "Fabrikam deal", "Customer Name": "Fabrikam Inc" })],
        s.stranger,
      );
      const stranger = await withToken(s, s.stranger);
      const admin = await withToken(s, s.admin);

      expect(await names(stranger, "")).toEqual(["Fabrikam deal"]);
      expect(await names(stranger, "search=Contoso")).toEqual([]);
      expect(await names(admin, "")).toEqual(["Contoso deal"]);

      const requests: [string, RequestInit][] = [
        ["", { method: "GET" }],
        ["", send("PATCH", { name: "Mine now" }, { "if-match": '"1"' })],
        ["/favorite", { method: "PUT" }],
        ["/favorite", { method: "DELETE" }],
      ];
      for (const [suffix, init] of requests) {
        const foreign = await stranger.json<ErrorJson>(`/api/deals/${contoso}${suffix}`, init);
        const unknown = await stranger.json<ErrorJson>(`/api/deals/${contoso}x${suffix}`, init);
        expect(foreign.status, `${init.method} ${suffix}`).toBe(404);
        expect(foreign.body.error.code).toBe("not_found");
        expect(foreign.body.error.message.replace(contoso, "ID")).toBe(
          unknown.body.error.message.replace(`${contoso}x`, "ID"),
        );
      }
      const still = await admin.json<DealDetailJson>(`/api/deals/${contoso}`);
      expect(still.body).toMatchObject({ name: "Contoso deal", version: 1, favorite: false });
    });
  });

  describe("GET /api/deals/:id", () => {
    it("shows the deal with its ETag, the status moves open and the fields locked now", async () => {
      const s = server();
      const [id = ""] = await seed(s, [newDealRow()]);
      const admin = await withToken(s, s.admin);
      const res = await admin.json<DealDetailJson>(`/api/deals/${id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("etag")).toBe('"1"');
      expect(res.body).toMatchObject({ id, etag: '"1"', status: "Active", substatus: "Accepted" });
      expect(res.body.allowedTransitions.map((t) => [t.name, t.to.status, t.to.substatus])).toEqual(
        [
          ["win", "Closed", "Won"],
          ["lose", "Closed", "Lost"],
          ["close-as-error", "Closed", "Error"],
        ],
      );
      const lose = res.body.allowedTransitions.find((t) => t.name === "lose");
      expect(lose?.reason?.codes).toHaveLength(8);
      expect(lose?.reason?.codes[2]).toEqual({ code: 3, label: "Customer chose another vendor" });
      expect(res.body.allowedTransitions.find((t) => t.name === "win")?.reason).toBeNull();
      // Shared with Microsoft (share = Yes): the contact fields and the Yes flag are locked too;
      // help is No and the help type and notes to Microsoft are unset, so they stay editable.
      expect(Object.keys(res.body.locks).sort()).toEqual(
        [
          "engagementId",
          "microsoftStatus",
          "customerName",
          "customerAddress1",
          "customerAddress2",
          "customerCity",
          "customerState",
          "customerPostalCode",
          "customerCountry",
          "customerDuns",
          "consent",
          "contactFirstName",
          "contactLastName",
          "contactPhone",
          "contactEmail",
          "shareWithMicrosoft",
        ].sort(),
      );
      expect(res.body.locks).toMatchObject({
        customerName: "Read-only after the deal is created",
        contactEmail: "Read-only once the deal is shared with Microsoft",
        shareWithMicrosoft: "Read-only once it is Yes",
      });
    });
  });

  describe("POST /api/deals", () => {
    it("creates an outbound deal (201, ETag) with its audit entry", async () => {
      const s = server();
      const admin = await withToken(s, s.admin);
      const res = await admin.json<DealDetailJson>("/api/deals", send("POST", newDealInput()));
      expect(res.status).toBe(201);
      expect(res.headers.get("etag")).toBe('"1"');
      expect(res.body).toMatchObject({
        name: "Contoso cloud migration",
        direction: "outbound",
        status: "Active",
        substatus: "Accepted",
        closeDate: "2027-12-31",
        value: 10000,
        type: "Partner-led",
        favorite: false,
        etag: '"1"',
        customerState: null,
      });
      expect(res.body.engagementId).not.toBe("");
      const got = await admin.json<DealDetailJson>(`/api/deals/${res.body.id}`);
      expect(got.body).toEqual(res.body);
      const audit = await s.store.db
        .selectFrom("audit_events")
        .select(["action", "source", "actor"])
        .where("deal_id", "=", res.body.id)
        .execute();
      expect(audit).toEqual([{ action: "create", source: "api", actor: "admin@contoso.example" }]);
    });

    it("keeps a Referrals user on the team of the deal they create", async () => {
      const s = server();
      const user = await withToken(s, s.user);
      const res = await user.json<DealDetailJson>("/api/deals", send("POST", newDealInput()));
      expect(res.status).toBe(201);
      expect(res.body.team.map((m) => m.email)).toEqual([
        "bob.partner@contoso.example",
        "ana.silva@contoso.example",
      ]);
      expect((await user.fetch(`/api/deals/${res.body.id}`)).status).toBe(200);
    });

    it("refuses a bad deal with every row error (422), naming the field", async () => {
      const s = server();
      const admin = await withToken(s, s.admin);
      const res = await admin.json<ErrorJson>(
        "/api/deals",
        send("POST", newDealInput({ customerCountry: "USA", value: -5 })),
      );
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("invalid_row");
      expect(res.body.error.message).toMatch(/Customer Country 'USA'.*did you mean US\?/);
      expect(res.body.error.details).toEqual([
        expect.objectContaining({
          column: "Customer Country",
          code: "invalid_country",
          field: "customerCountry",
        }),
        expect.objectContaining({
          column: "Estimated Deal Value",
          code: "negative_number",
          field: "value",
        }),
      ]);

      const empty = await admin.json<ErrorJson>("/api/deals", send("POST", {}));
      expect(empty.status).toBe(422);
      const missing = (empty.body.error.details ?? []).map((d) => [d.field, d.code]);
      expect(missing).toContainEqual(["name", "required"]);
      expect(missing).toContainEqual(["solutions", "required"]);
      expect(missing).toContainEqual(["team", "required"]);
      expect(empty.body.error.message).toBe("Mandatory field Deal Name missing");
    });

    it("answers in the language the request asks for, with the same details", async () => {
      const s = server();
      const admin = await withToken(s, s.admin);
      const bad = newDealInput({ customerCountry: "USA", value: -5 });
      const fr = await admin.json<ErrorJson>(
        "/api/deals",
        send("POST", bad, { "accept-language": "fr-FR,fr;q=0.9,en;q=0.8" }),
      );
      expect(fr.status).toBe(422);
      expect(fr.body.error.code).toBe("invalid_row");
      expect(fr.body.error.message).toBe(
        "Customer Country 'USA' n'est pas un code à deux lettres (vouliez-vous dire US ?)",
      );
      expect(fr.body.error.details).toEqual([
        {
          column: "Customer Country",
          code: "invalid_country",
          field: "customerCountry",
          message:
            "Customer Country 'USA' n'est pas un code à deux lettres (vouliez-vous dire US ?)",
        },
        {
          column: "Estimated Deal Value",
          code: "negative_number",
          field: "value",
          message: "Estimated Deal Value '-5' est négatif : saisissez 0 ou plus",
        },
      ]);
      // No header, or English, or a language cosell does not speak: the English, unchanged.
      for (const lang of [undefined, "en-US", "de-DE"]) {
        const en = await admin.json<ErrorJson>(
          "/api/deals",
          send("POST", bad, lang ? { "accept-language": lang } : {}),
        );
        expect(en.body.error.message).toBe(
          "Customer Country 'USA' is not a two-letter code (did you mean US?)",
        );
        expect(en.body.error.details?.map((d) => Object.keys(d).sort())).toEqual([
          ["code", "column", "field", "message"],
          ["code", "column", "field", "message"],
        ]);
      }
      // A bad filter, and a code the core has no detailed French for.
      const filter = await admin.json<ErrorJson>("/api/deals?search=ab", {
        headers: { "accept-language": "fr" },
      });
      expect(filter.status).toBe(400);
      expect(filter.body.error.message).toBe(
        "La recherche 'ab' est trop courte : tapez 3 caractères ou plus",
      );
      const missing = await admin.json<ErrorJson>("/api/deals/nope", {
        headers: { "accept-language": "fr" },
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe("Introuvable : vérifiez l'identifiant.");
    });

    it("refuses a CRM ID the organisation already uses (422)", async () => {
      const s = server();
      const [existing = ""] = await seed(s, [newDealRow({ "CRM ID": "CRM-1" })]);
      const admin = await withToken(s, s.admin);
      const res = await admin.json<ErrorJson>(
        "/api/deals",
        send("POST", newDealInput({ crmId: "CRM-1" })),
      );
      expect(res.status).toBe(422);
      expect(res.body.error.details?.[0]).toMatchObject({
        code: "crm_id_duplicate",
        field: "crmId",
      });
      expect(res.body.error.message).toContain(existing);
    });

    it("refuses an unknown property or a wrong type (400)", async () => {
      const s = server();
      const admin = await withToken(s, s.admin);
      for (const body of [
        { ...newDealInput(), colour: "red" },
        { ...newDealInput(), solutions: [{ id: "SOL-1", discount: 5 }] },
        { ...newDealInput(), value: "a lot" },
      ]) {
        const res = await admin.json<ErrorJson>("/api/deals", send("POST", body));
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe("invalid_argument");
      }
    });
  });

  describe("PATCH /api/deals/:id", () => {
    it("needs If-Match (428), refuses a stale one (412), and answers the new ETag (200)", async () => {
      const s = server();
      const [id = ""] = await seed(s, [newDealRow({ Notes: "first call done" })]);
      const admin = await withToken(s, s.admin);

      const missing = await admin.json<ErrorJson>(`/api/deals/${id}`, send("PATCH", { name: "X" }));
      expect(missing.status).toBe(428);
      expect(missing.body.error.code).toBe("precondition_required");

      const renamed = await admin.json<DealDetailJson>(
        `/api/deals/${id}`,
        send("PATCH", { name: "Renamed", notes: null, value: 12.5 }, { "if-match": '"1"' }),
      );
      expect(renamed.status).toBe(200);
      expect(renamed.headers.get("etag")).toBe('"2"');
      expect(renamed.body).toMatchObject({
        name: "Renamed",
        notes: null,
        value: 12.5,
        customerName: "Contoso Ltd",
        etag: '"2"',
        version: 2,
      });

      const stale = await admin.json<ErrorJson>(
        `/api/deals/${id}`,
        send("PATCH", { name: "Lost update" }, { "if-match": '"1"' }),
      );
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe("precondition_failed");
      expect(stale.body.error.message).toContain('"2"');

      const unchanged = await admin.json<DealDetailJson>(
        `/api/deals/${id}`,
        send("PATCH", { name: "Renamed" }, { "if-match": '"2"' }),
      );
      expect(unchanged.status).toBe(200);
      expect(unchanged.headers.get("etag")).toBe('"2"');

      const audit = await s.store.db
        .selectFrom("audit_events")
        .select(["action", "source", "field", "old_value", "new_value"])
        .where("deal_id", "=", id)
        .where("source", "=", "api")
        .orderBy("id")
        .execute();
      expect(audit).toEqual([
        {
          action: "update",
          source: "api",
          field: "Deal Name",
          old_value: "Contoso cloud migration",
          new_value: "Renamed",
        },
        {
          action: "update",
          source: "api",
          field: "Estimated Deal Value",
          old_value: "10000",
          new_value: "12.5",
        },
        {
          action: "update",
          source: "api",
          field: "Notes",
          old_value: "first call done",
          new_value: null,
        },
      ]);
    });

    it("replaces the solutions and the team when given", async () => {
      const s = server();
      const [id = ""] = await seed(s, [newDealRow()]);
      const admin = await withToken(s, s.admin);
      const res = await admin.json<DealDetailJson>(
        `/api/deals/${id}`,
        send(
          "PATCH",
          {
            solutions: [{ id: "SOL-A" }, { id: "SOL-B", currency: "EUR", price: 1.5, quantity: 3 }],
            team: [{ firstName: "Chen", lastName: "Wei", email: "chen@contoso.example" }],
          },
          { "if-match": '"1"' },
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body.solutions).toEqual([
        { id: "SOL-A", currency: null, price: null, quantity: null },
        { id: "SOL-B", currency: "EUR", price: 1.5, quantity: 3 },
      ]);
      expect(res.body.team).toEqual([
        { firstName: "Chen", lastName: "Wei", phone: null, email: "chen@contoso.example" },
      ]);
      const cleared = await admin.json<ErrorJson>(
        `/api/deals/${id}`,
        send("PATCH", { solutions: [] }, { "if-match": '"2"' }),
      );
      expect(cleared.status).toBe(422);
      expect(cleared.body.error.details?.[0]).toMatchObject({
        code: "required",
        field: "solutions",
      });
    });

    it("refuses a change to a locked field (422 locked)", async () => {
      const s = server();
      const [id = ""] = await seed(s, [newDealRow()]);
      const admin = await withToken(s, s.admin);
      const res = await admin.json<ErrorJson>(
        `/api/deals/${id}`,
        send("PATCH", { customerName: "Someone else" }, { "if-match": '"1"' }),
      );
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([
        expect.objectContaining({ code: "locked", field: "customerName" }),
      ]);
      const same = await admin.json(
        `/api/deals/${id}`,
        send("PATCH", { customerName: "Contoso Ltd" }, { "if-match": '"1"' }),
      );
      expect(same.status).toBe(200);
    });

    it("moves the status through the lifecycle table: a reason when asked, then nothing more", async () => {
      const s = server();
      const [id = ""] = await seed(s, [newDealRow()]);
      const admin = await withToken(s, s.admin);
      const lose = { status: "Closed", substatus: "Lost" };

      const noReason = await admin.json<ErrorJson>(
        `/api/deals/${id}`,
        send("PATCH", lose, { "if-match": '"1"' }),
      );
      expect(noReason.status).toBe(422);
      expect(noReason.body.error.details).toEqual([
        expect.objectContaining({ code: "reason_required", field: "closeReason" }),
      ]);

      const lost = await admin.json<DealDetailJson>(
        `/api/deals/${id}`,
        send("PATCH", { ...lose, closeReason: 3 }, { "if-match": '"1"' }),
      );
      expect(lost.status).toBe(200);
      expect(lost.body).toMatchObject({ status: "Closed", substatus: "Lost", closeReason: 3 });
      expect(lost.body.allowedTransitions).toEqual([]);
      const terminal = "The deal is Closed/Lost, a terminal state: it accepts no change";
      expect(lost.body.locks).toMatchObject({
        name: terminal,
        value: terminal,
        solutions: terminal,
      });

      for (const body of [{ name: "Too late" }, { status: "Active", substatus: "Accepted" }]) {
        const res = await admin.json<ErrorJson>(
          `/api/deals/${id}`,
          send("PATCH", body, { "if-match": '"2"' }),
        );
        expect(res.status).toBe(422);
        expect(res.body.error.details?.map((d) => d.code)).toEqual(["terminal"]);
      }
    });

    it("refuses a move the table does not allow (422)", async () => {
      const s = server();
      const [id = ""] = await seed(s, [newDealRow()]);
      const admin = await withToken(s, s.admin);
      const res = await admin.json<ErrorJson>(
        `/api/deals/${id}`,
        send("PATCH", { status: "Closed", substatus: "Expired" }, { "if-match": '"1"' }),
      );
      expect(res.status).toBe(422);
      expect(res.body.error.details?.[0]?.code).toBe("system_only_status");
    });

    it("needs the CSRF header on a session's PATCH (403)", async () => {
      const s = server();
      const [id = ""] = await seed(s, [newDealRow()]);
      const browser = await signedIn(s, s.admin);
      const forged = await browser.json<ErrorJson>(
        `/api/deals/${id}`,
        send("PATCH", { name: "Via CSRF" }, { "if-match": '"1"', "x-csrf-token": "" }),
      );
      expect(forged.status).toBe(403);
      expect(forged.body.error.code).toBe("csrf_failed");
      const ok = await browser.json<DealDetailJson>(
        `/api/deals/${id}`,
        send("PATCH", { name: "From the page" }, { "if-match": '"1"' }),
      );
      expect(ok.status).toBe(200);
      expect(ok.body.name).toBe("From the page");
    });
  });

  describe("favourites", () => {
    it("stars and unstars (204, idempotent); the Favorites tab lists the starred deals", async () => {
      const s = server();
      const [starred = "", plain = ""] = await seed(s, [
        newDealRow({ "Deal Name": "Starred" }),
        newDealRow({ "Deal Name": "Plain" }),
      ]);
      const admin = await withToken(s, s.admin);
      const user = await withToken(s, s.user);
      for (let i = 0; i < 2; i++) {
        expect(
          (await admin.fetch(`/api/deals/${starred}/favorite`, { method: "PUT" })).status,
        ).toBe(204);
      }
      expect(await names(admin, "tab=favorites")).toEqual(["Starred"]);
      const list = await admin.json<DealListJson>("/api/deals?sort=name");
      expect(list.body.items.map((d) => [d.name, d.favorite])).toEqual([
        ["Plain", false],
        ["Starred", true],
      ]);
      expect((await admin.json<DealDetailJson>(`/api/deals/${starred}`)).body.favorite).toBe(true);
      expect((await admin.json<DealDetailJson>(`/api/deals/${plain}`)).body.favorite).toBe(false);
      // A star is one person's: another user's Favorites tab is their own.
      expect(await names(user, "tab=favorites")).toEqual([]);
      // Outside a plain user's scope: not found, like any deal they cannot see.
      expect((await user.fetch(`/api/deals/${starred}/favorite`, { method: "PUT" })).status).toBe(
        404,
      );

      for (let i = 0; i < 2; i++) {
        expect(
          (await admin.fetch(`/api/deals/${starred}/favorite`, { method: "DELETE" })).status,
        ).toBe(204);
      }
      expect(await names(admin, "tab=favorites")).toEqual([]);
    });
  });

  describe("OpenAPI", () => {
    it("documents every deal route under the deals tag, with nullable fields as such", async () => {
      const s = server();
      const doc = await (await withToken(s, s.admin)).json<{
        paths: Record<string, Record<string, { tags?: string[]; summary?: string }>>;
        components?: unknown;
      }>("/api/openapi.json");
      const routes = [
        ["/api/deals", "get"],
        ["/api/deals", "post"],
        ["/api/deals/{id}", "get"],
        ["/api/deals/{id}", "patch"],
        ["/api/deals/{id}/favorite", "put"],
        ["/api/deals/{id}/favorite", "delete"],
      ] as const;
      for (const [path, method] of routes) {
        const op = doc.body.paths[path]?.[method];
        expect(op?.tags, `${method} ${path}`).toEqual(["deals"]);
        expect(op?.summary).toBeTruthy();
      }
      const text = JSON.stringify(doc.body.paths["/api/deals/{id}"]);
      expect(text).toContain('"customerAddress2":{"type":"string","nullable":true}');
      expect(text).not.toContain('"type":"null"');
    });
  });
});
