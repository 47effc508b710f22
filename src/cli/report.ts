/** How the CLI shows results to a person (the `--json` forms are in main.ts, beside the contract). */
import type { ImportSummary } from "../server/commands/import-deals.js";

const plural = (n: number, word: string): string =>
  `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

export const formatImportSummary = (
  name: string,
  s: ImportSummary,
  resultsPath: string | null,
): string => {
  const lines = [
    `${s.dryRun ? "Dry run of" : "Imported"} ${name}: ${plural(s.total, "row")}`,
    `  ${s.dryRun ? "would be " : ""}created ${s.created} · updated ${s.updated} · unchanged ${s.unchanged} · not processed ${s.notProcessed}`,
  ];
  for (const c of s.ignoredColumns) lines.push(`  ignored: ${c}`);
  const failed = s.rows.filter((r) => r.result === "Not processed");
  for (const r of failed.slice(0, 20)) {
    lines.push(`  row ${r.row}: ${r.errors.map((e) => e.message).join("; ")}`);
  }
  if (failed.length > 20) lines.push(`  … and ${failed.length - 20} more rows not processed`);
  if (s.dryRun) {
    for (const r of s.rows.filter((x) => x.result === "Updated").slice(0, 20)) {
      const changes = r.changes.map(
        (c) => `${c.column}: ${c.from ?? "(empty)"} → ${c.to ?? "(empty)"}`,
      );
      lines.push(`  row ${r.row} (${r.referralId ?? ""}): ${changes.join("; ")}`);
    }
    lines.push("  Nothing was written (dry run). Run again without --dry-run to apply.");
  }
  if (resultsPath) lines.push(`Results file: ${resultsPath}`);
  else if (failed.length > 0)
    lines.push(
      "Add --results FILE to get the file back with an Errors column to fix and re-upload.",
    );
  return lines.join("\n");
};

/** A one-line progress bar on a terminal's standard error; silent elsewhere. */
export const progressBar = (stream: NodeJS.WriteStream) => {
  if (!stream.isTTY)
    return { update: (_done: number, _total: number, _label: string) => {}, done: () => {} };
  return {
    update(done: number, total: number, label: string) {
      const width = 30;
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      stream.write(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`,
      );
    },
    done() {
      stream.write("\r\x1b[K");
    },
  };
};
