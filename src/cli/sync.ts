/**
 * `cosell sync --org NAME [--dry-run] [--json]`: one sync of every connection of the
 * organisation, with the import's exit codes: 0 all good, 1 conflicts or errors on some
 * deals, 2 usage, 3 the vendor could not be reached.
 */
import type { Command } from "commander";
import { EXIT } from "./exit-codes.js";
import { printJson } from "./report.js";

type Result = import("../server/connectors/sync-organization.js").OrgSyncResult;

/** The contract's JSON: exactly these keys per connection. */
export function syncJson(result: Result) {
  return {
    connections: result.connections.map((c) => ({
      vendor: c.vendor,
      pulled: c.pulled,
      pushed: c.pushed,
      conflicts: c.conflicts,
      errors: c.errors,
    })),
  };
}

export function syncExitCode(result: Result): number {
  if (result.connections.some((c) => !c.reachable)) return EXIT.failure;
  if (result.connections.some((c) => c.conflicts.length > 0 || c.errors.length > 0)) {
    return EXIT.someRowsFailed;
  }
  return EXIT.ok;
}

const counts = (c: { created: number; updated: number; unchanged: number }) =>
  `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;

export function formatSync(org: string, result: Result, dryRun: boolean): string {
  if (result.connections.length === 0) {
    return `'${org}' has no connection: cosell connect partner-center --org '${org}' … first`;
  }
  const lines: string[] = [];
  for (const c of result.connections) {
    lines.push(`${dryRun ? "Dry run: " : ""}Partner Center (connection ${c.connectionId})`);
    if (!c.reachable) {
      lines.push(`  not reached: ${c.errors[0]?.message ?? ""}`);
      continue;
    }
    lines.push(`  pulled: ${counts(c.pulled)}`);
    lines.push(`  pushed: ${counts(c.pushed)}`);
    if (c.conflicts.length > 0)
      lines.push(`  ${c.conflicts.length} conflict(s), to resolve on the deal:`);
    for (const x of c.conflicts) {
      lines.push(
        `    deal ${x.deal} ${x.field}: here ${JSON.stringify(x.local)}, Partner Center ${JSON.stringify(x.remote)}`,
      );
    }
    if (c.errors.length > 0) lines.push(`  ${c.errors.length} error(s):`);
    for (const e of c.errors) {
      const who = e.deal ? `deal ${e.deal}` : `referral ${e.referral ?? "?"}`;
      lines.push(`    ${who}${e.field ? ` ${e.field}` : ""}: ${e.message} (${e.code})`);
    }
  }
  return lines.join("\n");
}

export function registerSync(
  program: Command,
  withStore: (
    fn: (store: import("../server/db/store.js").Store) => Promise<number>,
  ) => Promise<void>,
): void {
  program
    .command("sync")
    .description("sync an organisation's deals with its connections (Partner Center)")
    .requiredOption("--org <name>", "the organisation")
    .option("--dry-run", "report what would change on both sides; write nothing")
    .option("--json", "print one JSON object")
    .action(async (o: { org: string; dryRun?: boolean; json?: boolean }) =>
      withStore(async (store) => {
        const { orgIdByName } = await import("../server/commands/accounts.js");
        const { syncOrganization } = await import("../server/connectors/sync-organization.js");
        const orgId = await orgIdByName(store, o.org);
        const result = await syncOrganization(store, orgId, { dryRun: o.dryRun ?? false });
        if (result.connections.length === 0) {
          console.error(`cosell: ${formatSync(o.org, result, false)}`);
          return EXIT.rejected;
        }
        if (o.json) printJson(syncJson(result));
        else console.log(formatSync(o.org, result, o.dryRun ?? false));
        return syncExitCode(result);
      }),
    );
}
