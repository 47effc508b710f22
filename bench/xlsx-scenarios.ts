/**
 * Excel workbooks beside the CSV scenarios: 1,000 rows imported from an .xlsx (create, and
 * the update of the same deals) and the 5,000-deal export written as an .xlsx, so
 * BENCHMARKS.md can set each beside its CSV twin (scenarios 1, 2 and 4a).
 */
import ExcelJS from "exceljs";
import { DEFAULT_LIMITS } from "../src/core/limits.js";
import { exportDealsFile } from "../src/server/commands/export-deals.js";
import { importDeals } from "../src/server/commands/import-deals.js";
import type { CsvRow } from "../src/test-support/rows.js";
import { createRows, freshOrg, IMPORT_ROWS, purgeOrg, updateRows } from "./data.js";
import type { Seeded } from "./export-scenarios.js";
import { createdWorld, expectCounts } from "./import-scenarios.js";
import type { Result } from "./result.js";
import { just, measureAll, type Repeat, type Sample, trial } from "./stats.js";
import type { BenchStore } from "./stores.js";

/** The rows as a plain workbook of text cells (what a spreadsheet saves from the CSV). */
async function workbookOf(rows: readonly CsvRow[]): Promise<Uint8Array> {
  const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Deals");
  sheet.addRow(headers);
  for (const r of rows) sheet.addRow(headers.map((h) => r[h] ?? ""));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const sampleOf = (s: Sample | undefined): Sample => {
  if (!s) throw new Error("a trial has no sample");
  return s;
};

export async function xlsxImportScenarios(store: BenchStore, repeat: Repeat): Promise<Result[]> {
  const rows = createRows();
  const createFile = await workbookOf(rows);
  const [create, update] = await measureAll(repeat, [
    trial(
      () => freshOrg(store),
      async (actor) =>
        expectCounts(await importDeals(store, { actor, bytes: createFile }), {
          created: IMPORT_ROWS,
        }),
      ({ orgId }) => purgeOrg(store, orgId),
    ),
    trial(
      async () => {
        const world = await createdWorld(store);
        return { ...world, file: await workbookOf(updateRows(rows, world.ids)) };
      },
      async ({ actor, file }) =>
        expectCounts(await importDeals(store, { actor, bytes: file }), { updated: IMPORT_ROWS }),
      ({ actor }) => purgeOrg(store, actor.orgId),
    ),
  ]);
  return [
    {
      scenario: "1x. import 1,000 rows from an .xlsx: create (scenario 1's rows)",
      store: store.label,
      sample: sampleOf(create),
    },
    {
      scenario: "2x. import 1,000 rows from an .xlsx: update (scenario 2's rows)",
      store: store.label,
      sample: sampleOf(update),
    },
  ];
}

export async function xlsxExportScenarios(
  store: BenchStore,
  seeded: Seeded,
  repeat: Repeat,
): Promise<Result[]> {
  const want = DEFAULT_LIMITS.exportRecords;
  const [sample] = await measureAll(repeat, [
    just(async () => {
      const r = await exportDealsFile(store, { actor: seeded.actor, filter: {}, format: "xlsx" });
      if (r.count !== want) throw new Error(`xlsx export: exported ${r.count} deals`);
    }),
  ]);
  return [
    {
      scenario: "4x. export 5,000 of 100,000 deals as an .xlsx: no filter (scenario 4a)",
      store: store.label,
      sample: sampleOf(sample),
    },
  ];
}
