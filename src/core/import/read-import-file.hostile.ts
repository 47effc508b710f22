/**
 * The long property run of the hostile suite: the CSV reader on arbitrary bytes, and the row
 * validator and planner on arbitrary rows under the real header. Every input either reads or
 * is refused whole with a FileRejectedError; every row comes out Created / Not processed with
 * errors that name a column — never an exception. Bounded in time (fast-check stops early and
 * the count says how many ran), so a slow machine shortens the run instead of failing it.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { HostileTally } from "../../test-support/hostile.js";
import { writeCsv } from "../csv/index.js";
import { FileRejectedError } from "../errors.js";
import { DEFAULT_LIMITS } from "../limits.js";
import { templateRows } from "../template.js";
import { planImport } from "./plan-import.js";
import { readImportFile } from "./read-import-file.js";

const tally = new HostileTally("CSV reader and row validator (fast-check)");
afterAll(() => {
  const figures = tally.report();
  expect(figures.crashes).toBe(0);
});

const SECONDS = Number(process.env.COSELL_HOSTILE_SECONDS ?? "60");
const HEADER = templateRows("en", false)[0] ?? [];
const encode = (text: string) => new TextEncoder().encode(text);

/** Cells as people and attackers write them: text, numbers, dates, formulas, Excel damage. */
const cell = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "1.20655E+10",
    "2.1E+04",
    "Yes",
    "No",
    "Active",
    "Accepted",
    "Closed",
    "Won",
    "US",
    "FR",
    "USD",
    "2027-12-31",
    "12/31/2027",
    "31/12/2027",
    "10000",
    "1,000.50",
    "-5",
    "Ana, Silva, , ana.silva@contoso.example",
    "\u0000",
    "\ufeff",
    '"',
    "a\r\nb",
  ),
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
);

const run = (what: string, check: () => void) => {
  tally.case();
  try {
    check();
  } catch (error) {
    if (error instanceof FileRejectedError) return;
    tally.crash(error, what);
    throw error;
  }
};

describe("hostile property run", () => {
  it("reads arbitrary bytes or refuses them whole, never crashes (100,000 cases)", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.string({ unit: "binary", maxLength: 200 }).map(encode),
      fc
        .array(
          fc.oneof(
            fc.constantFrom(",", ";", "\t", '"', "\r", "\n", "\r\n", "\ufeff"),
            fc.string({ maxLength: 5 }),
          ),
          { maxLength: 60 },
        )
        .map((parts) => encode(parts.join(""))),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        run("readImportFile(bytes)", () => {
          const file = readImportFile(b, DEFAULT_LIMITS);
          for (const row of file.rows) {
            if (!Array.isArray(row.errors)) throw new Error("a row without its errors list");
          }
        });
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
    );
  });

  it("validates and plans arbitrary rows under the real header, never crashes (20,000 files)", () => {
    const row = fc.array(cell, { minLength: 0, maxLength: HEADER.length + 2 });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 4 }), fc.boolean(), (rows, upsert) => {
        run("planImport(rows)", () => {
          const file = readImportFile(encode(writeCsv([HEADER, ...rows])), DEFAULT_LIMITS);
          const planned = planImport(
            file,
            { visible: new Map(), byCrmId: new Map() },
            { map: file.map, limits: DEFAULT_LIMITS, mode: "import", requiredMember: null },
            { upsertByCrmId: upsert },
          );
          for (const p of planned) {
            const { outcome } = p;
            if (outcome.result === "Not processed" && outcome.errors.length === 0)
              throw new Error(`row ${p.parsed.row}: not processed without a reason`);
          }
        });
      }),
      { numRuns: 20_000, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
    );
  });
});
