/** Presets, the mapping preview, an upload read through a preset, and cells corrected in the browser, over HTTP. */
import { describe, expect, it } from "vitest";
import { isJobFinished, type JobStatus } from "../../../core/jobs.js";
import { guessMapping, mappingOf } from "../../../core/column-mapping.js";
import { SALESFORCE_HEADERS, salesforceRow } from "../../../test-support/crm-export.js";
import { csvBytes, newDealRow } from "../../../test-support/deals.js";
import { type Client, setupTestServer, withToken } from "../../../test-support/http.js";
import { useWorker } from "../../../test-support/worker.js";

const finished = async (c: Client, path: string): Promise<Record<string, unknown>> => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await c.json<{ status: JobStatus } & Record<string, unknown>>(path);
    if (isJobFinished(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`${path} is still ${res.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe("column mapping over HTTP", () => {
  const server = setupTestServer();
  useWorker(server);

  it("saves a preset, previews a file with it picked, and imports through it", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const mapping = mappingOf(guessMapping(SALESFORCE_HEADERS));
    const saved = await admin.json("/api/import-presets/Salesforce", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mapping }),
    });
    expect(saved.status).toBe(200);
    const bytes = new Uint8Array(
      csvBytes([salesforceRow(1), salesforceRow(2)], SALESFORCE_HEADERS),
    );

    const preview = await admin.json<{
      columns: { header: string; target: string | null; source: string; samples: string[] }[];
      preset: { name: string } | null;
    }>("/api/imports/preview", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: bytes,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.preset?.name).toBe("Salesforce");
    expect(preview.body.columns[0]).toMatchObject({
      header: "Opportunity Name",
      target: "Deal Name",
      source: "preset",
      samples: ["Fabrikam renewal 1", "Fabrikam renewal 2"],
    });

    const submitted = await admin.json<{ id: string }>("/api/imports", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: bytes,
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const job = await finished(admin, `/api/imports/${submitted.body.id}`);
    expect(job).toMatchObject({ status: "succeeded", summary: { created: 2, notProcessed: 0 } });

    // An explicit mapping in the query wins over the preset, and is checked: a bad target is a 400.
    const explicit = await admin.json<{ error: { code: string } }>(
      `/api/imports?mapping=${encodeURIComponent(JSON.stringify({ Amount: "No such column" }))}`,
      { method: "POST", headers: { "content-type": "text/csv" }, body: bytes },
    );
    expect(explicit.status).toBe(400);
    expect(explicit.body.error.code).toBe("invalid_argument");
  });

  it("keeps the cells corrected in the browser in the import record; a malformed list is a 400", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const upload = (corrected: string) => {
      const form = new FormData();
      form.append("corrected", corrected);
      form.append(
        "file",
        new Blob([new Uint8Array(csvBytes([newDealRow({ "Customer Country": "US" })]))]),
        "fixed.csv",
      );
      return admin.json<{ id: string; error?: { code: string } }>("/api/imports", {
        method: "POST",
        body: form,
      });
    };
    const cells = [{ row: 1, column: "Customer Country", from: "USA", to: "US" }];
    const submitted = await upload(JSON.stringify(cells));
    expect(submitted.status).toBe(202);
    const job = await finished(admin, `/api/imports/${submitted.body.id}`);
    expect(job).toMatchObject({ status: "succeeded", correctedCells: cells, undoneAt: null });

    const bad = await upload(JSON.stringify([{ row: "one" }]));
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe("invalid_argument");
  });
});
