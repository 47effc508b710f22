import { describe, expect, it } from "vitest";
import { setupTestStore } from "../../test-support/db.js";
import { makeWorld } from "../../test-support/deals.js";
import {
  claimJob,
  heartbeat,
  insertJob,
  reapStuckJobs,
  removeOldFiles,
  settleJob,
} from "./jobs-repo.js";

const HOUR = 60 * 60 * 1000;

describe("the job queue", () => {
  const store = setupTestStore();

  const submit = async (at = new Date().toISOString()) => {
    const { admin } = await makeWorld(store());
    const id = await insertJob(
      store().db,
      {
        kind: "export",
        orgId: admin.orgId,
        userId: admin.userId,
        params: {},
        files: [
          { role: "export", name: "x.csv", contentType: "text/csv", data: new Uint8Array([65]) },
        ],
      },
      at,
    );
    return id;
  };

  const statusOf = async (id: string) =>
    await store()
      .db.selectFrom("jobs")
      .select(["status", "attempts", "error_code"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();

  it("gives a claimed job to one worker, and never a finished one again", async () => {
    const id = await submit();
    const job = await claimJob(store(), "w1", 60_000);
    expect(job?.id).toBe(id);
    expect(await claimJob(store(), "w2", 60_000)).toBeUndefined();
    expect(await settleJob(store().db, id, "w2", "succeeded")).toBe(false);
    expect(await settleJob(store().db, id, "w1", "succeeded")).toBe(true);
    expect(await settleJob(store().db, id, "w1", "queued")).toBe(false);
    expect(await statusOf(id)).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("requeues a job whose worker stopped renewing its lease, and gives up after the last attempt", async () => {
    const id = await submit();
    await claimJob(store(), "w1", 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await reapStuckJobs(store().db, 2)).toEqual({ requeued: 1, failed: 0 });
    expect(await statusOf(id)).toMatchObject({ status: "queued" });
    await claimJob(store(), "w2", 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await reapStuckJobs(store().db, 2)).toEqual({ requeued: 0, failed: 1 });
    expect(await statusOf(id)).toMatchObject({
      status: "failed",
      attempts: 2,
      error_code: "gave_up",
    });
  });

  it("counts attempts without progress, not attempts: a job that moves on at every attempt is resumed", async () => {
    const id = await submit();
    const dies = async (owner: string, done?: number) => {
      await claimJob(store(), owner, 1);
      if (done !== undefined) await heartbeat(store().db, id, owner, 1, { done, total: 10 });
      await new Promise((r) => setTimeout(r, 20));
      return reapStuckJobs(store().db, 2);
    };
    // Four deaths, each after some progress: never given up on.
    for (const [i, done] of [2, 4, 6, 8].entries()) {
      expect(await dies(`w${i}`, done)).toEqual({ requeued: 1, failed: 0 });
    }
    // One death without progress is the first of two allowed, the second gives up.
    expect(await dies("w5")).toEqual({ requeued: 1, failed: 0 });
    // Progress again resets the count.
    expect(await dies("w6", 9)).toEqual({ requeued: 1, failed: 0 });
    expect(await dies("w7")).toEqual({ requeued: 1, failed: 0 });
    expect(await dies("w8")).toEqual({ requeued: 0, failed: 1 });
    expect(await statusOf(id)).toMatchObject({
      status: "failed",
      attempts: 8,
      error_code: "gave_up",
    });
  });

  it("removes files older than the retention, and keeps the others", async () => {
    const old = await submit(new Date(Date.now() - 10 * HOUR).toISOString());
    const files = () => store().db.selectFrom("job_files").select("job_id").execute();
    expect(await files()).toHaveLength(1);
    expect(await removeOldFiles(store().db, 24 * HOUR)).toBe(0);
    expect(await removeOldFiles(store().db, HOUR)).toBe(1);
    expect((await files()).map((f) => f.job_id)).not.toContain(old);
  });
});
