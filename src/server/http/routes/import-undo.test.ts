/** `POST /api/imports/:id/undo`: dry run, undo, and a second undo refused (409). */
import { describe, expect, it } from "vitest";
import { importRows, newDealRow } from "../../../test-support/deals.js";
import { setupTestServer, withToken } from "../../../test-support/http.js";

describe("POST /api/imports/:id/undo", () => {
  const server = setupTestServer();

  it("shows, then does, the undo of an import; a second one is a 409", async () => {
    const s = server();
    const imported = await importRows(s.store, s.admin, [newDealRow()]);
    const admin = await withToken(s, s.admin);
    const post = (body: unknown) =>
      admin.json<{ undone: number; dryRun: boolean; error?: { code: string } }>(
        `/api/imports/${imported.importId}/undo`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        },
      );
    const dry = await post({ dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, undone: 1 });
    const real = await post({});
    expect(real.body).toMatchObject({ dryRun: false, undone: 1 });
    const again = await post({});
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe("conflict");
  });
});
