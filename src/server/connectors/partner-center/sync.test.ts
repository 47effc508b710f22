/**
 * The sync against the real simulator over HTTP, on the real store (SQLite, or PostgreSQL
 * with COSELL_TEST_DATABASE_URL): paging, exact mapping, idempotent pushes, conflicts,
 * throttling, token expiry and a create interrupted by a crash.
 */
import { describe, expect, it } from "vitest";
import { setupTestStore } from "../../../test-support/db.js";
import { makeWorld, newDealInput, type World } from "../../../test-support/deals.js";
import { connectToSimulator, setupSimulator } from "../../../test-support/partner-center.js";
import { createDeal, updateDeal } from "../../commands/deals.js";
import { findDealsByIds } from "../../db/deals-repo.js";
import { syncConnection } from "./sync.js";

const getStore = setupTestStore();
const getSim = setupSimulator();

const setup = async (): Promise<{ world: World; connectionId: string }> => {
  const world = await makeWorld(getStore());
  const connectionId = await connectToSimulator(getStore(), world, getSim());
  return { world, connectionId };
};

const linkOf = (referralId: string) =>
  getStore()
    .db.selectFrom("deal_links")
    .selectAll()
    .where("referral_id", "=", referralId)
    .executeTakeFirstOrThrow();

const dealOf = async (referralId: string) => {
  const link = await linkOf(referralId);
  const [deal] = await findDealsByIds(getStore().db, (await makeOrgId()) ?? "", [link.deal_id]);
  if (!deal) throw new Error("no deal");
  return deal;
};

const makeOrgId = async () =>
  (
    await getStore()
      .db.selectFrom("organizations")
      .select("id")
      .where("name", "=", "Contoso")
      .executeTakeFirst()
  )?.id;

const notesOf = (id: string): unknown => {
  const details = getSim().hooks.referral(id)?.details;
  return details && typeof details === "object" && "notes" in details ? details.notes : undefined;
};

const writes = () => {
  const r = getSim().hooks.stats().requests;
  return (r["POST referrals"] ?? 0) + (r["PATCH referral"] ?? 0) + (r["PUT referral"] ?? 0);
};

describe("pull", () => {
  it("brings every referral in across pages, exactly, as inbound deals; a second sync writes nothing", async () => {
    const { connectionId } = await setup();
    const result = await syncConnection(getStore(), connectionId);
    expect(result.pulled).toEqual({ created: 12, updated: 0, unchanged: 0 });
    expect(result.errors).toEqual([]);
    expect(getSim().hooks.stats().requests["GET referrals"]).toBe(3);
    const [r] = getSim().hooks.referrals();
    if (!r) throw new Error("no referral");
    const deal = await dealOf(String(r.id));
    const customer = r.customerProfile as {
      name: string;
      address: { city: string; country: string };
    };
    const details = r.details as { dealValue: number; closingDateTime: string; notes: string };
    expect(deal).toMatchObject({
      direction: "inbound",
      name: r.name,
      customerName: customer.name,
      customerCity: customer.address.city,
      customerCountry: customer.address.country,
      value: details.dealValue,
      closeDate: details.closingDateTime.slice(0, 10),
      notes: details.notes,
      status: r.status,
      substatus: r.substatus,
    });
    expect((await linkOf(String(r.id))).etag).toBe(r.eTag);
    const audit = await getStore()
      .db.selectFrom("audit_events")
      .select(["source", "actor", "action"])
      .where("deal_id", "=", deal.id)
      .execute();
    expect(audit).toEqual([
      { source: "sync", actor: `partner-center:${connectionId}`, action: "create" },
    ]);

    getSim().hooks.resetStats();
    const again = await syncConnection(getStore(), connectionId);
    expect(again.pulled.created).toBe(0);
    expect(again.pulled.updated).toBe(0);
    expect(again.pushed).toEqual({ created: 0, updated: 0, unchanged: 12 });
    expect(writes()).toBe(0);
  });

  it("carries a change made on Microsoft's side, and a close through the lifecycle table", async () => {
    const { connectionId } = await setup();
    await syncConnection(getStore(), connectionId);
    const [r] = getSim().hooks.referrals();
    const id = String(r?.id);
    getSim().hooks.editReferral(id, (x) => {
      x.name = "Nouveau nom — Ça marche";
      x.status = "Closed";
      x.substatus = "Won";
      const d = x.details as { dealValue: number };
      d.dealValue = 98765.43;
    });
    const result = await syncConnection(getStore(), connectionId);
    expect(result.pulled.updated).toBe(1);
    expect(result.conflicts).toEqual([]);
    const deal = await dealOf(id);
    expect(deal).toMatchObject({
      name: "Nouveau nom — Ça marche",
      value: 98765.43,
      status: "Closed",
      substatus: "Won",
      salesStage: 100,
    });
    const actions = await getStore()
      .db.selectFrom("audit_events")
      .select(["old_value", "new_value", "source"])
      .where("deal_id", "=", deal.id)
      .where("field", "=", "Partner Referral Status")
      .orderBy("id")
      .execute();
    // Through the lifecycle table: accepted, then won.
    expect(actions).toEqual([
      { old_value: "New/Pending", new_value: "Active/Accepted", source: "sync" },
      { old_value: "Active/Accepted", new_value: "Closed/Won", source: "sync" },
    ]);
  });
});

describe("push", () => {
  it("sends a local change as JSON Patch with If-Match, then nothing", async () => {
    const { world, connectionId } = await setup();
    await syncConnection(getStore(), connectionId);
    const [r] = getSim().hooks.referrals();
    const deal = await dealOf(String(r?.id));
    const edit = await updateDeal(getStore(), world.admin, deal.id, null, {
      notes: "Rappel: réunion à 9h30",
      value: 1234.56,
      status: "Active",
      substatus: "Accepted",
    });
    expect(edit.result).toBe("Updated");
    getSim().hooks.resetStats();
    const result = await syncConnection(getStore(), connectionId);
    expect(result.pushed.updated).toBe(1);
    const remote = getSim().hooks.referral(String(r?.id));
    expect(remote?.details).toMatchObject({ notes: "Rappel: réunion à 9h30", dealValue: 1234.56 });
    expect(remote).toMatchObject({ status: "Active", substatus: "Accepted" });
    getSim().hooks.resetStats();
    const again = await syncConnection(getStore(), connectionId);
    expect(again.pushed.updated).toBe(0);
    expect(writes()).toBe(0);
  });

  it("creates a deal made here once, even when the create's answer is lost or a crash came between", async () => {
    const { world, connectionId } = await setup();
    const made = await createDeal(
      getStore(),
      world.admin,
      newDealInput({ name: "Déploiement Zürich" }),
    );
    if (made.result !== "Created") throw new Error("not created");
    getSim().hooks.loseCreateAnswers(1);
    const first = await syncConnection(getStore(), connectionId);
    expect(first.pushed.created).toBe(1);
    const ours = getSim()
      .hooks.referrals()
      .filter((x) => x.name === "Déploiement Zürich");
    expect(ours).toHaveLength(1);
    expect(ours[0]?.externalReferenceId).toBe(`cosell:${made.view.deal.id}`);

    // A crash after the POST, before the link was written: the intent is there, the id is not.
    const second = await createDeal(getStore(), world.admin, newDealInput({ name: "Second" }));
    if (second.result !== "Created") throw new Error("not created");
    const key = `cosell:${second.view.deal.id}`;
    await getStore()
      .db.insertInto("deal_links")
      .values({
        deal_id: second.view.deal.id,
        connection_id: connectionId,
        referral_id: null,
        engagement_id: null,
        create_key: key,
        etag: null,
        remote_updated_at: null,
        base: null,
        errors: null,
        synced_at: null,
      })
      .execute();
    const sample = getSim()
      .hooks.referrals()
      .find((x) => x.externalReferenceId === ours[0]?.externalReferenceId);
    getSim().hooks.editReferral(String(sample?.id), () => {});
    const before = getSim().hooks.createRequests();
    const resumed = await syncConnection(getStore(), connectionId);
    // Not there yet: the resumed sync looks it up by externalReferenceId, then creates it once.
    expect(resumed.errors).toEqual([]);
    expect(getSim().hooks.createRequests()).toBe(before + 1);
    expect(
      getSim()
        .hooks.referrals()
        .filter((x) => x.externalReferenceId === key),
    ).toHaveLength(1);
    await syncConnection(getStore(), connectionId);
    expect(getSim().hooks.createRequests()).toBe(before + 1);
  });

  it("adopts a referral a crashed sync had created instead of creating it again", async () => {
    const { world, connectionId } = await setup();
    const made = await createDeal(getStore(), world.admin, newDealInput({ name: "Crash" }));
    if (made.result !== "Created") throw new Error("not created");
    const key = `cosell:${made.view.deal.id}`;
    await getStore()
      .db.insertInto("deal_links")
      .values({
        deal_id: made.view.deal.id,
        connection_id: connectionId,
        referral_id: null,
        engagement_id: null,
        create_key: key,
        etag: null,
        remote_updated_at: null,
        base: null,
        errors: null,
        synced_at: null,
      })
      .execute();
    // What the crashed sync's POST had made on Partner Center.
    const [template] = getSim().hooks.referrals();
    getSim().hooks.addIncoming({
      name: "Crash",
      externalReferenceId: key,
      direction: "Outgoing",
      customerProfile: template?.customerProfile ?? null,
    });
    const before = getSim().hooks.createRequests();
    const result = await syncConnection(getStore(), connectionId);
    expect(result.errors).toEqual([]);
    expect(getSim().hooks.createRequests()).toBe(before);
    expect(
      getSim()
        .hooks.referrals()
        .filter((x) => x.externalReferenceId === key),
    ).toHaveLength(1);
    expect(
      (await getStore().db.selectFrom("deals").select("id").where("name", "=", "Crash").execute())
        .length,
    ).toBe(1);
  });
});

describe("concurrent edits", () => {
  it("merges one-sided changes and records a both-sided one as a conflict, overwriting neither", async () => {
    const { world, connectionId } = await setup();
    await syncConnection(getStore(), connectionId);
    const [r] = getSim().hooks.referrals();
    const id = String(r?.id);
    const deal = await dealOf(id);
    await updateDeal(getStore(), world.admin, deal.id, null, { notes: "ours", name: "Nom local" });
    getSim().hooks.editReferral(id, (x) => {
      (x.details as { notes: string }).notes = "theirs";
      (x.details as { dealValue: number }).dealValue = 5555.5;
    });
    const result = await syncConnection(getStore(), connectionId);
    expect(result.conflicts).toEqual([
      { deal: deal.id, referral: id, field: "notes", local: "ours", remote: "theirs" },
    ]);
    const after = await dealOf(id);
    expect(after).toMatchObject({ notes: "ours", value: 5555.5, name: "Nom local" });
    const remote = getSim().hooks.referral(id);
    expect(remote).toMatchObject({ name: "Nom local" });
    expect(notesOf(id)).toBe("theirs");
    const stored = await getStore().db.selectFrom("deal_conflicts").selectAll().execute();
    expect(stored.map((c) => [c.deal_id, c.field])).toEqual([[deal.id, "notes"]]);
  });

  it("re-reads on 412 and merges", async () => {
    const { world, connectionId } = await setup();
    await syncConnection(getStore(), connectionId);
    const [r] = getSim().hooks.referrals();
    const id = String(r?.id);
    const deal = await dealOf(id);
    await updateDeal(getStore(), world.admin, deal.id, null, { notes: "ours" });
    // The referral changes between our list and our PATCH: the eTag we hold is stale.
    getSim().hooks.editBeforeNextPatch(id, (x) => {
      x.name = "Renamed by Microsoft";
    });
    getSim().hooks.resetStats();
    const result = await syncConnection(getStore(), connectionId);
    expect(result.errors).toEqual([]);
    expect(notesOf(id)).toBe("ours");
    expect((await dealOf(id)).name).toBe("Renamed by Microsoft");
    // The first PATCH met 412, the re-read GET, then the second PATCH.
    expect(getSim().hooks.stats().requests["PATCH referral"]).toBe(2);
    expect(getSim().hooks.stats().requests["GET referral"]).toBe(1);
  });
});

describe("real-API behaviour", () => {
  it("waits Retry-After on 429, never less, and loses or duplicates nothing", async () => {
    const { world, connectionId } = await setup();
    await createDeal(getStore(), world.admin, newDealInput({ name: "Throttled" }));
    getSim().hooks.throttle(3, 2);
    const waits: number[] = [];
    const result = await syncConnection(getStore(), connectionId, {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(result.pulled.created).toBe(12);
    expect(result.pushed.created).toBe(1);
    expect(waits.length).toBeGreaterThan(0);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(2000);
    expect(
      getSim()
        .hooks.referrals()
        .filter((x) => x.name === "Throttled"),
    ).toHaveLength(1);
    expect((await getStore().db.selectFrom("deals").select("id").execute()).length).toBe(13);
  });

  it("refreshes once on an expired token and keeps the rotated refresh token", async () => {
    const { connectionId } = await setup();
    await syncConnection(getStore(), connectionId);
    getSim().hooks.expireTokens();
    getSim().hooks.editReferral(String(getSim().hooks.referrals()[0]?.id), (x) => {
      x.name = "After expiry";
    });
    const result = await syncConnection(getStore(), connectionId);
    expect(result.pulled.updated).toBe(1);
    // The simulator spends each refresh token: a third sync works only on the kept one.
    const third = await syncConnection(getStore(), connectionId);
    expect(third.errors).toEqual([]);
  });

  it("records a refused change on its deal and goes on with the rest", async () => {
    const { world, connectionId } = await setup();
    await syncConnection(getStore(), connectionId);
    const [a, b] = getSim().hooks.referrals();
    const dealA = await dealOf(String(a?.id));
    const dealB = await dealOf(String(b?.id));
    await updateDeal(getStore(), world.admin, dealA.id, null, { notes: "A" });
    await updateDeal(getStore(), world.admin, dealB.id, null, { notes: "B" });
    // Closed on Microsoft's side after our list: the PATCH of A meets a closed referral.
    getSim().hooks.editBeforeNextPatch(String(a?.id), (x) => {
      x.status = "Closed";
      x.substatus = "Expired";
    });
    const result = await syncConnection(getStore(), connectionId);
    expect(result.errors.map((e) => [e.deal, e.code])).toEqual([[dealA.id, "invalidRequest"]]);
    expect(notesOf(String(b?.id))).toBe("B");
    expect((await dealOf(String(a?.id))).substatus).toBe("Expired");
  });
});
