/**
 * End-to-end helpers for the `cosell` command line. Tests run the COMPILED CLI (`bin/cosell`)
 * in a child process, as a script would, against a fresh store per test: SQLite in a temp
 * folder, or a new PostgreSQL schema when COSELL_TEST_DATABASE_URL is set.
 *
 * This file is also vitest's globalSetup (see vitest.config.ts): `setup` compiles once
 * before any test, so the CLI under test is the code in src/, never a stale dist/.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "pg";
import { afterEach, beforeAll, beforeEach, expect, inject } from "vitest";
import type { TestProject } from "vitest/node";
import { EXIT } from "../cli/exit-codes.js";
import { readCsv } from "../core/csv/index.js";
import { openDatabase } from "../server/db/connect.js";
import type { Store } from "../server/db/store.js";
import { resolveStoreOptions } from "../server/db/store-options.js";
import { newSchemaName, testDatabaseUrl } from "./db.js";
import { makeWorld } from "./deals.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The build's output when `npm run build` failed, else null. */
    cliBuildError: string | null;
  }
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const COSELL_BIN = path.join(ROOT, "bin", "cosell");
export const FIXTURES_DIR = path.join(ROOT, "fixtures");

/** Compiles src/ to dist/ with the project's own build script; returns its output on failure. */
const build = (): Promise<string | null> =>
  new Promise((resolve) => {
    execFile("npm", ["run", "--silent", "build"], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve(err ? `npm run build failed (${err.message})\n${stdout}${stderr}` : null),
    );
  });

/**
 * One build per run, whichever project asks first (vitest.config.ts has two, and two builds at
 * once would empty dist/web under each other): kept on the process, which every project's
 * global setup shares.
 */
const BUILD_KEY = Symbol.for("cosell.test.build");
const buildOnce = (fresh: boolean): Promise<string | null> => {
  const shared = globalThis as { [BUILD_KEY]?: { at: number; done: Promise<string | null> } };
  const last = shared[BUILD_KEY];
  // A rerun calls every project's hook at once: the first one rebuilds, the others share it.
  if (!last || (fresh && Date.now() - last.at > 2_000)) {
    shared[BUILD_KEY] = { at: Date.now(), done: build() };
  }
  return (shared[BUILD_KEY] ?? { done: build() }).done;
};

/** vitest globalSetup: build before the run, and before each rerun in watch mode. */
export async function setup(project: TestProject): Promise<void> {
  // Only the CLI tests need dist/: they fail with the build's output; the others still run.
  project.provide("cliBuildError", await buildOnce(false));
  project.onTestsRerun(async () => {
    project.provide("cliBuildError", await buildOnce(true));
  });
}

export interface CliResult {
  /** Null when the process was ended by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Added to a clean environment; `undefined` removes a variable. */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** The run fails when cosell takes longer, e.g. because it waits on standard input. */
  timeoutMs?: number;
}

/** Variables that pick the store: never inherited from whoever runs the tests. */
const STORE_VARS = ["DATABASE_URL", "COSELL_DATA_DIR", "COSELL_TEST_DATABASE_URL"];

const childEnv = (extra: RunOptions["env"] = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of STORE_VARS) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
};

/**
 * Runs `node bin/cosell ...args`. Standard input is a pipe that is never written to nor
 * closed: a command that read it would hang, so every run also proves that no command waits
 * on standard input when it is not a terminal.
 */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const { cwd = ROOT, timeoutMs = 20_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COSELL_BIN, ...args], {
      cwd,
      env: childEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `cosell ${args.join(" ")} did not finish within ${timeoutMs} ms (waiting on standard input?)\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const shellQuote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;

/** util-linux `script` gives a child a pseudo-terminal; BSD's takes other arguments. */
export const canRunInTerminal = (): boolean =>
  process.platform === "linux" && spawnSync("script", ["--version"]).status === 0;

/** Runs cosell with a terminal as its standard output and error (merged into `stdout`). */
export function runCliInTerminal(
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  const { cwd = ROOT, timeoutMs = 20_000 } = options;
  const command = [process.execPath, COSELL_BIN, ...args].map(shellQuote).join(" ");
  return new Promise((resolve, reject) => {
    execFile(
      "script",
      ["--quiet", "--return", "--command", command, "/dev/null"],
      { cwd, env: childEnv(options.env), timeout: timeoutMs, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Parses the one JSON object a `--json` run prints. */
export const jsonOf = (result: CliResult): unknown => {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(
      `cosell did not print one JSON object (exit ${result.code})\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  }
};

export const expectExit = (result: CliResult, code: number): void => {
  // Compared with standard error beside it, so a wrong exit code shows why.
  expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code });
};

/** The Deal Name of every record of an exported file (English or French headers), sorted. */
export const dealNames = (csv: string): string[] => {
  const { header, records } = readCsv(csv);
  const at = header.findIndex((h) => h === "Deal Name" || h === "Nom de la transaction");
  return records.map((r) => r.cells[at] ?? "").sort();
};

export interface CliWorld {
  /** A fresh temp folder: the working directory of every run, and a place for files. */
  dir: string;
  /** The variables that point cosell at this test's store. */
  env: Readonly<Record<string, string>>;
  /** Runs cosell in `dir` against this test's store. */
  run(args: readonly string[], options?: RunOptions): Promise<CliResult>;
  /** Writes a file into `dir` and returns its path. */
  write(name: string, content: string | Uint8Array): Promise<string>;
  /** Opens this test's store in-process, the way the CLI does, for seeding or inspection. */
  withStore<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  /**
   * The accounts of `makeWorld` (Contoso: an admin and a user; Fabrikam: an admin), made
   * in-process because three CLI runs would cost a second per test. Returns their emails.
   */
  seedAccounts(): Promise<{ admin: string; user: string; stranger: string }>;
  /** How many deals `as` sees through `filters`: the count of `export --json`. */
  count(as: string, ...filters: string[]): Promise<number>;
}

/** A PostgreSQL URL whose connections use `schema` (which must exist). */
const urlWithSchema = (base: string, schema: string): string =>
  `${base}${base.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;

const onPostgres = async (url: string, query: string): Promise<void> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
};

/** Registers a fresh CLI world per test and returns a getter for it. */
export function setupCliWorld(): () => CliWorld {
  let world: CliWorld | undefined;
  let cleanup: (() => Promise<void>) | undefined;

  beforeAll(() => {
    const buildError = inject("cliBuildError");
    if (buildError) throw new Error(buildError);
  });

  beforeEach(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cosell-cli-"));
    const pgUrl = testDatabaseUrl();
    let env: Record<string, string>;
    if (pgUrl) {
      const schema = newSchemaName();
      await onPostgres(pgUrl, `create schema "${schema}"`);
      env = { DATABASE_URL: urlWithSchema(pgUrl, schema) };
      cleanup = async () => {
        await onPostgres(pgUrl, `drop schema if exists "${schema}" cascade`);
        await rm(dir, { recursive: true, force: true });
      };
    } else {
      env = { COSELL_DATA_DIR: path.join(dir, "data") };
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    const run: CliWorld["run"] = (args, options = {}) =>
      runCli(args, { ...options, cwd: options.cwd ?? dir, env: { ...env, ...options.env } });
    const withStore: CliWorld["withStore"] = async (fn) => {
      const store = await openDatabase(resolveStoreOptions(env, {}));
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    };
    world = {
      dir,
      env,
      run,
      withStore,
      async write(name, content) {
        const file = path.join(dir, name);
        await writeFile(file, content);
        return file;
      },
      seedAccounts: () =>
        withStore(async (store) => {
          const { admin, user, stranger } = await makeWorld(store);
          return { admin: admin.email, user: user.email, stranger: stranger.email };
        }),
      async count(as, ...filters) {
        const r = await run(["export", "--as", as, ...filters, "-o", "count.csv", "--json"]);
        expectExit(r, EXIT.ok);
        const json = jsonOf(r);
        const count = typeof json === "object" && json && "count" in json ? json.count : null;
        if (typeof count !== "number")
          throw new Error(`export --json printed no count: ${r.stdout}`);
        return count;
      },
    };
  });

  afterEach(async () => {
    const done = cleanup;
    world = undefined;
    cleanup = undefined;
    await done?.();
  });

  return () => {
    if (!world) throw new Error("setupCliWorld(): the world exists only inside a test");
    return world;
  };
}
