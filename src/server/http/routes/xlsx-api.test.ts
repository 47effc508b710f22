/**
 * Excel workbooks through the HTTP API: the template download, an export job with
 * `format: "xlsx"`, and an import of workbook bytes (recognised by their content).
 */
import { describe, expect, it } from "vitest";
import { isJobFinished, type JobStatus } from "../../../core/jobs.js";
import { importRows, newDealRow } from "../../../test-support/deals.js";
import { type Client, setupTestServer, withToken } from "../../../test-support/http.js";
import { useWorker } from "../../../test-support/worker.js";
import { XLSX_TYPE } from "../../xlsx/export-workbook.js";
import { isXlsx, readWorkbook } from "../../xlsx/read-workbook.js";

const finished = async (c: Client, path: string): Promise<Record<string, unknown>> => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await c.json<{ status: JobStatus } & Record<string, unknown>>(path);
    if (isJobFinished(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`${path} is still ${res.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe("xlsx through the API", () => {
  const server = setupTestServer();
  useWorker(server);

  it("GET /api/template?format=xlsx is a workbook with the template's headers", async () => {
    const res = await fetch(`${server().url}/api/template?format=xlsx&lang=fr`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(XLSX_TYPE);
    expect(res.headers.get("content-disposition")).toContain("modele-co-vente.xlsx");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(isXlsx(bytes)).toBe(true);
    const table = await readWorkbook(bytes);
    expect(table.header).toContain("Nom de la transaction");
  });

  it("an export job in xlsx, uploaded back as an import job, is all Unchanged", async () => {
    const s = server();
    await importRows(s.store, s.admin, [newDealRow(), newDealRow({ "Deal Name": "Second" })]);
    const admin = await withToken(s, s.admin);
    const submitted = await admin.json<{ id: string }>("/api/exports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ format: "xlsx" }),
    });
    expect(submitted.status).toBe(202);
    const job = await finished(admin, `/api/exports/${submitted.body.id}`);
    expect(job).toMatchObject({
      status: "succeeded",
      result: { count: 2, fileName: expect.stringMatching(/\.xlsx$/) },
    });
    const file = await admin.fetch(`/api/exports/${submitted.body.id}/file`);
    expect(file.headers.get("content-type")).toBe(XLSX_TYPE);
    const bytes = new Uint8Array(await file.arrayBuffer());

    const imported = await admin.json<{ id: string }>("/api/imports", {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(202);
    const done = await finished(admin, `/api/imports/${imported.body.id}`);
    expect(done).toMatchObject({ status: "succeeded", summary: { total: 2, unchanged: 2 } });
  });
});
