/**
 * Undo of an import on the real store: a 1,000-row update import undone restores every field
 * of every deal not edited since, leaves the edited ones alone and says so, its dry run is its
 * real run, and it cannot run twice; a create import undone closes its deals as Error, reason 1.
 */
import { describe, expect, it } from "vitest";
import { RequestError } from "../../core/errors.js";
import { setupTestStore } from "../../test-support/db.js";
import { importRows, makeWorld, newDealRow } from "../../test-support/deals.js";
import { findDealsByIds } from "../db/deals-repo.js";
import { CHANGED_SINCE, undoImport } from "./undo-import.js";

const store = setupTestStore();

/** A deal's fields, without what any write moves (time, version). */
const fieldsOf = (d: { updatedAt: string; version: number }) => {
  const { updatedAt: _, version: __, ...rest } = d;
  return rest;
};

describe("cosell import undo", () => {
  it("after a 1,000-row update import, restores every field, skips the deals edited since; the dry run is the real run", async () => {
    const { admin } = await makeWorld(store());
    const created = await importRows(
      store(),
      admin,
      Array.from({ length: 1000 }, (_, i) =>
        newDealRow({ "Deal Name": `Deal ${i}`, "CRM ID": `CRM-${i}`, Notes: i % 2 ? "odd" : "" }),
      ),
    );
    expect(created.created).toBe(1000);
    const ids = created.rows.map((r) => r.referralId ?? "");
    const before = new Map(
      (await findDealsByIds(store().db, admin.orgId, ids)).map((d) => [d.id, fieldsOf(d)]),
    );

    const update = await importRows(
      store(),
      admin,
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

    // Three deals edited since, by another import.
    const edited = [ids[3] ?? "", ids[500] ?? "", ids[999] ?? ""];
    const later = await importRows(
      store(),
      admin,
      edited.map((id) =>
        newDealRow({ "Referral ID": id, "Deal Name": "Edited later", "CRM ID": "" }),
      ),
    );
    expect(later.updated).toBe(3);

    const dry = await undoImport(store(), { actor: admin, importId, dryRun: true });
    const real = await undoImport(store(), { actor: admin, importId });
    expect(dry).toMatchObject({
      dryRun: true,
      importId: null,
      total: 1000,
      undone: 997,
      notUndone: 3,
    });
    expect(real).toMatchObject({ dryRun: false, total: 1000, undone: 997, notUndone: 3 });
    expect(real.importId).toEqual(expect.any(String));
    expect(dry.rows).toEqual(real.rows);
    expect(
      real.rows.filter((r) => r.result === "Not undone").map((r) => [r.referralId, r.reason]),
    ).toEqual(edited.map((id) => [id, CHANGED_SINCE]));

    const after = await findDealsByIds(store().db, admin.orgId, ids);
    for (const deal of after) {
      if (edited.includes(deal.id)) {
        expect(deal.name).toBe("Edited later");
      } else {
        expect(fieldsOf(deal)).toEqual(before.get(deal.id));
      }
    }

    await expect(undoImport(store(), { actor: admin, importId })).rejects.toThrow(/already undone/);
  }, 120_000);

  it("closes the deals a create import made as Error, reason 1; a plain user may undo only their own import", async () => {
    const { admin, user } = await makeWorld(store());
    const created = await importRows(store(), admin, [
      newDealRow(),
      newDealRow({ "Deal Name": "B" }),
    ]);
    const importId = created.importId ?? "";
    await expect(undoImport(store(), { actor: user, importId })).rejects.toBeInstanceOf(
      RequestError,
    );
    const s = await undoImport(store(), { actor: admin, importId });
    expect(s).toMatchObject({ undone: 2, notUndone: 0 });
    const deals = await findDealsByIds(
      store().db,
      admin.orgId,
      created.rows.map((r) => r.referralId ?? ""),
    );
    expect(deals.map((d) => [d.status, d.substatus, d.closeReason])).toEqual([
      ["Closed", "Error", 1],
      ["Closed", "Error", 1],
    ]);
  });

  it("reports a deal the import closed as Won as not undone: Closed is terminal (SPEC §6)", async () => {
    const { admin } = await makeWorld(store());
    const created = await importRows(store(), admin, [newDealRow()]);
    const id = created.rows[0]?.referralId ?? "";
    const won = await importRows(store(), admin, [
      newDealRow({
        "Referral ID": id,
        "Partner Referral Status": "Closed",
        "Partner Referral Substatus": "Won",
      }),
    ]);
    expect(won.updated).toBe(1);
    const s = await undoImport(store(), { actor: admin, importId: won.importId ?? "" });
    expect(s).toMatchObject({ undone: 0, notUndone: 1 });
    expect(s.rows[0]?.reason).toMatch(/Closed|terminal|closed/);
  });

  it("refuses an import older than the undo window", async () => {
    const { admin } = await makeWorld(store());
    const created = await importRows(store(), admin, [newDealRow()]);
    const inTenDays = new Date(Date.now() + 10 * 86_400_000);
    await expect(
      undoImport(store(), {
        actor: admin,
        importId: created.importId ?? "",
        now: inTenDays,
      }),
    ).rejects.toThrow(/more than 7 days ago/);
  });
});
