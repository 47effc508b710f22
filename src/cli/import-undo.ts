/** `cosell import undo IMPORT-ID --as EMAIL [--dry-run] [--json]`: undo an applied import. */
import type { Command } from "commander";
import type { Limits } from "../core/limits.js";
import type { Store } from "../server/db/store.js";
import { EXIT } from "./exit-codes.js";
import { printJson } from "./report.js";

type WithStore = (fn: (store: Store, limits: Limits) => Promise<number>) => Promise<void>;

/**
 * `import undo` is its own command underneath (`undoArgv` renames it): as a subcommand of
 * `import`, the import's flags (--as, --dry-run, --json) would take the undo's, since global
 * flags such as --data may come anywhere on the line.
 */
export const UNDO_COMMAND = "import-undo";

export function undoArgv(argv: readonly string[]): string[] {
  const at = argv.findIndex((a, i) => i >= 2 && a === "import" && argv[i + 1] === "undo");
  return at < 0 ? [...argv] : [...argv.slice(0, at), UNDO_COMMAND, ...argv.slice(at + 2)];
}

export function addImportUndo(program: Command, withStore: WithStore): void {
  program
    .command(`${UNDO_COMMAND} <importId>`, { hidden: true })
    .description(
      "undo an applied import: updated fields set back, created deals closed as Error (reason 1); deals changed since are left alone",
    )
    .requiredOption("--as <email>", "the user undoing (the import's author or a Referrals admin)")
    .option("--dry-run", "report what the undo would do; write nothing")
    .option("--json", "print one JSON object")
    .action(async (importId: string, o: { as: string; dryRun?: boolean; json?: boolean }) =>
      withStore(async (store) => {
        const { actorByEmail } = await import("../server/commands/accounts.js");
        const { undoDaysFromEnv, undoImport } = await import("../server/commands/undo-import.js");
        const actor = await actorByEmail(store, o.as);
        const summary = await undoImport(store, {
          actor,
          importId,
          dryRun: o.dryRun ?? false,
          undoDays: undoDaysFromEnv(process.env),
        });
        if (o.json) printJson(summary);
        else {
          const lines = [
            `${summary.dryRun ? "Dry run of the undo" : "Undo"} of import ${importId}: ${summary.total} deals`,
            `  ${summary.dryRun ? "would be " : ""}undone ${summary.undone} · not undone ${summary.notUndone}`,
          ];
          for (const r of summary.rows.filter((x) => x.result === "Not undone").slice(0, 20)) {
            lines.push(`  row ${r.row} (${r.referralId}): ${r.reason ?? ""}`);
          }
          if (summary.dryRun) lines.push("  Nothing was written (dry run).");
          console.log(lines.join("\n"));
        }
        return summary.notUndone > 0 ? EXIT.someRowsFailed : EXIT.ok;
      }),
    );
}
