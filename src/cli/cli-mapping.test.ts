/** `cosell import FILE --map "File header=Co-sell column" … --preset NAME`, through the compiled CLI. */
import { describe, expect, it } from "vitest";
import { expectExit, jsonOf, setupCliWorld } from "../test-support/cli.js";
import { SALESFORCE_HEADERS, salesforceRow } from "../test-support/crm-export.js";
import { csvBytes } from "../test-support/deals.js";
import { EXIT } from "./exit-codes.js";

const world = setupCliWorld();

describe("cosell import --map / --preset", () => {
  it("maps a CRM export's columns with --map; an unknown preset is refused (exit 2)", async () => {
    const { admin } = await world().seedAccounts();
    await world().write(
      "sf.csv",
      csvBytes([salesforceRow(1), salesforceRow(2)], SALESFORCE_HEADERS),
    );
    const maps = [
      "Opportunity Name=Deal Name",
      "Account Name=Customer Name",
      "Billing Street=Customer Address Line 1",
      "Billing City=Customer City",
      "Billing Country=Customer Country",
      "Amount=Estimated Deal Value",
      "Opportunity Currency=Currency",
      "Close Date=Estimated Close Date",
      "Opportunity ID=CRM ID",
      "Stage=",
    ].flatMap((m) => ["--map", m]);
    const r = await world().run(["import", "sf.csv", "--as", admin, ...maps, "--json"]);
    expectExit(r, EXIT.ok);
    expect(jsonOf(r)).toMatchObject({ created: 2, notProcessed: 0, importId: expect.any(String) });

    const bad = await world().run(["import", "sf.csv", "--as", admin, "--preset", "Nope"]);
    expectExit(bad, EXIT.rejected);
    expect(bad.stderr).toContain("No preset named 'Nope'");
  });
});
