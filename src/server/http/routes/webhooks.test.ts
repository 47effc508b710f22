/**
 * Partner Center's webhooks as the simulator sends them (`/_sim/webhook` over HTTP, events held
 * and then delivered late, twice each and newest first) into a real server with two workers:
 * however the events arrive, one referral makes one deal with the referral's latest values,
 * and a replayed old event changes nothing.
 */
import { describe, expect, it } from "vitest";
import { isRecord } from "../../../core/json.js";
import { connectPartnerCenter } from "../../commands/connections.js";
import { setupTestServer } from "../../../test-support/http.js";
import { setupSimulator } from "../../../test-support/partner-center.js";
import { useWorker } from "../../../test-support/worker.js";

const server = setupTestServer();
const getSim = setupSimulator({ referrals: 2 });

/** A simulator hook over HTTP, as another process would call it. */
const hook = async (path: string, body: unknown, method = "POST"): Promise<unknown> => {
  const res = await fetch(`${getSim().url}/_sim/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBe(200);
  return res.json();
};

/** Waits until no sync job is waiting or running; returns every sync job's status. */
const settled = async (): Promise<string[]> => {
  for (let i = 0; i < 400; i++) {
    const jobs = await server()
      .store.db.selectFrom("jobs")
      .select("status")
      .where("kind", "=", "sync")
      .execute();
    if (jobs.every((j) => j.status !== "queued" && j.status !== "running")) {
      return jobs.map((j) => j.status);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the sync jobs did not finish");
};

const dealsOfReferral = async (referralId: string) =>
  server()
    .store.db.selectFrom("deal_links")
    .innerJoin("deals", "deals.id", "deal_links.deal_id")
    .select(["deals.id", "deals.name", "deals.notes", "deals.version"])
    .where("deal_links.referral_id", "=", referralId)
    .execute();

describe("webhooks sent by the simulator", () => {
  // Two workers: duplicated events may run at the same time.
  useWorker(server);
  useWorker(server);

  it("makes one deal with the latest values from late, duplicated, out-of-order events", async () => {
    const s = server();
    const { connection, webhookSecret } = await connectPartnerCenter(
      s.store,
      { actor: s.admin },
      {
        apiUrl: getSim().apiUrl,
        tokenUrl: getSim().tokenUrl,
        clientId: getSim().credentials.clientId,
        clientSecret: getSim().credentials.clientSecret,
        refreshToken: getSim().credentials.refreshToken,
      },
    );
    const webhookUrl = `${s.url}${connection.webhookPath}?secret=${webhookSecret}`;
    await hook("webhook", { url: webhookUrl, hold: true });

    // Microsoft sends a referral, then changes it twice: three events, held back.
    const created = await hook("referrals", { name: "Arrivée par webhook" });
    const id = isRecord(created) ? String(created.id) : "";
    await hook(
      `referrals/${id}`,
      [{ op: "replace", path: "/name", value: "Renommée une fois" }],
      "PATCH",
    );
    await hook(
      `referrals/${id}`,
      [
        { op: "replace", path: "/name", value: "Renommée deux fois" },
        { op: "replace", path: "/details/notes", value: "Dernière version, à 9h30" },
      ],
      "PATCH",
    );
    // Delivered newest first, each twice: updated, updated, updated, updated, created, created.
    expect(await hook("webhook/flush", { reverse: true, times: 2 })).toEqual({ sent: 6 });
    const statuses = await settled();
    expect(statuses).toHaveLength(6);
    expect(statuses.every((st) => st === "succeeded")).toBe(true);

    const deals = await dealsOfReferral(id);
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({
      name: "Renommée deux fois",
      notes: "Dernière version, à 9h30",
    });
    const audit = async () =>
      (
        await s.store.db
          .selectFrom("audit_events")
          .select("id")
          .where("deal_id", "=", deals[0]?.id ?? "")
          .execute()
      ).length;
    const trail = await audit();

    // An old event replayed after all that: the referral is read as it is now; nothing changes.
    const replay = await fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        EventName: "referral-created",
        ResourceUri: `${getSim().apiUrl}/referrals/${id}`,
        ResourceName: "referral",
        AuditUri: null,
        ResourceChangeUtcDate: "2020-01-01T00:00:00Z",
      }),
    });
    expect(replay.status).toBe(202);
    const answer: unknown = await replay.json();
    const jobId = isRecord(answer) ? String(answer.jobId) : "";
    await settled();
    const job = await s.store.db
      .selectFrom("jobs")
      .select(["status", "result"])
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe("succeeded");
    expect(JSON.parse(job.result ?? "null")).toMatchObject({
      pulled: { created: 0, updated: 0, unchanged: 1 },
      pushed: { created: 0, updated: 0 },
      conflicts: [],
      errors: [],
    });
    expect(await dealsOfReferral(id)).toEqual(deals);
    expect(await audit()).toBe(trail);
    // Only the new referral came in: the seeded ones were never pulled by a whole sync.
    expect((await s.store.db.selectFrom("deal_links").select("deal_id").execute()).length).toBe(1);
  });
});
