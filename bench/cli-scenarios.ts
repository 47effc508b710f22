/**
 * Scenario 5: the command line end to end, process start included, on the embedded store:
 * `cosell --version`, and `cosell import` / `cosell export` of 1,000 rows.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../src/server/db/connect.js";
import { createRows, fileOf, freshOrg } from "./data.js";
import { createdWorld } from "./import-scenarios.js";
import type { Result } from "./result.js";
import { just, measure, type Repeat, trial } from "./stats.js";

/** dist/bench/ → the project folder, where bin/cosell is. */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = path.join(ROOT, "bin", "cosell");

/** The CLI's own environment minus DATABASE_URL, so `--data` is the store for certain. */
const childEnv = (): NodeJS.ProcessEnv => {
  const { DATABASE_URL: _, ...env } = process.env;
  return env;
};

/**
 * Runs `bin/cosell …` as a shell would (its `#!` line and flags included), or with `node`'s
 * flags before it; resolves on exit 0 with what it wrote to standard error.
 */
export const cosell = (
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; node?: readonly string[] } = {},
): Promise<string> =>
  new Promise((resolve, reject) => {
    const [command, argv] = options.node
      ? [process.execPath, [...options.node, BIN, ...args]]
      : [BIN, [...args]];
    const child = spawn(command, argv, {
      cwd: ROOT,
      env: options.env ?? childEnv(),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(stderr)
        : reject(new Error(`cosell ${args.join(" ")} exited with ${code}: ${stderr.trim()}`)),
    );
  });

export async function cliScenarios(repeat: Repeat, versionRuns: number): Promise<Result[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "cosell-bench-cli-"));
  try {
    const version = await measure(
      { warmup: 1, runs: versionRuns },
      just(() => cosell(["--version"])),
    );

    // One organisation per import run (so every run creates 1,000 deals from scratch),
    // and one holding 1,000 deals for the exports; made before any child runs.
    const importData = path.join(dir, "import-data");
    const exportData = path.join(dir, "export-data");
    const file = path.join(dir, "create-1000.csv");
    await writeFile(file, fileOf(createRows()));
    const importStore = await openDatabase({ dataDir: importData });
    const importers: string[] = [];
    for (let i = 0; i < repeat.warmup + repeat.runs; i++) {
      importers.push((await freshOrg(importStore)).email);
    }
    await importStore.close();
    const exportStore = await openDatabase({ dataDir: exportData });
    const exporter = (await createdWorld(exportStore)).actor.email;
    await exportStore.close();

    let next = 0;
    const imported = await measure(
      repeat,
      trial(
        async () => importers[next++] ?? "",
        (as) => cosell(["--data", importData, "import", file, "--as", as, "--json"]),
      ),
    );
    const exported = await measure(
      repeat,
      just(() =>
        cosell([
          "--data",
          exportData,
          "export",
          "--as",
          exporter,
          "-o",
          path.join(dir, "export.csv"),
          "--json",
        ]),
      ),
    );
    return [
      {
        scenario: "6a. `cosell --version` (process start)",
        store: "—",
        sample: version,
        target: { maxMs: 300 },
      },
      {
        scenario: "6b. `cosell import` 1,000-row create file (CLI)",
        store: "sqlite",
        sample: imported,
      },
      { scenario: "6c. `cosell export` of 1,000 deals (CLI)", store: "sqlite", sample: exported },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
