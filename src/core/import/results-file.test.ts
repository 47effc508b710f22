import { describe, expect, it } from "vitest";
import { type CsvDelimiter, readCsv, writeCsv } from "../csv/index.js";
import type { RowError } from "../errors.js";
import { DEFAULT_LIMITS } from "../limits.js";
import { ROW } from "../messages/rows.js";
import { readImportFile } from "./read-import-file.js";
import { type RowReport, writeResultsFile } from "./results-file.js";

const fileOf = (rows: readonly (readonly string[])[], delimiter: CsvDelimiter = ",") =>
  readImportFile(new TextEncoder().encode(writeCsv(rows, { delimiter })), DEFAULT_LIMITS);

const report = (row: number, overrides: Partial<RowReport> = {}): RowReport => ({
  row,
  result: "Updated",
  referralId: null,
  engagementId: null,
  errors: [],
  updatedAt: "2026-11-24T10:00:00.123Z",
  version: null,
  ...overrides,
});

const error = (message: string): RowError => ({ column: "Deal Name", code: "required", message });

/** The results file as a reader sees it. */
const results = (text: string) => {
  expect(text.startsWith("\uFEFF")).toBe(true);
  return readCsv(text);
};

describe("writeResultsFile", () => {
  it("keeps the input's columns in order, adds Errors first and the IDs and Import Result last", () => {
    const file = fileOf([
      ["Deal Name", "Notes", "Solution 1"],
      ["A", "n1", "SOL-1"],
      ["", "n2", "SOL-2"],
    ]);
    const out = results(
      writeResultsFile(file, [
        report(1, { result: "Created", referralId: "REF-1", engagementId: "ENG-1" }),
        report(2, {
          result: "Not processed",
          errors: [error("Mandatory field Deal Name missing"), error("Second problem")],
          updatedAt: null,
        }),
      ]),
    );
    expect(out.header).toEqual([
      "Errors",
      "Deal Name",
      "Notes",
      "Solution 1",
      "Referral ID",
      "Engagement ID",
      "Import Result",
    ]);
    expect(out.records.map((r) => r.cells)).toEqual([
      ["", "A", "n1", "SOL-1", "REF-1", "ENG-1", "Created"],
      [
        "Mandatory field Deal Name missing; Second problem",
        "",
        "n2",
        "SOL-2",
        "",
        "",
        "Not processed",
      ],
    ]);
  });

  it("fills the columns the input has where they are, and adds the missing ones in the file's language", () => {
    const file = fileOf([
      ["Nom de la transaction", "URL de référence", "Erreurs", "Notes"],
      ["A", "", "old error", "n"],
      ["B", "REF-9", "", "m"],
    ]);
    const out = results(
      writeResultsFile(file, [
        report(1, { result: "Created", referralId: "REF-1", engagementId: "ENG-1" }),
        report(2, { result: "Unchanged" }),
      ]),
    );
    expect(out.header).toEqual([
      "Nom de la transaction",
      "URL de référence",
      "Erreurs",
      "Notes",
      "ID engagement",
      "Résultat de l'importation",
    ]);
    expect(out.records.map((r) => r.cells)).toEqual([
      ["A", "REF-1", "", "n", "ENG-1", "Created"],
      ["B", "REF-9", "", "m", "", "Unchanged"],
    ]);
  });

  it("writes a created row's IDs over what the row had, and leaves other rows' IDs as they were", () => {
    const file = fileOf([
      ["Referral ID", "Engagement ID", "Import Result", "Deal Name"],
      ["", "", "", "new"],
      ["REF-2", "ENG-2", "Created", "old"],
      ["REF-3", "", "", "bad"],
    ]);
    const out = results(
      writeResultsFile(file, [
        report(1, { result: "Created", referralId: "REF-1", engagementId: "ENG-1" }),
        report(2, { result: "Unchanged" }),
        report(3, { result: "Not processed", errors: [error("not found")], updatedAt: null }),
      ]),
    );
    expect(out.header).toEqual([
      "Errors",
      "Referral ID",
      "Engagement ID",
      "Import Result",
      "Deal Name",
    ]);
    expect(out.records.map((r) => r.cells)).toEqual([
      ["", "REF-1", "ENG-1", "Created", "new"],
      ["", "REF-2", "ENG-2", "Unchanged", "old"],
      ["not found", "REF-3", "", "Not processed", "bad"],
    ]);
  });

  it("refreshes Last Modified for rows that were applied, and leaves it on rows that were not", () => {
    const file = fileOf([
      ["Referral ID", "Last Modified", "Notes"],
      ["REF-1", "2020-01-01T00:00:00Z", "a"],
      ["REF-2", "11/24/2026 10:00", "b"],
      ["REF-3", "2020-01-01T00:00:00Z", "c"],
    ]);
    const out = results(
      writeResultsFile(file, [
        report(1, { result: "Updated", updatedAt: "2026-11-24T10:00:00.999Z" }),
        report(2, { result: "Unchanged", updatedAt: "2026-11-24T09:59:00.000Z" }),
        report(3, { result: "Not processed", errors: [error("stale")], updatedAt: null }),
      ]),
    );
    expect(out.records.map((r) => r.cells.slice(1, 3))).toEqual([
      ["REF-1", "2026-11-24T10:00:00Z"],
      ["REF-2", "2026-11-24T09:59:00Z"],
      ["REF-3", "2020-01-01T00:00:00Z"],
    ]);
  });

  it("writes the deal's new Version for rows that were applied, and leaves it as uploaded otherwise", () => {
    const file = fileOf([
      ["Referral ID", "Notes", "Version"],
      ["REF-1", "a", "3"],
      ["REF-2", "b", "5"],
      ["REF-3", "c", "2"],
      ["", "d", ""],
    ]);
    const out = results(
      writeResultsFile(file, [
        report(1, { result: "Updated", version: 4 }),
        report(2, { result: "Unchanged", version: null }),
        report(3, { result: "Not processed", errors: [error("stale")], version: 9 }),
        report(4, { result: "Created", referralId: "REF-4", version: 1 }),
      ]),
    );
    expect(out.header.slice(-3)).toEqual(["Version", "Engagement ID", "Import Result"]);
    expect(out.records.map((r) => [r.cells[1], r.cells[3]])).toEqual([
      ["REF-1", "4"],
      ["REF-2", "5"],
      ["REF-3", "2"],
      ["REF-4", "1"],
    ]);
  });

  it("does not add Last Modified when the input has none", () => {
    const file = fileOf([
      ["Referral ID", "Notes"],
      ["REF-1", "a"],
    ]);
    const out = results(writeResultsFile(file, [report(1)]));
    expect(out.header).toEqual([
      "Errors",
      "Referral ID",
      "Notes",
      "Engagement ID",
      "Import Result",
    ]);
  });

  it.each([",", ";", "\t"] as const)("keeps the input's delimiter %j", (delimiter) => {
    const file = fileOf(
      [
        ["Deal Name", "Notes"],
        ["A; B, C", "x\ty"],
      ],
      delimiter,
    );
    expect(file.delimiter).toBe(delimiter);
    const text = writeResultsFile(file, [report(1)]);
    const out = results(text);
    expect(out.delimiter).toBe(delimiter);
    expect(text.split("\r\n")[0]).toBe(
      "\uFEFF" +
        ["Errors", "Deal Name", "Notes", "Referral ID", "Engagement ID", "Import Result"].join(
          delimiter,
        ),
    );
    expect(out.records[0]?.cells.slice(1, 3)).toEqual(["A; B, C", "x\ty"]);
  });

  it("neutralises every cell the canonical way, so a re-upload reads the same values", () => {
    const file = fileOf([
      ["Deal Name", "Notes", "CRM ID", "Customer Name", "Solution 1"],
      ["'=x", "=x", "''=x", "'plain", "-SOL"],
    ]);
    const text = writeResultsFile(file, [
      report(1, { result: "Not processed", errors: [error("=SUM(A1) is not allowed")] }),
    ]);
    const out = results(text);
    expect(out.records[0]?.cells).toEqual([
      "'=SUM(A1) is not allowed",
      "'=x",
      "'=x",
      "''=x",
      "'plain",
      "'-SOL",
      "",
      "",
      "Not processed",
    ]);
    const again = readImportFile(new TextEncoder().encode(text), DEFAULT_LIMITS);
    // The same values; the added Engagement ID column reads as present and empty.
    expect(again.rows[0]?.fields).toEqual({ ...file.rows[0]?.fields, engagementId: null });
    expect(again.rows[0]?.fields).toMatchObject({ name: "=x", notes: "=x", crmId: "'=x" });
    expect(again.rows[0]?.solutions).toEqual(file.rows[0]?.solutions);
  });

  it("pads a short record to the header's width", () => {
    const file = readImportFile(
      new TextEncoder().encode("Deal Name,Notes,CRM ID\r\nA\r\n"),
      DEFAULT_LIMITS,
    );
    const out = results(writeResultsFile(file, [report(1)]));
    expect(out.records[0]?.cells).toEqual(["", "A", "", "", "", "", "Updated"]);
  });

  it("keeps columns it ignored on input, such as a newer template's", () => {
    const file = fileOf([
      ["Deal Name", "Microsoft team member 1", "Deal Nme"],
      ["A", "Someone", "typo"],
    ]);
    const out = results(writeResultsFile(file, [report(1)]));
    expect(out.header.slice(1, 4)).toEqual(["Deal Name", "Microsoft team member 1", "Deal Nme"]);
    expect(out.records[0]?.cells.slice(1, 4)).toEqual(["A", "Someone", "typo"]);
  });

  it("writes a French file's errors in French, with their details; an English file's in English", () => {
    const missing = ROW.missing("Nom de la transaction");
    const bad: RowError = {
      column: "Nom de la transaction",
      code: "required",
      message: missing.en,
      fr: missing.fr,
    };
    const french = fileOf([
      ["Nom de la transaction", "Notes"],
      ["", "n"],
    ]);
    const out = results(
      writeResultsFile(french, [
        report(1, { result: "Not processed", errors: [bad], updatedAt: null }),
      ]),
    );
    expect(out.header).toEqual([
      "Erreurs",
      "Nom de la transaction",
      "Notes",
      "URL de référence",
      "ID engagement",
      "Résultat de l'importation",
    ]);
    // The Errors cell in French; Import Result keeps the spec's words, which scripts read.
    expect(out.records[0]?.cells[0]).toBe("Champ obligatoire Nom de la transaction manquant");
    expect(out.records[0]?.cells.at(-1)).toBe("Not processed");
    const english = fileOf([
      ["Deal Name", "Notes"],
      ["", "n"],
    ]);
    const en = results(
      writeResultsFile(english, [
        report(1, { result: "Not processed", errors: [bad], updatedAt: null }),
      ]),
    );
    expect(en.records[0]?.cells[0]).toBe("Mandatory field Nom de la transaction missing");
  });
});
