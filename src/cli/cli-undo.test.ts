/** `cosell import undo IMPORT-ID --as EMAIL [--dry-run] [--json]` through the compiled CLI, and its API twin. */
import { describe, expect, it } from "vitest";
import { expectExit, jsonOf, setupCliWorld } from "../test-support/cli.js";
import { csvBytes, newDealRow } from "../test-support/deals.js";
import { EXIT } from "./exit-codes.js";

const world = setupCliWorld();

describe("cosell import undo", () => {
  it("dry run, then the undo (exit 0), then a second undo is refused (exit 2)", async () => {
    const { admin } = await world().seedAccounts();
    await world().write("new.csv", csvBytes([newDealRow(), newDealRow({ "Deal Name": "B" })]));
    const imported = await world().run(["import", "new.csv", "--as", admin, "--json"]);
    expectExit(imported, EXIT.ok);
    const json = jsonOf(imported);
    const importId =
      typeof json === "object" && json && "importId" in json ? String(json.importId) : "";

    const dry = await world().run([
      "import",
      "undo",
      importId,
      "--as",
      admin,
      "--dry-run",
      "--json",
    ]);
    expectExit(dry, EXIT.ok);
    expect(jsonOf(dry)).toMatchObject({ dryRun: true, undoOf: importId, undone: 2, notUndone: 0 });

    const undo = await world().run(["import", "undo", importId, "--as", admin]);
    expectExit(undo, EXIT.ok);
    expect(undo.stdout).toContain(`Undo of import ${importId}: 2 deals`);

    const again = await world().run(["import", "undo", importId, "--as", admin, "--json"]);
    expectExit(again, EXIT.rejected);
    expect(again.stdout).toContain("already undone");
  });
});
