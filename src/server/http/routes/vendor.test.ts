import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../../core/limits.js";
import { csvBytes, importRows, newDealRow } from "../../../test-support/deals.js";
import {
  anonymous,
  setupTestServer,
  signedIn,
  type TestServer,
  withToken,
} from "../../../test-support/http.js";
import { createVendorToken } from "../../commands/credentials.js";
import { findDealsByIds } from "../../db/deals-repo.js";

interface ErrorBody {
  error: { code: string; message: string };
}

interface ReceiveSummary {
  dryRun: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  notProcessed: number;
  ignoredColumns: string[];
  rows: { row: number; result: string; referralId: string | null; errors: { code: string }[] }[];
}

/** The vendor side's client: its own credential, no session. */
const vendor = async (s: TestServer) => {
  const { token } = await createVendorToken(s.store, "microsoft");
  const auth = { authorization: `Bearer ${token}` };
  return {
    fetch: (path: string, init: RequestInit = {}) =>
      fetch(`${s.url}${path}`, {
        ...init,
        headers: { ...auth, ...(init.headers as Record<string, string> | undefined) },
      }),
    async json<T>(path: string, init: RequestInit = {}) {
      const res = await this.fetch(path, init);
      return { status: res.status, body: (await res.json()) as T };
    },
  };
};

const csv = (rows: Record<string, string>[]): RequestInit => ({
  method: "POST",
  headers: { "content-type": "text/csv" },
  body: new Uint8Array(csvBytes(rows)),
});

/** A referral as the vendor sends it: no partner status yet (it arrives New/Received). */
const inbound = (overrides: Record<string, string> = {}) =>
  newDealRow({ "Partner Referral Status": "", "Partner Referral Substatus": "", ...overrides });

const putStatus = (status: string): RequestInit => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ status }),
});

describe("the vendor API", () => {
  const server = setupTestServer({ limits: { ...DEFAULT_LIMITS, importRows: 5 } });

  it("lists the organisations to a vendor credential only", async () => {
    const s = server();
    const v = await vendor(s);
    const orgs = await v.json<{ id: string; name: string }[]>("/api/vendor/organizations");
    expect(orgs.status).toBe(200);
    expect(orgs.body.map((o) => o.name)).toEqual(["Contoso", "Fabrikam"]);
    expect(orgs.body.find((o) => o.name === "Contoso")?.id).toBe(s.admin.orgId);

    const partner = await withToken(s, s.admin);
    const refused = await partner.json<ErrorBody>("/api/vendor/organizations");
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("unauthenticated");
    const browser = await signedIn(s, s.admin);
    expect((await browser.fetch("/api/vendor/organizations")).status).toBe(401);
    expect((await anonymous(s).fetch("/api/vendor/organizations")).status).toBe(401);
    const forged = await fetch(`${s.url}/api/vendor/organizations`, {
      headers: { authorization: "Bearer csv_not-a-real-one" },
    });
    expect(forged.status).toBe(401);
  });

  it("refuses a vendor credential on partner routes", async () => {
    const s = server();
    const v = await vendor(s);
    expect((await v.fetch("/api/auth/me")).status).toBe(401);
    expect((await v.fetch("/api/imports")).status).toBe(401);
    expect((await v.fetch("/api/imports", csv([newDealRow()]))).status).toBe(401);
  });

  it("sends inbound referrals to one organisation, raw or multipart, with import's summary keys", async () => {
    const s = server();
    const v = await vendor(s);
    const orgId = s.admin.orgId;
    const res = await v.json<ReceiveSummary>(
      `/api/vendor/organizations/${orgId}/referrals`,
      csv([inbound(), inbound({ "Referral ID": "not-for-the-vendor" })]),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: false,
      total: 2,
      created: 1,
      updated: 0,
      unchanged: 0,
      notProcessed: 1,
      ignoredColumns: [],
    });
    expect(Object.keys(res.body)).not.toContain("resultsCsv");
    const id = res.body.rows[0]?.referralId ?? "";
    const [deal] = await findDealsByIds(s.store.db, orgId, [id]);
    expect(deal).toMatchObject({ direction: "inbound", status: "New", substatus: "Received" });
    // Nothing of it reaches another organisation.
    expect(await findDealsByIds(s.store.db, s.stranger.orgId, [id])).toEqual([]);

    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(csvBytes([inbound()]))]), "inbound.csv");
    const multi = await v.json<ReceiveSummary>(`/api/vendor/organizations/${orgId}/referrals`, {
      method: "POST",
      body: form,
    });
    expect(multi.status).toBe(200);
    expect(multi.body.rows[0]?.errors).toEqual([]);
    expect(multi.body.created).toBe(1);
  });

  it("answers 404 for an unknown organisation and 422 for a file over the row limit", async () => {
    const s = server();
    const v = await vendor(s);
    const unknown = await v.json<ErrorBody>(
      "/api/vendor/organizations/00000000-0000-0000-0000-000000000000/referrals",
      csv([inbound()]),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
    const tooMany = await v.json<ErrorBody>(
      `/api/vendor/organizations/${s.admin.orgId}/referrals`,
      csv(Array.from({ length: 6 }, () => inbound())),
    );
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.code).toBe("too_many_rows");
    expect(await findDealCount(s)).toBe(0);
  });

  it("sets the Microsoft Referral Status of a shared deal, with its audit entry", async () => {
    const s = server();
    const v = await vendor(s);
    const created = await importRows(s.store, s.admin, [newDealRow()]);
    const id = created.rows[0]?.referralId ?? "";
    const [before] = await findDealsByIds(s.store.db, s.admin.orgId, [id]);

    const res = await v.json<{ id: string; microsoftStatus: string; version: number }>(
      `/api/vendor/deals/${id}/microsoft-status`,
      putStatus("accepted"),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, microsoftStatus: "Accepted" });
    expect(res.body.version).toBe((before?.version ?? 0) + 1);
    const [after] = await findDealsByIds(s.store.db, s.admin.orgId, [id]);
    expect(after?.microsoftStatus).toBe("Accepted");
    expect(after?.updatedAt).not.toBe(before?.updatedAt);

    const audit = await s.store.db
      .selectFrom("audit_events")
      .selectAll()
      .where("deal_id", "=", id)
      .where("action", "=", "update")
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        org_id: s.admin.orgId,
        actor: "vendor",
        source: "vendor",
        actor_user_id: null,
        field: "Microsoft Referral Status",
        old_value: null,
        new_value: "Accepted",
      }),
    ]);

    // The same value again changes nothing.
    const again = await v.json<{ version: number }>(
      `/api/vendor/deals/${id}/microsoft-status`,
      putStatus("Accepted"),
    );
    expect(again.body.version).toBe(res.body.version);
  });

  it("refuses a private deal (409), an unknown deal (404), an unknown status (400) and a partner (401)", async () => {
    const s = server();
    const v = await vendor(s);
    const created = await importRows(s.store, s.admin, [
      newDealRow({ "Share with Microsoft sales team": "No" }),
      newDealRow(),
    ]);
    const [privateId, sharedId] = created.rows.map((r) => r.referralId ?? "");
    const priv = await v.json<ErrorBody>(
      `/api/vendor/deals/${privateId}/microsoft-status`,
      putStatus("Accepted"),
    );
    expect(priv.status).toBe(409);
    expect(priv.body.error).toMatchObject({ code: "conflict" });
    expect(priv.body.error.message).toMatch(/not shared with the vendor/);

    const unknown = await v.json<ErrorBody>(
      "/api/vendor/deals/00000000-0000-0000-0000-000000000000/microsoft-status",
      putStatus("Accepted"),
    );
    expect(unknown.status).toBe(404);

    const bad = await v.json<ErrorBody>(
      `/api/vendor/deals/${sharedId}/microsoft-status`,
      putStatus("Maybe"),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Pending, Accepted, Declined/);

    const partner = await withToken(s, s.admin);
    const refused = await partner.fetch(
      `/api/vendor/deals/${sharedId}/microsoft-status`,
      putStatus("Accepted"),
    );
    expect(refused.status).toBe(401);
    const [deal] = await findDealsByIds(s.store.db, s.admin.orgId, [sharedId ?? ""]);
    expect(deal?.microsoftStatus).toBeNull();
  });
});

const findDealCount = async (s: TestServer): Promise<number> => {
  const rows = await s.store.db.selectFrom("deals").select("id").execute();
  return rows.length;
};
