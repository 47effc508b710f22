/**
 * How the CLI shows results, to a person and as `--json`, in local and remote mode alike:
 * the same summary prints the same way and exits with the same code wherever it was computed.
 */
import { importSummaryJson } from "../core/import/summary-json.js";
import type { ImportSummary } from "../server/commands/import-summary.js";
import { EXIT } from "./exit-codes.js";

/** What an import reports, whether it ran here or on a server. */
export type ImportReport = Omit<ImportSummary, "resultsCsv">;

/** Writes to FILE, or to standard output for none or `-`; returns where it went. */
export const writeOut = async (
  path: string | undefined,
  data: string | Uint8Array,
): Promise<string> => {
  if (!path || path === "-") {
    process.stdout.write(data);
    return "-";
  }
  const { writeFile } = await import("node:fs/promises");
  await writeFile(path, data);
  return path;
};

/**
 * `--results FILE` written piece by piece (a streamed import never holds its results whole):
 * standard output for `-`; a file otherwise, removed again if the import fails part-way.
 */
export const resultsOut = async (path: string) => {
  if (path === "-") {
    return {
      write: (piece: string) =>
        new Promise<void>((resolve, reject) =>
          process.stdout.write(piece, (error) => (error ? reject(error) : resolve())),
        ),
      close: async () => {},
      abandon: async () => {},
    };
  }
  const { open, rm } = await import("node:fs/promises");
  const handle = await open(path, "w");
  return {
    write: async (piece: string) => {
      await handle.write(piece);
    },
    close: () => handle.close(),
    abandon: async () => {
      await handle.close();
      await rm(path, { force: true });
    },
  };
};

export const printJson = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** Rows as the JSON contract has them: the English messages only (the French is the page's). */
export const contractRows = (rows: ImportReport["rows"]) =>
  rows.map((r) => ({ ...r, errors: r.errors.map(({ fr: _fr, ...said }) => said) }));

/** `import --json`: the contract's keys, in its order. */
export const importJson = (s: ImportReport) => ({
  ...importSummaryJson(s),
  rows: contractRows(s.rows),
  /** What `cosell import undo`, the API and the history call this import (null for a dry run). */
  importId: s.importId,
});

export const importExitCode = (s: Pick<ImportReport, "notProcessed">): number =>
  s.notProcessed > 0 ? EXIT.someRowsFailed : EXIT.ok;

/** Prints what `export` did: `{count, leftOut, file}` with --json, else one line on standard error. */
export const reportExport = (
  result: { count: number; leftOut: number },
  file: string,
  json: boolean,
): void => {
  if (json) {
    printJson({ count: result.count, leftOut: result.leftOut, file });
    return;
  }
  const left =
    result.leftOut > 0
      ? `; ${result.leftOut} more matched but were left out (cap reached) — narrow the filters`
      : "";
  console.error(
    `Exported ${result.count} deals to ${file === "-" ? "standard output" : file}${left}`,
  );
};

/** Prints where `template` went (nothing when it went to standard output). */
export const reportTemplate = (path: string): void => {
  if (path !== "-") console.error(`Template written to ${path}`);
};

const plural = (n: number, word: string): string =>
  `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

export const formatImportSummary = (
  name: string,
  s: ImportReport,
  resultsPath: string | null,
): string => {
  const lines = [
    `${s.dryRun ? "Dry run of" : "Imported"} ${name}: ${plural(s.total, "row")}`,
    `  ${s.dryRun ? "would be " : ""}created ${s.created} · updated ${s.updated} · unchanged ${s.unchanged} · not processed ${s.notProcessed}`,
  ];
  if (s.preset) lines.push(`  columns read with the mapping preset '${s.preset}'`);
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
