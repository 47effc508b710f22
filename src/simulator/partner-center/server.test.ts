/** The simulator over real HTTP: it must be as strict as the spec note says the real API is. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./server.js";

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ seed: 7, referrals: 12, maxPageSize: 5 });
});
afterEach(() => sim.close());

const grant = async (form: Record<string, string>) => {
  const res = await fetch(sim.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const accessToken = async (): Promise<string> => {
  const { clientId, clientSecret, refreshToken } = sim.credentials;
  const { body } = await grant({
    grant_type: "refresh_token",
    client_id: clientId,
    client_secret: clientSecret,
    refresh_token: refreshToken,
  });
  return String(body.access_token);
};

const api = async (token: string, path: string, init: RequestInit = {}) => {
  const res = await fetch(`${sim.apiUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
};

describe("token endpoint", () => {
  it("rotates refresh tokens: the one used is spent", async () => {
    const { clientId, clientSecret, refreshToken } = sim.credentials;
    const form = {
      grant_type: "refresh_token",
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: refreshToken,
    };
    const first = await grant(form);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(refreshToken);
    const again = await grant(form);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
    const next = await grant({ ...form, refresh_token: String(first.body.refresh_token) });
    expect(next.status).toBe(200);
  });

  it("issues a token on client credentials and refuses a wrong secret", async () => {
    const { clientId, clientSecret } = sim.credentials;
    const ok = await grant({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toBeUndefined();
    const bad = await grant({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: "nope",
    });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe("invalid_client");
  });

  it("answers 401 with the documented error body when the token expired", async () => {
    const token = await accessToken();
    expect((await api(token, "/referrals")).status).toBe(200);
    sim.hooks.expireTokens();
    const res = await api(token, "/referrals");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthenticated");
  });
});

describe("referrals", () => {
  it("pages with @odata.nextLink in $orderby order, filtered by updatedDateTime", async () => {
    const token = await accessToken();
    const seen: string[] = [];
    let next: string | undefined =
      `${sim.apiUrl}/referrals?$filter=${encodeURIComponent("updatedDateTime ge 2000-01-01T00:00:00Z and direction eq 'Incoming'")}&$orderby=updatedDateTime asc&$top=100`;
    let pages = 0;
    while (next) {
      const res = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { value: { id: string }[]; "@odata.nextLink"?: string };
      expect(body.value.length).toBeLessThanOrEqual(5);
      seen.push(...body.value.map((r) => r.id));
      next = body["@odata.nextLink"];
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(12);
    const none = await api(
      token,
      `/referrals?$filter=${encodeURIComponent("updatedDateTime gt 2999-01-01T00:00:00Z")}`,
    );
    expect(none.body.value).toEqual([]);
    const bad = await api(token, `/referrals?$orderby=name`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalidRequest");
  });

  it("creates an outgoing referral as Active/Accepted and finds it by externalReferenceId", async () => {
    const token = await accessToken();
    const [sample] = sim.hooks.referrals();
    const created = await api(token, "/referrals", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "Ours",
        type: "Independent",
        status: "New",
        substatus: "Pending",
        externalReferenceId: "crm-1",
        customerProfile: sample?.customerProfile,
        consent: {},
        details: { dealValue: "1234.5", currency: "EUR", closingDateTime: "2027-01-31T00:00:00Z" },
      }),
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      direction: "Outgoing",
      status: "Active",
      substatus: "Accepted",
    });
    expect(created.body.details.dealValue).toBe(1234.5);
    expect(created.headers.get("etag")).toBe(created.body.eTag);
    const found = await api(
      token,
      `/referrals?$filter=${encodeURIComponent("externalReferenceId eq 'crm-1'")}`,
    );
    expect(found.body.value.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
  });

  it("patches with If-Match, answers 412 on a stale eTag, and is strict about ops, paths and transitions", async () => {
    const token = await accessToken();
    const [r] = sim.hooks.referrals();
    if (!r) throw new Error("no seed");
    const id = String(r.id);
    const patch = (ops: unknown, etag = String(r.eTag)) =>
      api(token, `/referrals/${id}`, {
        method: "PATCH",
        headers: {
          "content-type": "application/json",
          "if-match": etag,
          prefer: "return=representation",
        },
        body: JSON.stringify(ops),
      });
    const ok = await patch([{ op: "replace", path: "/details/notes", value: "é ü 1.5" }]);
    expect(ok.status).toBe(200);
    expect(ok.body.details.notes).toBe("é ü 1.5");
    const stale = await patch([{ op: "replace", path: "/details/notes", value: "x" }]);
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe("preconditionFailed");
    const etag = String(ok.body.eTag);
    expect((await patch([{ op: "remove", path: "/details/notes" }], etag)).status).toBe(400);
    expect((await patch([{ op: "replace", path: "/id", value: "x" }], etag)).status).toBe(400);
    expect(
      (await patch([{ op: "replace", path: "/direction", value: "Outgoing" }], etag)).status,
    ).toBe(400);
    const closedAsWon = await patch(
      [
        { op: "replace", path: "/status", value: "Closed" },
        { op: "replace", path: "/substatus", value: "Accepted" },
      ],
      etag,
    );
    expect(closedAsWon.status).toBe(400);
    const declined = await patch(
      [
        { op: "replace", path: "/status", value: "Closed" },
        { op: "replace", path: "/substatus", value: "Declined" },
        { op: "replace", path: "/statusReason", value: "Not a customer" },
      ],
      etag,
    );
    expect(declined.status).toBe(200);
    const reopen = await patch(
      [
        { op: "replace", path: "/status", value: "Active" },
        { op: "replace", path: "/substatus", value: "Accepted" },
      ],
      String(declined.body.eTag),
    );
    expect(reopen.status).toBe(400);
    expect(reopen.body.error.message).toMatch(/accepts no change/);
    const closedEdit = await patch(
      [{ op: "replace", path: "/name", value: "n" }],
      String(declined.body.eTag),
    );
    expect(closedEdit.status).toBe(400);
    // Without If-Match the service checks nothing: the last writer wins (spec note §1.5).
    const other = sim.hooks.referrals()[1];
    const without = await api(token, `/referrals/${String(other?.id)}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ op: "replace", path: "/name", value: "n" }]),
    });
    expect(without.status).toBe(204);
  });

  it("requires If-Match on PUT", async () => {
    const token = await accessToken();
    const [r] = sim.hooks.referrals();
    if (!r) throw new Error("no seed");
    const put = (headers: Record<string, string>) =>
      api(token, `/referrals/${String(r.id)}`, {
        method: "PUT",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ ...r, name: "Renamed" }),
      });
    expect((await put({})).status).toBe(400);
    const ok = await put({ "if-match": String(r.eTag) });
    expect(ok.status).toBe(200);
    expect(ok.body.name).toBe("Renamed");
    expect((await put({ "if-match": String(r.eTag) })).status).toBe(412);
  });

  it("throttles every Nth request with Retry-After", async () => {
    const token = await accessToken();
    sim.hooks.throttle(3, 2);
    const statuses: number[] = [];
    const retryAfter: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api(token, "/referrals?$top=1");
      statuses.push(res.status);
      retryAfter.push(res.headers.get("retry-after"));
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
    expect(retryAfter[2]).toBe("2");
    expect(sim.hooks.stats().throttled).toBe(2);
  });

  it("lets a test change a referral on Microsoft's side: new eTag and updatedDateTime", async () => {
    const [r] = sim.hooks.referrals();
    if (!r) throw new Error("no seed");
    const edited = sim.hooks.editReferral(String(r.id), (x) => {
      x.name = "Changed by Microsoft";
    });
    expect(edited.eTag).not.toBe(r.eTag);
    expect(Date.parse(String(edited.updatedDateTime))).toBeGreaterThanOrEqual(
      Date.parse(String(r.updatedDateTime)),
    );
  });
});
