/**
 * Remote mode end to end: the compiled CLI with --server and --token against a real server
 * (the app and a worker on a test store), compared run for run with local mode on a store of
 * the same accounts. Same flags, same output, same exit codes.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readCsv } from "../core/csv/index.js";
import { createApiToken } from "../server/commands/credentials.js";
import type { Store } from "../server/db/store.js";
import { buildApp } from "../server/http/app.js";
import { claimJob } from "../server/db/jobs-repo.js";
import { Worker, workerOptionsFromEnv } from "../server/jobs/worker.js";
import { setupCosellProcesses } from "../test-support/child.js";
import {
  type CliResult,
  dealNames,
  expectExit,
  FIXTURES_DIR,
  jsonOf,
  setupCliWorld,
} from "../test-support/cli.js";
import { openTestStore } from "../test-support/db.js";
import { csvBytes, makeWorld, newDealRow, type World } from "../test-support/deals.js";
import { EXIT } from "./exit-codes.js";

const world = setupCliWorld();

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

interface Server extends World {
  url: string;
  /** `--server URL --token TOKEN` for the Contoso admin. */
  flags: string[];
  worker: Worker;
  stop(): Promise<void>;
}

let server: Server | undefined;
const remote = (): Server => {
  if (!server) throw new Error("the server runs only inside a test");
  return server;
};

beforeEach(async () => {
  const store = await openTestStore();
  const accounts = await makeWorld(store);
  const worker = new Worker(store, workerOptionsFromEnv({ COSELL_JOB_POLL_MS: "50" }, quiet));
  const app = await buildApp({ store, worker });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  worker.start();
  const { token } = await createApiToken(store, accounts.admin, "remote test");
  server = {
    ...accounts,
    url,
    flags: ["--server", url, "--token", token],
    worker,
    async stop() {
      await worker.stop(0);
      await app.close();
      await store.close();
    },
  };
});

afterEach(async () => {
  const s = server;
  server = undefined;
  await s?.stop();
});

const fixture = (name: string): string => path.join(FIXTURES_DIR, name);

/**
 * The same command locally (as the admin, on the CLI world's store, seeded first) and
 * remotely (with the admin's token). The two stores go through the same history.
 */
const both = async (
  args: string[],
  { as = true } = {},
): Promise<{ local: CliResult; remote: CliResult }> => {
  const local = await world().run(as ? [...args, "--as", remote().admin.email] : args);
  const far = await world().run([...remote().flags, ...args]);
  return { local, remote: far };
};

/** New deals get new ids and times on each store: compare everything else. */
const withoutIds = (text: string): string =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, "<time>")
    .replace(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}(:\d{2})?/g, "<time>");

const expectSame = (results: { local: CliResult; remote: CliResult }, code: number) => {
  expectExit(results.local, code);
  expectExit(results.remote, code);
  expect(withoutIds(results.remote.stdout)).toBe(withoutIds(results.local.stdout));
};

const deals = (store: Store) => store.db.selectFrom("deals").select("name").execute();

describe("cosell --server URL --token TOKEN import", () => {
  beforeEach(async () => {
    await world().seedAccounts();
  });

  it("prints the same --json and exits 0 when every row is created", async () => {
    const results = await both(["import", fixture("create-en.csv"), "--json"]);
    expectSame(results, EXIT.ok);
    expect(jsonOf(results.remote)).toMatchObject({ created: 12, notProcessed: 0 });
    expect(await deals(remote().store)).toHaveLength(12);
  });

  it("prints the same summary and row errors, and exits 1", async () => {
    const results = await both(["import", fixture("errors-mixed.csv")]);
    expectSame(results, EXIT.someRowsFailed);
    expect(results.remote.stdout).toContain("not processed 7");
    const json = await both(["import", fixture("errors-mixed.csv"), "--json"]);
    expectSame(json, EXIT.someRowsFailed);
  });

  it("--results writes the same results file", async () => {
    const file = fixture("errors-mixed.csv");
    const local = await world().run([
      "import",
      file,
      "--as",
      remote().admin.email,
      "--results",
      "l.csv",
    ]);
    const far = await world().run([...remote().flags, "import", file, "--results", "r.csv"]);
    expectExit(local, EXIT.someRowsFailed);
    expectExit(far, EXIT.someRowsFailed);
    expect(withoutIds(far.stdout.replace("r.csv", "l.csv"))).toBe(withoutIds(local.stdout));
    const [l, r] = await Promise.all(
      ["l.csv", "r.csv"].map((name) => readFile(path.join(world().dir, name))),
    );
    // Byte for byte but for the new ids and times: the byte-order mark survives the trip.
    expect(withoutIds(r?.toString("latin1") ?? "")).toBe(withoutIds(l?.toString("latin1") ?? ""));
    const { header, records } = readCsv(r?.toString("utf8") ?? "");
    expect(header[0]).toBe("Errors");
    expect(records.filter((x) => x.cells[0] !== "")).toHaveLength(7);
  });

  it("--dry-run reports the same and writes nothing", async () => {
    const results = await both(["import", fixture("create-en.csv"), "--dry-run", "--json"]);
    expectSame(results, EXIT.ok);
    expect(jsonOf(results.remote)).toMatchObject({ dryRun: true, created: 12 });
    expect(await deals(remote().store)).toHaveLength(0);
  });

  it("rejects a file whole with exit 2 and the same {rejected, error}", async () => {
    const row = newDealRow();
    const file = await world().write(
      "duplicate-header.csv",
      csvBytes([row], [...Object.keys(row), "Deal Name"]),
    );
    const json = await both(["import", file, "--json"]);
    expectSame(json, EXIT.rejected);
    expect(jsonOf(json.remote)).toEqual({
      rejected: true,
      error: { code: "duplicate_header", message: expect.any(String) },
    });
    const plain = await both(["import", file]);
    expectExit(plain.remote, EXIT.rejected);
    expect(plain.remote.stderr).toBe(plain.local.stderr);
    expect(await deals(remote().store)).toHaveLength(0);
  });

  it("checks --as against the token, and refuses a bad token (exit 2)", async () => {
    const file = fixture("create-en.csv");
    const same = await world().run([
      ...remote().flags,
      "import",
      file,
      "--as",
      remote().admin.email,
    ]);
    expectExit(same, EXIT.ok);
    const other = await world().run([
      ...remote().flags,
      "import",
      file,
      "--as",
      remote().user.email,
    ]);
    expectExit(other, EXIT.rejected);
    expect(other.stderr).toContain("does not match the token");
    const bad = await world().run([
      "--server",
      remote().url,
      "--token",
      "cst_nope",
      "import",
      file,
    ]);
    expectExit(bad, EXIT.rejected);
    expect(bad.stderr).toContain("The API token is not valid");
  });

  it("takes COSELL_SERVER and COSELL_TOKEN from the environment", async () => {
    const [, url, , token] = remote().flags;
    const r = await world().run(["import", fixture("create-en.csv"), "--json"], {
      env: { COSELL_SERVER: url, COSELL_TOKEN: token },
    });
    expectExit(r, EXIT.ok);
    expect(await deals(remote().store)).toHaveLength(12);
  });

  it("says the server cannot be reached (exit 3)", async () => {
    const url = remote().url;
    await remote().stop();
    server = undefined;
    const r = await world().run(["--server", url, "--token", "cst_x", "template"], {
      timeoutMs: 30_000,
    });
    expectExit(r, EXIT.failure);
    expect(r.stderr).toContain(`Cannot reach the cosell server at ${url}`);
  });
});

describe("cosell --server URL --token TOKEN export", () => {
  it("writes the same file and prints the same --json, with the same filters", async () => {
    const { admin } = await world().seedAccounts();
    const file = fixture("create-en.csv");
    expectExit(await world().run(["import", file, "--as", admin]), EXIT.ok);
    expectExit(await world().run([...remote().flags, "import", file]), EXIT.ok);

    for (const filters of [[], ["--country", "US,FR"], ["--type", "co-sell", "--lang", "fr"]]) {
      const local = await world().run([
        "export",
        "--as",
        admin,
        ...filters,
        "-o",
        "l.csv",
        "--json",
      ]);
      const far = await world().run([
        ...remote().flags,
        "export",
        ...filters,
        "-o",
        "r.csv",
        "--json",
      ]);
      expectExit(local, EXIT.ok);
      expectExit(far, EXIT.ok);
      const expected = jsonOf(local);
      expect(expected).toMatchObject({ file: "l.csv" });
      expect(jsonOf(far)).toEqual(
        typeof expected === "object" ? { ...expected, file: "r.csv" } : expected,
      );
      const text = (name: string) => readFile(path.join(world().dir, name), "utf8");
      expect(dealNames(await text("r.csv"))).toEqual(dealNames(await text("l.csv")));
      expect((await text("r.csv")).split("\r\n")[0]).toBe((await text("l.csv")).split("\r\n")[0]);
    }
  });

  it("refuses a bad filter with the same message (exit 2)", async () => {
    await world().seedAccounts();
    const results = await both(["export", "--country", "Atlantis", "-o", "x.csv"]);
    expectExit(results.local, EXIT.rejected);
    expectExit(results.remote, EXIT.rejected);
    expect(results.remote.stderr).toBe(results.local.stderr);
  });
});

describe("cosell --server URL --token TOKEN template", () => {
  it("prints and writes the same template", async () => {
    const printed = await both(["template", "--lang", "fr", "--example"], { as: false });
    expectExit(printed.remote, EXIT.ok);
    expect(printed.remote.stdout).toBe(printed.local.stdout);

    const far = await world().run([...remote().flags, "template", "-o", "t.csv"]);
    expectExit(far, EXIT.ok);
    expect(far.stderr).toBe("Template written to t.csv\n");
    const local = await world().run(["template"]);
    expect(await readFile(path.join(world().dir, "t.csv"), "utf8")).toBe(local.stdout);
  });
});

describe("Ctrl-C during a remote import", () => {
  const spawn = setupCosellProcesses();

  /** A server on the same store with no worker: the job waits in the queue until told. */
  const queueOnly = async () => {
    await remote().worker.stop(0);
    const app = await buildApp({ store: remote().store });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    const { token } = await createApiToken(remote().store, remote().admin, "ctrl-c test");
    return { app, flags: ["--server", url, "--token", token] };
  };

  /** Starts the import and returns once its job is queued on the server. */
  const importUntilQueued = async (flags: string[]) => {
    const cli = spawn([...flags, "import", fixture("create-en.csv"), "--json"], {});
    for (let waited = 0; ; waited += 50) {
      const job = await remote()
        .store.db.selectFrom("jobs")
        .select(["id", "status"])
        .where("kind", "=", "import")
        .executeTakeFirst();
      if (job) return { cli, jobId: job.id };
      if (waited > 20_000) throw new Error(`no job was queued\n${cli.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const jobStatus = async (id: string) =>
    (
      await remote()
        .store.db.selectFrom("jobs")
        .select("status")
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).status;

  it("cancels the server's job while it waits, writes nothing, and exits 130", async () => {
    const { app, flags } = await queueOnly();
    try {
      const { cli, jobId } = await importUntilQueued(flags);
      cli.child.kill("SIGINT");
      expect(await cli.exited).toStrictEqual({ code: EXIT.interrupted, signal: null });
      expect(cli.stderr()).toContain(
        `import ${jobId} was canceled on the server before it started`,
      );
      expect(await jobStatus(jobId)).toBe("canceled");
      expect(await deals(remote().store)).toHaveLength(0);
    } finally {
      await app.close();
    }
  });

  it("says the import goes on when it already runs on the server, and exits 130", async () => {
    const { app, flags } = await queueOnly();
    try {
      const { cli, jobId } = await importUntilQueued(flags);
      // A worker takes it (and then stalls): the job runs, so it can no longer be canceled.
      expect((await claimJob(remote().store, "stalled-worker", 60_000))?.id).toBe(jobId);
      cli.child.kill("SIGINT");
      expect(await cli.exited).toStrictEqual({ code: EXIT.interrupted, signal: null });
      expect(cli.stderr()).toContain(`import ${jobId} goes on on the server`);
      expect(cli.stderr()).toContain("already started");
      expect(await jobStatus(jobId)).toBe("running");
    } finally {
      await app.close();
    }
  });
});
