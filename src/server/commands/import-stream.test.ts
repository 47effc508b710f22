import { describe, expect, it } from "vitest";
import { FileRejectedError } from "../../core/errors.js";
import { DEFAULT_LIMITS } from "../../core/limits.js";
import { setupTestStore } from "../../test-support/db.js";
import { type CsvRow, csvBytes, makeWorld, newDealRow } from "../../test-support/deals.js";
import { readSharedFixture } from "../../test-support/shared-fixtures.js";
import { createOrganization, actorByEmail } from "./accounts.js";
import { importResultsCsv } from "../db/imports-repo.js";
import { applyImport, importDeals, prepareAnyImport } from "./import-deals.js";
import type { ImportSummary } from "./import-summary.js";

const store = setupTestStore();

/** Every file is streamed from its first byte on. */
const STREAMED = { streamFromBytes: 1 };
const limits = { ...DEFAULT_LIMITS, importRows: 100_000, uploadBytes: 64 * 1024 * 1024 };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Runs an import, its results file collected from `resultsTo`. */
const run = async (request: Parameters<typeof importDeals>[1]) => {
  const pieces: string[] = [];
  const summary = await importDeals(store(), {
    ...request,
    resultsTo: async (piece) => {
      pieces.push(piece);
    },
  });
  return { summary, results: pieces.join("") };
};

/** A summary with the ids a run makes up taken out, so two runs compare. */
const comparable = ({ summary: s, results }: { summary: ImportSummary; results: string }) => ({
  counts: [s.total, s.created, s.updated, s.unchanged, s.notProcessed],
  ignoredColumns: s.ignoredColumns,
  rows: s.rows.map((r) => ({
    ...r,
    referralId: r.result === "Created" ? "new" : r.referralId,
    engagementId: null,
  })),
  results: results.replace(UUID, "ID").split("\r\n"),
});

/** The stored results file of an import, read as the download reads it. */
const storedResults = async (importId: string | null) => {
  const parts = importId ? await importResultsCsv(store().db, importId) : null;
  if (!parts) return null;
  let text = "";
  for await (const piece of parts) text += piece;
  return text;
};

const freshAdmin = async (name: string) => {
  await createOrganization(store(), {
    name,
    adminEmail: `${name}@example.test`,
    password: "a long enough passphrase",
  });
  return actorByEmail(store(), `${name}@example.test`);
};

/** How many deals an organisation has. */
const dealsOf = async (orgId: string): Promise<number> => {
  const count = await store()
    .db.selectFrom("deals")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("org_id", "=", orgId)
    .executeTakeFirst();
  return Number(count?.n);
};

const manyRows = (n: number, row: (i: number) => CsvRow = () => ({})): CsvRow[] =>
  Array.from({ length: n }, (_, i) =>
    newDealRow({
      "Deal Name": `Streamed deal ${i}`,
      "CRM ID": `CRM-${i}`,
      Notes: "x".repeat(300),
      ...row(i),
    }),
  );

describe("a streamed import", () => {
  it.each(["create-en.csv", "create-fr-excel-1252.csv", "errors-mixed.csv"])(
    "reports %s exactly as the whole-file import does",
    async (fixture) => {
      const bytes = readSharedFixture(fixture);
      const whole = await run({ actor: await freshAdmin(`w${fixture.length}`), bytes, limits });
      const streamed = await run({
        actor: await freshAdmin(`s${fixture.length}`),
        bytes,
        limits,
        ...STREAMED,
      });
      expect(comparable(streamed)).toEqual(comparable(whole));
      // Stored as it was written: the history's download serves the same file.
      expect(await storedResults(streamed.summary.importId)).toBe(streamed.results);
    },
  );

  it("catches a CRM ID twice in the file however far apart its rows are, and reads every chunk", async () => {
    const { admin } = await makeWorld(store());
    // ~1.3 MB: several slices of the stream.
    const rows = manyRows(3000, (i): CsvRow => (i === 2999 ? { "CRM ID": "CRM-0" } : {}));
    const { summary: s, results } = await run({
      actor: admin,
      bytes: csvBytes(rows),
      limits,
      ...STREAMED,
    });
    expect([s.total, s.created, s.notProcessed]).toEqual([3000, 2999, 1]);
    expect(s.rows[2999]?.errors.map((e) => e.code)).toEqual(["crm_id_duplicate"]);
    expect(s.rows[2999]?.errors[0]?.message).toContain("row 1 of this file");
    expect(results.split("\r\n").length).toBe(3002); // header, 3,000 rows, the last CRLF
  });

  it("is the same in a dry run, and writes nothing", async () => {
    const actor = await freshAdmin("dryrunner");
    const bytes = csvBytes(manyRows(1200));
    const dry = await importDeals(store(), { actor, bytes, limits, dryRun: true, ...STREAMED });
    expect([dry.total, dry.created]).toEqual([1200, 1200]);
    expect(await dealsOf(actor.orgId)).toBe(0);
  });

  it("refuses a file with one row too many and writes nothing", async () => {
    const actor = await freshAdmin("toomany");
    const bytes = csvBytes(manyRows(1001));
    await expect(
      importDeals(store(), { actor, bytes, limits: { ...limits, importRows: 1000 }, ...STREAMED }),
    ).rejects.toThrow(FileRejectedError);
    expect(await dealsOf(actor.orgId)).toBe(0);
  });

  it("in chunks (a job), resumed part-way, applies every row once and writes the whole results file", async () => {
    const actor = await freshAdmin("chunked");
    const bytes = csvBytes(
      manyRows(1500, (i): CsvRow => (i === 1400 ? { "CRM ID": "CRM-3" } : {})),
    );
    const prepared = await prepareAnyImport(store(), { actor, bytes, limits, ...STREAMED });
    expect(prepared.kind).toBe("stream");
    const importId = crypto.randomUUID();
    const how = (stopAfter: number) => {
      let chunksDone = 0;
      return {
        kind: "chunks" as const,
        importId,
        size: 100,
        total: 1500,
        betweenChunks: async () => {
          if (chunksDone++ === stopAfter) throw new Error("the worker died");
        },
        beforeChunk: async () => {},
        finish: async () => {},
      };
    };
    await expect(applyImport(store(), prepared, how(7))).rejects.toThrow("the worker died");
    const again = await prepareAnyImport(store(), { actor, bytes, limits, ...STREAMED });
    const s = await applyImport(store(), again, how(-1));
    expect([s.total, s.created, s.notProcessed]).toEqual([1500, 1499, 1]);
    expect(await dealsOf(actor.orgId)).toBe(1499);
    const lines = (await storedResults(importId))?.split("\r\n") ?? [];
    expect(lines.length).toBe(1502);
    expect(lines.slice(1, -1).every((l) => /,(Created|Not processed)$/.test(l))).toBe(true);
  });
});
