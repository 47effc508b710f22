/** The limits a deployment sets in the environment: parsed once, bad values refused by name. */
import { describe, expect, it } from "vitest";
import { RequestError } from "../core/errors.js";
import { DEFAULT_LIMITS } from "../core/limits.js";
import { describeLimits, limitsFromEnv } from "./limits-env.js";

describe("limitsFromEnv", () => {
  it("gives SPEC §8's defaults when nothing is set, or a variable is empty", () => {
    expect(limitsFromEnv({})).toEqual(DEFAULT_LIMITS);
    expect(limitsFromEnv({ COSELL_IMPORT_MAX_ROWS: " " })).toEqual(DEFAULT_LIMITS);
  });

  it("reads every limit from its variable", () => {
    expect(
      limitsFromEnv({
        COSELL_IMPORT_MAX_ROWS: "100_000",
        COSELL_EXPORT_MAX_RECORDS: "20000",
        COSELL_UPLOAD_MAX_BYTES: "50MiB",
        COSELL_DEAL_MAX_SOLUTIONS: "5",
        COSELL_DEAL_MAX_TEAM_MEMBERS: "7",
        COSELL_CELL_MAX_CHARS: "1000",
      }),
    ).toEqual({
      importRows: 100_000,
      exportRecords: 20_000,
      uploadBytes: 50 * 1024 * 1024,
      solutionsPerDeal: 5,
      teamMembersPerDeal: 7,
      cellChars: 1000,
    });
    expect(limitsFromEnv({ COSELL_UPLOAD_MAX_BYTES: "1000" }).uploadBytes).toBe(1000);
    expect(limitsFromEnv({ COSELL_UPLOAD_MAX_BYTES: "64 KiB" }).uploadBytes).toBe(65_536);
    expect(limitsFromEnv({ COSELL_UPLOAD_MAX_BYTES: "2MB" }).uploadBytes).toBe(2_000_000);
  });

  it.each([
    ["COSELL_IMPORT_MAX_ROWS", "0"],
    ["COSELL_IMPORT_MAX_ROWS", "-5"],
    ["COSELL_IMPORT_MAX_ROWS", "1.5"],
    ["COSELL_IMPORT_MAX_ROWS", "lots"],
    ["COSELL_IMPORT_MAX_ROWS", "10MiB"],
    ["COSELL_EXPORT_MAX_RECORDS", "1e3"],
    ["COSELL_UPLOAD_MAX_BYTES", "5 parsecs"],
    ["COSELL_DEAL_MAX_SOLUTIONS", "99999999999999999999"],
    ["COSELL_CELL_MAX_CHARS", "0x10"],
  ])("refuses %s=%s, naming the variable and saying what it takes", (name, value) => {
    const read = () => limitsFromEnv({ [name]: value });
    expect(read).toThrow(RequestError);
    expect(read).toThrow(`${name}='${value}' is not a valid limit: give a whole number`);
  });

  it("describes the limits in one line", () => {
    expect(describeLimits(DEFAULT_LIMITS)).toBe(
      "imports 1,000 rows, exports 5,000 deals, uploads 5 MiB, 50 solutions and 50 team members per deal, 32,000 characters per cell",
    );
  });
});
