import { describe, expect, it } from "vitest";
import { readCsv } from "../../../core/csv/index.js";
import { isJobFinished, type JobStatus } from "../../../core/jobs.js";
import { DEFAULT_LIMITS } from "../../../core/limits.js";
import { CO_SELL_CELLS, csvBytes, importRows, newDealRow } from "../../../test-support/deals.js";
import {
  type Client,
  setupTestServer,
  signedIn,
  type TestServer,
  withToken,
} from "../../../test-support/http.js";
import { readSharedFixture } from "../../../test-support/shared-fixtures.js";
import { useWorker } from "../../../test-support/worker.js";
import { toCount } from "../../db/count.js";
import { findDealsByIds } from "../../db/deals-repo.js";

interface Submitted {
  id: string;
  status: JobStatus;
  links: Record<string, string>;
}

interface ImportJob {
  id: string;
  kind: "import";
  status: JobStatus;
  progress: { processed: number; total: number };
  dryRun: boolean;
  fileName: string | null;
  submittedBy: string;
  error: { code: string; message: string } | null;
  summary: {
    partial?: true;
    dryRun: boolean;
    total: number;
    created: number;
    updated: number;
    unchanged: number;
    notProcessed: number;
    ignoredColumns: string[];
  } | null;
  resultsReady: boolean;
}

interface ExportJob {
  id: string;
  kind: "export";
  status: JobStatus;
  progress: { processed: number; total: number };
  result: { count: number; leftOut: number; fileName: string } | null;
  error: { code: string; message: string } | null;
}

interface Row {
  row: number;
  result: string;
  referralId: string | null;
  errors: { code: string }[];
  changes: { field: string; from: string | null; to: string | null }[];
}

interface ErrorBody {
  error: { code: string; message: string };
}

/** Polls a job until it has ended. */
const finished = async <T extends { status: JobStatus }>(c: Client, path: string): Promise<T> => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await c.json<T>(path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    if (isJobFinished(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`${path} is still ${res.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const multipart = (
  bytes: Uint8Array,
  name = "create-en.csv",
  fields: Record<string, string> = {},
): RequestInit => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "text/csv" }), name);
  return { method: "POST", body: form };
};

const raw = (bytes: Uint8Array, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "text/csv", ...headers },
  body: new Uint8Array(bytes),
});

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

const rowsIn = async (s: TestServer, table: "jobs" | "imports" | "deals"): Promise<number> => {
  const row = await s.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirst();
  return toCount(row?.n ?? 0);
};

const submitImport = async (c: Client, init: RequestInit, query = ""): Promise<Submitted> => {
  const res = await c.json<Submitted>(`/api/imports${query}`, init);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body;
};

describe("import jobs", () => {
  const server = setupTestServer();
  useWorker(server);

  it("imports a file sent as multipart and follows it to its summary, rows and results file", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const res = await admin.json<Submitted>(
      "/api/imports",
      multipart(readSharedFixture("create-en.csv")),
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued" });
    expect(res.headers.get("location")).toBe(`/api/imports/${res.body.id}`);

    const job = await finished<ImportJob>(admin, `/api/imports/${res.body.id}`);
    expect(job).toMatchObject({
      kind: "import",
      status: "succeeded",
      progress: { processed: 12, total: 12 },
      dryRun: false,
      fileName: "create-en.csv",
      submittedBy: "admin@contoso.example",
      error: null,
      resultsReady: true,
      summary: { dryRun: false, total: 12, created: 12, updated: 0, unchanged: 0, notProcessed: 0 },
    });

    const rows = await admin.json<{ items: Row[] }>(`/api/imports/${res.body.id}/rows`);
    expect(rows.body.items.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(rows.body.items.every((r) => r.result === "Created" && r.referralId)).toBe(true);

    const results = await admin.fetch(`/api/imports/${res.body.id}/results`);
    expect(results.status).toBe(200);
    expect(results.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(results.headers.get("content-disposition")).toBe(
      'attachment; filename="create-en-results.csv"',
    );
    const text = await results.text();
    expect(text).toContain("Import Result");
    expect(text.match(/Created/g)?.length).toBeGreaterThanOrEqual(12);
    expect(await rowsIn(s, "deals")).toBe(12);
  });

  it("imports a raw text/csv body, with the options in the query", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const { id } = await submitImport(
      admin,
      raw(readSharedFixture("create-en.csv")),
      "?fileName=deals.csv&upsertByCrmId=false",
    );
    const job = await finished<ImportJob>(admin, `/api/imports/${id}`);
    expect(job).toMatchObject({ status: "succeeded", fileName: "deals.csv" });
    expect(job.summary).toMatchObject({ created: 12, notProcessed: 0 });
  });

  it("keeps a file name beyond ASCII, and names the results file after it", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const { id } = await submitImport(admin, multipart(csvBytes([newDealRow()]), "Données Q3.csv"));
    const job = await finished<ImportJob>(admin, `/api/imports/${id}`);
    expect(job.fileName).toBe("Données Q3.csv");
    const results = await admin.fetch(`/api/imports/${id}/results`);
    expect(results.headers.get("content-disposition")).toBe(
      `attachment; filename="Donn_es Q3-results.csv"; filename*=UTF-8''Donn%C3%A9es%20Q3-results.csv`,
    );
  });

  it("runs a dry run: the same summary and rows with their field changes, and nothing written", async () => {
    const s = server();
    const first = await importRows(s.store, s.admin, [newDealRow()]);
    const id = first.rows[0]?.referralId ?? "";
    const before = await rowsIn(s, "deals");
    const admin = await withToken(s, s.admin);
    const file = csvBytes([
      newDealRow({ "Referral ID": id, "Deal Name": "Contoso migration, phase 2" }),
      newDealRow({ "Deal Name": "A brand new deal" }),
    ]);
    const submitted = await submitImport(admin, multipart(file, "update.csv", { dryRun: "true" }));
    const job = await finished<ImportJob>(admin, `/api/imports/${submitted.id}`);
    expect(job.summary).toEqual({
      dryRun: true,
      total: 2,
      created: 1,
      updated: 1,
      unchanged: 0,
      notProcessed: 0,
      ignoredColumns: [],
    });
    expect(job.dryRun).toBe(true);

    const rows = await admin.json<{ items: Row[] }>(`/api/imports/${submitted.id}/rows`);
    expect(rows.body.items[0]).toMatchObject({ result: "Updated", referralId: id });
    expect(rows.body.items[0]?.changes).toContainEqual(
      expect.objectContaining({
        field: "name",
        from: "Contoso cloud migration",
        to: "Contoso migration, phase 2",
      }),
    );
    expect(rows.body.items[1]).toMatchObject({ result: "Created", referralId: null });

    expect(await rowsIn(s, "deals")).toBe(before);
    const [deal] = await findDealsByIds(s.store.db, s.admin.orgId, [id]);
    expect(deal?.name).toBe("Contoso cloud migration");
    expect((await admin.fetch(`/api/imports/${submitted.id}/results`)).status).toBe(200);
  });

  it("keeps the history newest first: an admin sees the organisation's, a user their own", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const user = await withToken(s, s.user);
    const a = await submitImport(admin, raw(csvBytes([newDealRow()])), "?fileName=a.csv");
    await finished(admin, `/api/imports/${a.id}`);
    const b = await submitImport(user, raw(csvBytes([newDealRow()])), "?fileName=b.csv");
    await finished(user, `/api/imports/${b.id}`);
    // An import made with the CLI is part of the history too.
    const c = await importRows(s.store, s.admin, [newDealRow()]);

    const all = await admin.json<{ items: ImportJob[]; total: number }>("/api/imports");
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((i) => i.id)).toEqual([c.importId, b.id, a.id]);
    expect(all.body.items[0]).toMatchObject({
      status: "succeeded",
      progress: { processed: 1, total: 1 },
      summary: { created: 1 },
    });
    expect(all.body.items[1]?.submittedBy).toBe("ana.silva@contoso.example");

    const page = await admin.json<{ items: ImportJob[]; total: number }>(
      "/api/imports?limit=1&offset=1",
    );
    expect(page.body).toMatchObject({ total: 3 });
    expect(page.body.items.map((i) => i.id)).toEqual([b.id]);

    const own = await user.json<{ items: ImportJob[]; total: number }>("/api/imports");
    expect(own.body.items.map((i) => i.id)).toEqual([b.id]);
    expect(own.body.total).toBe(1);
    expect((await user.fetch(`/api/imports/${a.id}`)).status).toBe(404);
    expect((await user.fetch(`/api/imports/${a.id}/results`)).status).toBe(404);
    expect((await admin.fetch(`/api/imports/${b.id}`)).status).toBe(200);
  });

  it("returns the same job for the same Idempotency-Key, even when the requests race", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const file = csvBytes([newDealRow()]);
    const once = await submitImport(admin, raw(file, { "idempotency-key": "upload-1" }));
    const again = await submitImport(admin, raw(file, { "idempotency-key": "upload-1" }));
    expect(again.id).toBe(once.id);

    const raced = await Promise.all(
      [1, 2, 3].map(() => submitImport(admin, raw(file, { "idempotency-key": "upload-2" }))),
    );
    expect(new Set(raced.map((r) => r.id)).size).toBe(1);
    expect(raced[0]?.id).not.toBe(once.id);

    // Keys belong to a user: another user's same key is another job.
    const user = await withToken(s, s.user);
    const theirs = await submitImport(user, raw(file, { "idempotency-key": "upload-1" }));
    expect(theirs.id).not.toBe(once.id);
    expect(await rowsIn(s, "jobs")).toBe(3);
    expect(await rowsIn(s, "imports")).toBe(3);
    await finished(admin, `/api/imports/${once.id}`);
  });

  it("refuses an Idempotency-Key sent again with another file or other options (409), never the old job", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const file = csvBytes([newDealRow()]);
    const first = await submitImport(admin, raw(file, { "idempotency-key": "k-1" }));
    const cases: [string, RequestInit, string][] = [
      [
        "another file",
        raw(csvBytes([newDealRow({ "Deal Name": "Other" })]), { "idempotency-key": "k-1" }),
        "",
      ],
      ["a dry run", raw(file, { "idempotency-key": "k-1" }), "?dryRun=true"],
      ["upsert by CRM ID", raw(file, { "idempotency-key": "k-1" }), "?upsertByCrmId=true"],
      ["another name", raw(file, { "idempotency-key": "k-1" }), "?fileName=other.csv"],
    ];
    for (const [what, init, query] of cases) {
      const res = await admin.json<{ id?: string; error?: { code: string; message: string } }>(
        `/api/imports${query}`,
        init,
      );
      expect(res.status, what).toBe(409);
      expect(res.body.id, what).toBeUndefined();
      expect(res.body.error, what).toMatchObject({
        code: "conflict",
        message: expect.stringContaining("already used for a different upload"),
      });
    }
    // The same request again is still the first job; nothing else was queued.
    expect((await submitImport(admin, raw(file, { "idempotency-key": "k-1" }))).id).toBe(first.id);
    expect(await rowsIn(s, "jobs")).toBe(1);

    // Exports: other filters under a used key are refused the same way.
    const exp = {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "e-1" },
    };
    const a = await admin.json<{ id: string }>("/api/exports", {
      ...exp,
      body: JSON.stringify({ tab: "outbound" }),
    });
    expect(a.status).toBe(202);
    const same = await admin.json<{ id: string }>("/api/exports", {
      ...exp,
      body: JSON.stringify({ tab: "outbound" }),
    });
    expect(same.body.id).toBe(a.body.id);
    const other = await admin.json<{ error: { code: string } }>("/api/exports", {
      ...exp,
      body: JSON.stringify({ tab: "outbound", lang: "fr" }),
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("conflict");
    await finished(admin, `/api/imports/${first.id}`);
  });

  it("keeps only the base name of an uploaded file's name, in the history and the download", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const { id } = await submitImport(
      admin,
      raw(csvBytes([newDealRow()])),
      `?fileName=${encodeURIComponent("../../etc/evil\\..\\deals.csv")}`,
    );
    const job = await finished<ImportJob>(admin, `/api/imports/${id}`);
    expect(job.fileName).toBe("deals.csv");
    const results = await admin.fetch(`/api/imports/${id}/results`);
    expect(results.headers.get("content-disposition")).toBe(
      'attachment; filename="deals-results.csv"',
    );
    // A record written before names were cleaned still downloads under its base name.
    await s.store.db
      .updateTable("imports")
      .set({ file_name: "../../x/old.csv" })
      .where("id", "=", id)
      .execute();
    const old = await admin.fetch(`/api/imports/${id}/results`);
    expect(old.headers.get("content-disposition")).toBe('attachment; filename="old-results.csv"');
  });

  it("exports the deals the filters select, as a file ready to download", async () => {
    const s = server();
    await importRows(s.store, s.admin, [
      newDealRow({ "Deal Name": "Seattle rollout" }),
      newDealRow({
        "Deal Name": "Lyon rollout",
        "Customer Country": "FR",
        "Customer City": "Lyon",
      }),
    ]);
    const admin = await withToken(s, s.admin);
    const res = await admin.json<Submitted>(
      "/api/exports",
      json({ countries: ["FR"], lang: "fr" }),
    );
    expect(res.status).toBe(202);
    expect(res.headers.get("location")).toBe(`/api/exports/${res.body.id}`);
    const job = await finished<ExportJob>(admin, `/api/exports/${res.body.id}`);
    expect(job).toMatchObject({
      kind: "export",
      status: "succeeded",
      progress: { processed: 1, total: 1 },
      error: null,
      result: { count: 1, leftOut: 0 },
    });
    const file = await admin.fetch(`/api/exports/${res.body.id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(file.headers.get("content-disposition")).toBe(
      `attachment; filename="${job.result?.fileName}"`,
    );
    const text = await file.text();
    expect(text).toContain("Nom de la transaction");
    expect(text).toContain("Lyon rollout");
    expect(text).not.toContain("Seattle rollout");
  });

  it("takes the list's filter names, and the old export names as deprecated aliases", async () => {
    const s = server();
    await importRows(s.store, s.admin, [
      newDealRow({ "Deal Name": "US co-sell", ...CO_SELL_CELLS }),
      newDealRow({ "Deal Name": "US partner-led" }),
      newDealRow({ "Deal Name": "FR co-sell", "Customer Country": "FR", ...CO_SELL_CELLS }),
    ]);
    const admin = await withToken(s, s.admin);
    const exported = async (body: object): Promise<string> => {
      const res = await admin.json<Submitted>("/api/exports", json(body));
      expect(res.status, JSON.stringify(body)).toBe(202);
      await finished(admin, `/api/exports/${res.body.id}`);
      return (await admin.fetch(`/api/exports/${res.body.id}/file`)).text();
    };
    for (const body of [
      { country: ["US"], type: "co-sell" },
      { country: "US", type: "Co-sell", customer: "contoso", solution: "SOL-1234-PQRS" },
      { countries: ["US"], type: "co-sell", customerName: "contoso", solutionId: "SOL-1234-PQRS" },
    ]) {
      const text = await exported(body);
      expect(text, JSON.stringify(body)).toContain("US co-sell");
      expect(text).not.toContain("US partner-led");
      expect(text).not.toContain("FR co-sell");
    }
    // The list answers the same names with the same deals.
    const list = await admin.json<{ items: { name: string }[] }>(
      "/api/deals?country=US&type=co-sell",
    );
    expect(list.body.items.map((d) => d.name)).toEqual(["US co-sell"]);
    // A name and its deprecated alias at once: which was meant cannot be told.
    const both = await admin.json<ErrorBody>(
      "/api/exports",
      json({ country: ["US"], countries: ["FR"] }),
    );
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/'country' or its deprecated alias 'countries'/);
  });

  it("exports in the submitter's scope; a user never sees an admin's export", async () => {
    const s = server();
    await importRows(s.store, s.admin, [
      newDealRow({
        "Deal Name": "Ana's deal",
        "Team member 1": "Ana, Silva, , ana.silva@contoso.example",
      }),
      newDealRow({ "Deal Name": "Admin's deal" }),
    ]);
    const admin = await withToken(s, s.admin);
    const user = await withToken(s, s.user);
    // No body at all: every deal in scope.
    const mine = await user.json<Submitted>("/api/exports", { method: "POST" });
    expect(mine.status).toBe(202);
    const job = await finished<ExportJob>(user, `/api/exports/${mine.body.id}`);
    expect(job.result).toMatchObject({ count: 1, leftOut: 0 });
    const text = await (await user.fetch(`/api/exports/${mine.body.id}/file`)).text();
    expect(text).toContain("Ana's deal");
    expect(text).not.toContain("Admin's deal");
    // An admin may follow a user's export, not the reverse.
    expect((await admin.fetch(`/api/exports/${mine.body.id}`)).status).toBe(200);
    const theirs = await admin.json<Submitted>("/api/exports", json({}));
    await finished(admin, `/api/exports/${theirs.body.id}`);
    expect((await user.fetch(`/api/exports/${theirs.body.id}`)).status).toBe(404);
    expect((await user.fetch(`/api/exports/${theirs.body.id}/file`)).status).toBe(404);
  });

  it("never shows another organisation's jobs, not even that they exist", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const imported = await submitImport(admin, raw(csvBytes([newDealRow()])));
    await finished(admin, `/api/imports/${imported.id}`);
    const exported = await admin.json<Submitted>("/api/exports", json({}));
    await finished(admin, `/api/exports/${exported.body.id}`);

    const stranger = await withToken(s, s.stranger);
    const missing = await stranger.json<ErrorBody>(`/api/imports/${imported.id}`);
    const unknown = await stranger.json<ErrorBody>(
      "/api/imports/00000000-0000-0000-0000-000000000000",
    );
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(unknown.body);
    for (const path of [
      `/api/imports/${imported.id}/rows`,
      `/api/imports/${imported.id}/results`,
      `/api/exports/${exported.body.id}`,
      `/api/exports/${exported.body.id}/file`,
      // An import is not an export, and the reverse.
      `/api/exports/${imported.id}`,
    ]) {
      expect((await stranger.fetch(path)).status, path).toBe(404);
    }
    expect((await admin.fetch(`/api/exports/${imported.id}`)).status).toBe(404);
    expect(
      (await stranger.fetch(`/api/imports/${imported.id}/cancel`, { method: "POST" })).status,
    ).toBe(404);
    const list = await stranger.json<{ items: unknown[]; total: number }>("/api/imports");
    expect(list.body).toEqual({ items: [], total: 0 });
  });

  it("needs the CSRF header on a browser session's upload", async () => {
    const s = server();
    const browser = await signedIn(s, s.admin);
    const forged = await browser.json<ErrorBody>(
      "/api/imports",
      raw(csvBytes([newDealRow()]), { "x-csrf-token": "forged" }),
    );
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe("csrf_failed");
    expect(await rowsIn(s, "jobs")).toBe(0);
    const { id } = await submitImport(browser, raw(csvBytes([newDealRow()])));
    expect((await finished<ImportJob>(browser, `/api/imports/${id}`)).status).toBe("succeeded");
  });

  it("refuses a bad export filter with its message (400), and a wrong upload type (415)", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const bad = await admin.json<ErrorBody>("/api/exports", json({ search: "ab" }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "invalid_argument" });
    expect(bad.body.error.message).toMatch(/too short/);
    const tab = await admin.json<ErrorBody>("/api/exports", json({ tab: "archived" }));
    expect(tab.body.error.message).toMatch(/Tab 'archived'/);
    const misspelt = await admin.json<ErrorBody>("/api/exports", json({ contries: ["FR"] }));
    expect(misspelt.status).toBe(400);
    // A filter as parseDealFilter gives it back (the web page sends that) is taken as is.
    const parsed = await admin.json("/api/exports", json({ tab: "outbound", substatus: "Won" }));
    expect(parsed.status).toBe(202);
    const wrongType = await admin.json<ErrorBody>("/api/imports", json({ file: "x" }));
    expect(wrongType.status).toBe(415);
    const noFile = await admin.json<ErrorBody>("/api/imports", {
      method: "POST",
      body: (() => {
        const form = new FormData();
        form.append("dryRun", "true");
        return form;
      })(),
    });
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.message).toMatch(/'file'/);
    expect(await rowsIn(s, "jobs")).toBe(1);
  });
});

describe("jobs waiting for a worker", () => {
  const server = setupTestServer();

  it("shows a queued import, answers 409 for its results, and cancels it", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const { id } = await submitImport(admin, multipart(readSharedFixture("create-en.csv")));
    const queued = await admin.json<ImportJob>(`/api/imports/${id}`);
    expect(queued.body).toMatchObject({
      status: "queued",
      progress: { processed: 0, total: 12 },
      summary: null,
      resultsReady: false,
    });
    const early = await admin.json<ErrorBody>(`/api/imports/${id}/results`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("conflict");
    const history = await admin.json<{ items: ImportJob[] }>("/api/imports");
    expect(history.body.items.map((i) => [i.id, i.status])).toEqual([[id, "queued"]]);

    const canceled = await admin.json<ImportJob>(`/api/imports/${id}/cancel`, { method: "POST" });
    expect(canceled.status).toBe(200);
    // Canceled before its first row: the totals and results file say none was reached.
    expect(canceled.body).toMatchObject({
      status: "canceled",
      summary: { partial: true, total: 12, created: 0, notProcessed: 12 },
      resultsReady: true,
    });
    const again = await admin.json<ErrorBody>(`/api/imports/${id}/cancel`, { method: "POST" });
    expect(again.status).toBe(409);
    const results = await admin.fetch(`/api/imports/${id}/results`);
    expect(results.status).toBe(200);
    const { header, records } = readCsv(await results.text());
    const errors = header.indexOf("Errors");
    const outcome = header.indexOf("Import Result");
    expect(records.map((r) => [r.cells[errors], r.cells[outcome]])).toEqual(
      Array.from({ length: 12 }, () => [
        "Not processed: the import stopped before this row",
        "Not processed",
      ]),
    );
    const after = await admin.json<{ items: ImportJob[] }>("/api/imports");
    expect(after.body.items[0]?.status).toBe("canceled");
  });

  it("answers 409 for an export file that is not ready yet, and cancels the export", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const { body } = await admin.json<Submitted>("/api/exports", json({ tab: "outbound" }));
    const early = await admin.json<ErrorBody>(`/api/exports/${body.id}/file`);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: "conflict" });
    expect(early.body.error.message).toMatch(/not ready/);
    const canceled = await admin.json<ExportJob>(`/api/exports/${body.id}/cancel`, {
      method: "POST",
    });
    expect(canceled.body).toMatchObject({ status: "canceled", result: null });
    expect((await admin.fetch(`/api/exports/${body.id}/file`)).status).toBe(404);
  });
});

describe("upload limits", () => {
  const server = setupTestServer({
    limits: { ...DEFAULT_LIMITS, uploadBytes: 4096, importRows: 2 },
  });

  it("refuses a file over the size limit (413) or the row limit (422), writing nothing", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const big = readSharedFixture("create-en.csv");
    expect(big.length).toBeGreaterThan(4096);

    for (const init of [raw(big), multipart(big)]) {
      const res = await admin.json<ErrorBody>("/api/imports", init);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe("file_too_large");
      expect(res.body.error.message).toMatch(/limit/);
    }
    const huge = await admin.json<ErrorBody>("/api/imports", raw(new Uint8Array(200_000)));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("file_too_large");

    const rows = await admin.json<ErrorBody>(
      "/api/imports",
      multipart(csvBytes([newDealRow(), newDealRow(), newDealRow()]), "three.csv"),
    );
    expect(rows.status).toBe(422);
    expect(rows.body.error.code).toBe("too_many_rows");

    const header = await admin.json<ErrorBody>(
      "/api/imports",
      raw(new TextEncoder().encode("Deal Name,Deal Name\r\nx,y\r\n")),
    );
    expect(header.status).toBe(422);
    expect(header.body.error.code).toBe("duplicate_header");

    const empty = await admin.json<ErrorBody>("/api/imports", raw(new Uint8Array()));
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe("empty_file");

    expect(await rowsIn(s, "jobs")).toBe(0);
    expect(await rowsIn(s, "imports")).toBe(0);
  });
});
