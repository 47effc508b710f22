/**
 * Undo of an import through the API, as a job run by a real worker: after a 1,000-row update
 * import, the undo's dry run reports exactly what its real run then does — every field of
 * every deal restored but the ones edited since, which are left alone and said so; the
 * undo's own audit entries; the history (`GET /api/undos`, `undoneAt`); a second undo is a 409.
 */
import { describe, expect, it } from "vitest";
import type {
  ImportListSchema,
  UndoJobJson,
  UndoListSchema,
} from "../../../core/api/job-schemas.js";
import { isJobFinished } from "../../../core/jobs.js";
import { importRows, newDealRow } from "../../../test-support/deals.js";
import { type Client, setupTestServer, withToken } from "../../../test-support/http.js";
import { useWorker } from "../../../test-support/worker.js";
import { findDealsByIds } from "../../db/deals-repo.js";
import { CHANGED_SINCE } from "../../commands/undo-import.js";
import type { Static } from "typebox";

/** A deal's fields, without what any write moves (time, version). */
const fieldsOf = (d: { updatedAt: string; version: number }) => {
  const { updatedAt: _, version: __, ...rest } = d;
  return rest;
};

const undo = async (c: Client, importId: string, body: unknown) => {
  const res = await c.json<{ id: string; links: { self: string }; error?: { code: string } }>(
    `/api/imports/${importId}/undo`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    },
  );
  return res;
};

/** Polls an undo job until it has ended. */
const finished = async (c: Client, path: string): Promise<UndoJobJson> => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await c.json<UndoJobJson>(path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    if (isJobFinished(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`${path} is still ${res.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe("POST /api/imports/:id/undo (a job)", () => {
  const server = setupTestServer();
  useWorker(server);

  it("after a 1,000-row update import: the dry run is the real run, every field restored, the deals edited since left alone", async () => {
    const s = server();
    const created = await importRows(
      s.store,
      s.admin,
      Array.from({ length: 1000 }, (_, i) =>
        newDealRow({ "Deal Name": `Deal ${i}`, "CRM ID": `CRM-${i}`, Notes: i % 2 ? "odd" : "" }),
      ),
    );
    const ids = created.rows.map((r) => r.referralId ?? "");
    const before = new Map(
      (await findDealsByIds(s.store.db, s.admin.orgId, ids)).map((d) => [d.id, fieldsOf(d)]),
    );
    const update = await importRows(
      s.store,
      s.admin,
      ids.map((id, i) =>
        newDealRow({
          "Referral ID": id,
          "Deal Name": `Renamed ${i}`,
          "CRM ID": `CRM-${i}`,
          "Estimated Deal Value": String(20000 + i),
          Notes: `updated ${i}`,
          "Sales Stage": "60",
          "Solution 2": "SOL-9999-ZZZZ, EUR, 5, 2",
        }),
      ),
    );
    expect(update.updated).toBe(1000);
    const importId = update.importId ?? "";

    const admin = await withToken(s, s.admin);
    // Two deals edited since through the API.
    const edited = [ids[7] ?? "", ids[998] ?? ""];
    for (const id of edited) {
      const deal = await admin.fetch(`/api/deals/${id}`);
      const patched = await admin.fetch(`/api/deals/${id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "if-match": deal.headers.get("etag") ?? "" },
        body: JSON.stringify({ name: "Edited later" }),
      });
      expect(patched.status).toBe(200);
    }

    const dryPosted = await undo(admin, importId, { dryRun: true });
    expect(dryPosted.status).toBe(202);
    const dry = await finished(admin, dryPosted.body.links.self);
    expect(dry).toMatchObject({
      kind: "undo",
      status: "succeeded",
      undoOf: importId,
      dryRun: true,
    });
    expect(dry.result).toMatchObject({ total: 1000, undone: 998, notUndone: 2, importId: null });
    // A dry run changes nothing and does not count as the undo.
    const stillUpdated = await findDealsByIds(s.store.db, s.admin.orgId, [ids[0] ?? ""]);
    expect(stillUpdated[0]?.name).toBe("Renamed 0");

    const realPosted = await undo(admin, importId, {});
    expect(realPosted.status).toBe(202);
    const real = await finished(admin, realPosted.body.links.self);
    expect(real).toMatchObject({ status: "succeeded", dryRun: false });
    expect(real.progress).toEqual({ processed: 1000, total: 1000 });
    expect(real.result?.rows).toEqual(dry.result?.rows);
    expect(
      real.result?.rows
        .filter((r) => r.result === "Not undone")
        .map((r) => [r.referralId, r.reason]),
    ).toEqual(edited.map((id) => [id, CHANGED_SINCE]));

    const after = await findDealsByIds(s.store.db, s.admin.orgId, ids);
    for (const deal of after) {
      if (edited.includes(deal.id)) expect(deal.name).toBe("Edited later");
      else expect(fieldsOf(deal)).toEqual(before.get(deal.id));
    }

    // The undo's own audit entries.
    const trail = await admin.json<{ items: { source: string; origin: string | null }[] }>(
      `/api/deals/${ids[0]}/history`,
    );
    expect(trail.body.items[0]).toMatchObject({
      source: "undo",
      origin: `undo of import ${importId}`,
    });

    // The history says so.
    const list = await admin.json<Static<typeof ImportListSchema>>("/api/imports?dryRun=false");
    const undoneImport = list.body.items.find((i) => i.id === importId);
    expect(undoneImport?.undoneAt).toEqual(expect.any(String));
    expect(list.body.items.find((i) => i.id === created.importId)?.undoneAt).toBeNull();
    const undos = await admin.json<Static<typeof UndoListSchema>>("/api/undos");
    expect(undos.body.total).toBe(1);
    expect(undos.body.items[0]).toMatchObject({
      undoOf: importId,
      jobId: realPosted.body.id,
      undoneBy: s.admin.email,
      undone: 998,
      notUndone: 2,
    });
    expect(undos.body.items[0]?.rows).toEqual(real.result?.rows);

    const again = await undo(admin, importId, {});
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe("conflict");
  }, 180_000);

  it("a POST with no body is a real undo; someone else's import is not found to a Referrals user", async () => {
    const s = server();
    const imported = await importRows(s.store, s.admin, [newDealRow()]);
    const user = await withToken(s, s.user);
    expect((await undo(user, imported.importId ?? "", {})).status).toBe(404);

    const admin = await withToken(s, s.admin);
    const posted = await admin.json<{ links: { self: string } }>(
      `/api/imports/${imported.importId}/undo`,
      { method: "POST" },
    );
    expect(posted.status).toBe(202);
    const job = await finished(admin, posted.body.links.self);
    expect(job.result).toMatchObject({ dryRun: false, undone: 1 });
    expect((await user.json(posted.body.links.self)).status).toBe(404);
  });
});
