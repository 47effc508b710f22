/**
 * Connections over the real HTTP API with a real worker and the simulator: admins only, no
 * secret in any answer, "Sync now" as a 202 job, the conflict flow resolved by a person, and
 * webhooks (wrong secret refused, duplicates and out-of-order events harmless).
 */
import { describe, expect, it } from "vitest";
import { type Client, setupTestServer, withToken } from "../../../test-support/http.js";
import { setupSimulator } from "../../../test-support/partner-center.js";
import { useWorker } from "../../../test-support/worker.js";

const server = setupTestServer();
const getSim = setupSimulator();

const finished = async (c: Client, jobId: string) => {
  for (let i = 0; i < 300; i++) {
    const { body } = await c.json<{ status: string; result: unknown }>(`/api/syncs/${jobId}`);
    if (body.status !== "queued" && body.status !== "running") return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the sync job did not finish");
};

const connect = async (c: Client) => {
  const sim = getSim();
  return c.json<{ connection: { id: string }; webhookUrl: string }>("/api/connections", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      apiUrl: sim.apiUrl,
      tokenUrl: sim.tokenUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      refreshToken: sim.credentials.refreshToken,
    }),
  });
};

describe("connections API", () => {
  useWorker(server);
  it("is for admins, shows no secret, syncs on demand, and resolves a conflict", async () => {
    const admin = await withToken(server(), server().admin);
    const user = await withToken(server(), server().user);
    const { clientSecret, refreshToken } = getSim().credentials;
    expect((await connect(user)).status).toBe(403);
    const made = await connect(admin);
    expect(made.status).toBe(201);
    const id = made.body.connection.id;
    const listed = await admin.json("/api/connections");
    for (const text of [JSON.stringify(made.body), JSON.stringify(listed.body)]) {
      expect(text).not.toContain(clientSecret);
      expect(text).not.toContain(refreshToken);
    }

    const now = await admin.json<{ jobId: string }>(`/api/connections/${id}/sync`, {
      method: "POST",
    });
    expect(now.status).toBe(202);
    const job = await finished(admin, now.body.jobId);
    expect(job).toMatchObject({ status: "succeeded", result: { pulled: { created: 12 } } });
    const runs = await admin.json<{ items: { jobId: string; status: string }[] }>(
      `/api/connections/${id}/runs`,
    );
    expect(runs.body.items[0]).toMatchObject({ jobId: now.body.jobId, status: "succeeded" });

    // Both sides change the notes: a conflict, visible in the list and on the deal.
    const referral = getSim().hooks.referrals()[0];
    const link = await server()
      .store.db.selectFrom("deal_links")
      .select("deal_id")
      .where("referral_id", "=", String(referral?.id))
      .executeTakeFirstOrThrow();
    const dealId = link.deal_id;
    const got = await admin.json<{ version: number }>(`/api/deals/${dealId}`);
    const patched = await admin.fetch(`/api/deals/${dealId}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "if-match": `"${got.body.version}"` },
      body: JSON.stringify({ notes: "ours" }),
    });
    expect(patched.status).toBe(200);
    getSim().hooks.editReferral(String(referral?.id), (x) => {
      const d = x.details;
      if (d && typeof d === "object" && !Array.isArray(d)) d.notes = "theirs";
    });
    const second = await admin.json<{ jobId: string }>(`/api/connections/${id}/sync`, {
      method: "POST",
    });
    await finished(admin, second.body.jobId);
    expect((await admin.json("/api/conflicts")).body).toEqual({ dealIds: [dealId] });
    // The history: every sync job, newest first, conflicts named by deal (id and name) and field.
    const history = await admin.json<{
      items: { id: string; status: string; result: { conflicts: unknown[] } | null }[];
    }>(`/api/syncs?connection=${id}`);
    expect(history.body.items.map((j) => [j.id, j.status])).toEqual([
      [second.body.jobId, "succeeded"],
      [now.body.jobId, "succeeded"],
    ]);
    const dealName = (
      await server()
        .store.db.selectFrom("deals")
        .select("name")
        .where("id", "=", dealId)
        .executeTakeFirstOrThrow()
    ).name;
    expect(history.body.items[0]?.result?.conflicts).toEqual([
      expect.objectContaining({ deal: dealId, dealName, field: "notes", local: "ours" }),
    ]);
    expect((await user.json("/api/syncs")).status).toBe(403);
    expect((await admin.json("/api/syncs?limit=0")).status).toBe(400);
    const state = await admin.json<{ conflicts: unknown[] }>(`/api/deals/${dealId}/sync`);
    expect(state.body.conflicts).toEqual([
      expect.objectContaining({ field: "notes", local: "ours", remote: "theirs" }),
    ]);

    const resolved = await admin.json(`/api/deals/${dealId}/conflicts/notes/resolve`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ choice: "local" }),
    });
    expect(resolved.status).toBe(200);
    expect((await admin.json("/api/conflicts")).body).toEqual({ dealIds: [] });
    const third = await admin.json<{ jobId: string }>(`/api/connections/${id}/sync`, {
      method: "POST",
    });
    await finished(admin, third.body.jobId);
    const details = getSim().hooks.referral(String(referral?.id))?.details;
    expect(
      details && typeof details === "object" && "notes" in details ? details.notes : null,
    ).toBe("ours");
  });

  it("documents the connection, sync and conflict routes in the OpenAPI document", async () => {
    const res = await fetch(`${server().url}/api/openapi.json`);
    const doc: { paths: Record<string, Record<string, unknown>> } = await res.json();
    for (const [path, methods] of [
      ["/api/connections", ["get", "post"]],
      ["/api/connections/{id}/sync", ["post"]],
      ["/api/syncs", ["get"]],
      ["/api/syncs/{id}", ["get"]],
      ["/api/conflicts", ["get"]],
      ["/api/deals/{id}/sync", ["get"]],
      ["/api/deals/{id}/conflicts/{field}/resolve", ["post"]],
    ] as const) {
      expect(Object.keys(doc.paths[path] ?? {}), path).toEqual(
        expect.arrayContaining([...methods]),
      );
    }
  });

  it("takes webhooks with the URL secret only, and is idempotent under duplicates", async () => {
    const admin = await withToken(server(), server().admin);
    const made = await connect(admin);
    const { webhookUrl } = made.body;
    const event = (id: string, name = "referral-created") => ({
      EventName: name,
      ResourceUri: `${getSim().apiUrl}/referrals/${id}`,
      ResourceName: "referral",
      AuditUri: null,
      ResourceChangeUtcDate: new Date().toISOString(),
    });
    const post = (url: string, body: unknown) =>
      fetch(`${server().url}${url}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const fresh = getSim().hooks.addIncoming({ name: "Arrivée par webhook" });
    const wrong = await post(
      webhookUrl.replace(/secret=.*/, "secret=nope"),
      event(String(fresh.id)),
    );
    expect(wrong.status).toBe(401);
    // The same event three times, then an older "updated" one after it.
    const answers = await Promise.all(
      [1, 2, 3].map(() => post(webhookUrl, event(String(fresh.id)))),
    );
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const late = await post(webhookUrl, event(String(fresh.id), "referral-updated"));
    expect(late.status).toBe(202);
    const { jobId } = (await late.json()) as { jobId: string };
    await finished(admin, jobId);
    for (let i = 0; i < 100; i++) {
      const busy = await server()
        .store.db.selectFrom("jobs")
        .select("id")
        .where("kind", "=", "sync")
        .where("status", "in", ["queued", "running"])
        .execute();
      if (busy.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const deals = await server()
      .store.db.selectFrom("deals")
      .select("id")
      .where("name", "=", "Arrivée par webhook")
      .execute();
    expect(deals).toHaveLength(1);
  });
});
