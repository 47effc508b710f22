/**
 * The committed OpenAPI document is the API as served: a route or a schema changed without
 * regenerating it fails here, so a change to the contract is made, and reviewed, on purpose.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { setupTestStore } from "../../test-support/db.js";
import { OPENAPI_COMMAND, OPENAPI_FILE, renderOpenApi } from "./openapi-document.js";

/** The first line where two texts part, to say where the document drifted. */
const firstDifference = (a: string, b: string): string => {
  const left = a.split("\n");
  const right = b.split("\n");
  const i = left.findIndex((line, n) => line !== right[n]);
  const at = i === -1 ? left.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(left[at] ?? "")}, served ${JSON.stringify(right[at] ?? "")}`;
};

describe("the committed OpenAPI document", () => {
  const store = setupTestStore();

  it("is the one the routes describe", async () => {
    const committed = await readFile(new URL(`../../../${OPENAPI_FILE}`, import.meta.url), "utf8");
    const served = await renderOpenApi(store());
    expect(
      served === committed,
      `${OPENAPI_FILE} is stale (${firstDifference(committed, served)}): the API changed without it. Run \`${OPENAPI_COMMAND}\` and commit ${OPENAPI_FILE}.`,
    ).toBe(true);
  });
});
