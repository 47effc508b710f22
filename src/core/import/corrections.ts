/**
 * Cells corrected in the browser before an upload (the import panel's fix in place): the file
 * uploaded is the corrected one, and the import record keeps which cells were changed, from
 * what to what, so the trail says the file is not quite the one the person picked.
 */
import { RequestError } from "../errors.js";
import { isRecord } from "../json.js";

export interface CellCorrection {
  /** The data row (1 = the first under the header), as the import's rows count them. */
  row: number;
  /** The column's header as the file spells it. */
  column: string;
  from: string;
  to: string;
}

/** More than any file's worth of hand edits: a list this long is not a person's. */
export const MAX_CORRECTIONS = 10_000;

const bad = (why: string) =>
  new RequestError(
    "invalid_argument",
    `The corrected cells must be a JSON list of {"row": 1, "column": "Customer Country", "from": "USA", "to": "US"}: ${why}`,
  );

/** Checks a list of corrections from JSON. */
export function parseCorrections(value: unknown): CellCorrection[] {
  if (!Array.isArray(value)) throw bad("not a list");
  if (value.length > MAX_CORRECTIONS) throw bad(`more than ${MAX_CORRECTIONS} cells`);
  return value.map((c, i) => {
    if (
      !isRecord(c) ||
      typeof c.row !== "number" ||
      !Number.isInteger(c.row) ||
      c.row < 1 ||
      typeof c.column !== "string" ||
      typeof c.from !== "string" ||
      typeof c.to !== "string"
    ) {
      throw bad(`item ${i + 1} is not one`);
    }
    return { row: c.row, column: c.column, from: c.from, to: c.to };
  });
}
