/**
 * Column mapping through the import command, on the real store: a Salesforce-style export
 * mapped column by column, its results file under the file's own headers, and a saved preset
 * picked by itself for the next file with the same headers.
 */
import { describe, expect, it } from "vitest";
import { readCsv } from "../../core/csv/index.js";
import { guessMapping, mappingOf } from "../../core/column-mapping.js";
import { SALESFORCE_HEADERS, salesforceRow } from "../../test-support/crm-export.js";
import { setupTestStore } from "../../test-support/db.js";
import { csvBytes, makeWorld } from "../../test-support/deals.js";
import { findDealsByIds } from "../db/deals-repo.js";
import { importDeals } from "./import-deals.js";
import { listPresets, savePreset } from "./import-presets.js";

const store = setupTestStore();

const file = (n: number, bad = false) =>
  csvBytes(
    Array.from({ length: n }, (_, i) =>
      salesforceRow(i + 1, bad && i === 0 ? { Amount: "lots" } : {}),
    ),
    SALESFORCE_HEADERS,
  );

describe("an import with a column mapping", () => {
  it("reads a Salesforce export through the mapping; messages and the results file keep its headers", async () => {
    const { admin } = await makeWorld(store());
    const mapping = mappingOf(guessMapping(SALESFORCE_HEADERS));
    const s = await importDeals(store(), { actor: admin, bytes: file(3, true), mapping });
    expect(s).toMatchObject({ created: 2, notProcessed: 1 });
    expect(s.rows[0]?.errors[0]).toMatchObject({ column: "Amount", code: "invalid_number" });
    expect(s.ignoredColumns).toEqual(["'Stage' is ignored, as the column mapping says"]);
    const [deal] = await findDealsByIds(store().db, admin.orgId, [s.rows[1]?.referralId ?? ""]);
    expect(deal).toMatchObject({
      name: "Fabrikam renewal 2",
      customerName: "Fabrikam 2 Inc.",
      customerAddress1: "2 Main Street",
      value: 1002,
      closeDate: "2027-01-30",
      crmId: "006A000000002",
    });
    const results = readCsv(s.resultsCsv);
    expect(results.header.slice(1, SALESFORCE_HEADERS.length + 1)).toEqual([...SALESFORCE_HEADERS]);
    expect(results.header[0]).toBe("Errors");
  });

  it("without a mapping, picks the saved preset that fits the file's headers", async () => {
    const { admin, user } = await makeWorld(store());
    const mapping = mappingOf(guessMapping(SALESFORCE_HEADERS));
    await savePreset(store(), admin, { name: "Salesforce opportunities", mapping });
    // A smaller preset that fits too loses to the one that maps more columns.
    await savePreset(store(), admin, {
      name: "Amounts only",
      mapping: { Amount: "Estimated Deal Value" },
    });
    expect((await listPresets(store().db, user)).map((p) => p.name).sort()).toEqual([
      "Amounts only",
      "Salesforce opportunities",
    ]);
    const s = await importDeals(store(), { actor: admin, bytes: file(2) });
    expect(s).toMatchObject({ created: 2, preset: "Salesforce opportunities" });
    const named = await importDeals(store(), {
      actor: admin,
      bytes: file(1),
      preset: "Amounts only",
      dryRun: true,
    });
    expect(named.preset).toBe("Amounts only");
    expect(named.rows[0]?.errors.map((e) => e.code)).toContain("required");
  });

  it("refuses an unknown preset name before reading a row", async () => {
    const { admin } = await makeWorld(store());
    await expect(
      importDeals(store(), { actor: admin, bytes: file(1), preset: "Nope" }),
    ).rejects.toThrow(/No preset named 'Nope'/);
  });
});
