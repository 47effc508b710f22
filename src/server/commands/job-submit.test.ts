import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../core/limits.js";
import { setupTestStore } from "../../test-support/db.js";
import { csvBytes, makeWorld, newDealRow } from "../../test-support/deals.js";
import { toCount } from "../db/count.js";
import { submitExport, submitImport } from "./job-submit.js";

describe("submitting jobs", () => {
  const store = setupTestStore();

  it("answers two submissions racing with one Idempotency-Key with the one job", async () => {
    const { admin } = await makeWorld(store());
    const input = {
      actor: admin,
      bytes: csvBytes([newDealRow()]),
      fileName: "deals.csv",
      dryRun: false,
      upsertByCrmId: false,
      idempotencyKey: "same-key",
      limits: DEFAULT_LIMITS,
    };
    // Both check the key before either has written: the unique index decides, and the loser
    // answers with the winner's job.
    const [a, b] = await Promise.all([submitImport(store(), input), submitImport(store(), input)]);
    expect(a.id).toBe(b.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const jobs = await store()
      .db.selectFrom("jobs")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirst();
    expect(toCount(jobs?.n ?? 0)).toBe(1);
  });

  it("refuses a key already used for another kind of job", async () => {
    const { admin } = await makeWorld(store());
    await submitExport(store(), { actor: admin, filter: {}, lang: "en", idempotencyKey: "k" });
    await expect(
      submitImport(store(), {
        actor: admin,
        bytes: csvBytes([newDealRow()]),
        fileName: null,
        dryRun: false,
        upsertByCrmId: false,
        idempotencyKey: "k",
        limits: DEFAULT_LIMITS,
      }),
    ).rejects.toMatchObject({ code: "conflict" });
  });
});
