/**
 * `cosell serve` (what `npm start` runs) end to end: the compiled CLI in a child process on a
 * fresh store, reached over HTTP like a browser or a script would.
 */

import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setupCosellProcesses, spawnCosell } from "../test-support/child.js";
import { FIXTURES_DIR, setupCliWorld } from "../test-support/cli.js";
import { DEMO_ADMIN_EMAIL, DEMO_ORG, DEMO_USER_EMAIL } from "./demo-data.js";

const world = setupCliWorld();
const cosell = setupCosellProcesses();

const URL_LINE = /cosell is running at (http:\/\/\S+)/;
const READY = /Press Ctrl-C to stop\./;

/** Starts `cosell serve` on a free port and waits until it listens. */
const serve = async (env: Record<string, string> = {}, args: string[] = ["--port", "0"]) => {
  const server = cosell(["serve", ...args], { ...world().env, ...env });
  const [, url = ""] = await server.waitFor(URL_LINE);
  await server.waitFor(READY);
  return { server, url };
};

const passwordOf = (stdout: string, email: string): string => {
  const match = new RegExp(`${email.replace(/\./g, "\\.")}\\s+password: (\\S+)`).exec(stdout);
  if (!match?.[1]) throw new Error(`no password printed for ${email}:\n${stdout}`);
  return match[1];
};

const signIn = async (url: string, email: string, password: string) => {
  const res = await fetch(`${url}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { status: res.status, body: await res.json(), cookie };
};

const dealTotal = async (url: string, cookie: string, query = ""): Promise<unknown> => {
  const res = await fetch(`${url}/api/deals?limit=1${query}`, { headers: { cookie } });
  const body: unknown = await res.json();
  return typeof body === "object" && body && "total" in body ? body.total : body;
};

const counts = () =>
  world().withStore(async (store) => {
    const n = async (table: "organizations" | "users" | "deals") =>
      (await store.db.selectFrom(table).select("id").execute()).length;
    return {
      organizations: await n("organizations"),
      users: await n("users"),
      deals: await n("deals"),
    };
  });

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

describe("cosell serve", () => {
  it("seeds a demo on a first start, prints its URL and credentials, serves it, and exits 0 on SIGTERM", async () => {
    const { server, url } = await serve();
    const stdout = server.stdout();
    expect(stdout).toContain(`Created the demo organisation '${DEMO_ORG}' with 60 sample deals.`);

    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });

    const admin = await signIn(url, DEMO_ADMIN_EMAIL, passwordOf(stdout, DEMO_ADMIN_EMAIL));
    expect(admin).toMatchObject({ status: 200, body: { email: DEMO_ADMIN_EMAIL, role: "admin" } });
    expect(await dealTotal(url, admin.cookie)).toBe(60);
    expect(await dealTotal(url, admin.cookie, "&tab=inbound")).toBe(15);
    expect(await dealTotal(url, admin.cookie, "&tab=outbound")).toBe(45);
    expect(await dealTotal(url, admin.cookie, "&status=Won")).toBe(9);

    // The Referrals user sees only the deals whose team she is on.
    const user = await signIn(url, DEMO_USER_EMAIL, passwordOf(stdout, DEMO_USER_EMAIL));
    expect(user.status).toBe(200);
    const mine = await dealTotal(url, user.cookie);
    expect(mine).toBeGreaterThan(0);
    expect(mine).toBeLessThan(60);

    // Logs are JSON lines on standard error, never mixed into standard output.
    const firstLog = server.stderr().split("\n")[0] ?? "";
    expect(JSON.parse(firstLog)).toMatchObject({ level: 30, msg: expect.any(String) });
    expect(stdout).not.toContain('"level"');

    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it("runs import jobs with the worker inside it", async () => {
    const { server, url } = await serve();
    const admin = await signIn(
      url,
      DEMO_ADMIN_EMAIL,
      passwordOf(server.stdout(), DEMO_ADMIN_EMAIL),
    );
    const csrf = typeof admin.body === "object" && admin.body ? admin.body.csrfToken : "";
    const submitted = await fetch(`${url}/api/imports?fileName=create-en.csv`, {
      method: "POST",
      headers: { cookie: admin.cookie, "x-csrf-token": csrf, "content-type": "text/csv" },
      body: await readFile(path.join(FIXTURES_DIR, "create-en.csv")),
    });
    expect(submitted.status).toBe(202);
    const { id } = await submitted.json();
    let job: { status?: string; summary?: unknown } = {};
    for (let i = 0; i < 100 && job.status !== "succeeded" && job.status !== "failed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await (
        await fetch(`${url}/api/imports/${id}`, { headers: { cookie: admin.cookie } })
      ).json();
    }
    expect(job).toMatchObject({ status: "succeeded", summary: { created: 12, notProcessed: 0 } });
    expect(await dealTotal(url, admin.cookie)).toBe(72);
  });

  it("does not seed again on a second start on the same data", async () => {
    const first = await serve();
    first.server.child.kill("SIGTERM");
    expect((await first.server.exited).code).toBe(0);
    const before = await counts();

    const { server } = await serve();
    expect(server.stdout()).not.toContain("Created the demo organisation");
    expect(server.stdout()).not.toContain("password");
    server.child.kill("SIGINT");
    expect({ exit: await server.exited, stderr: server.stderr() }).toMatchObject({
      exit: { code: 0 },
    });
    expect(await counts()).toEqual(before);
  });

  it("seeds nothing with COSELL_DEMO=0", async () => {
    const { server, url } = await serve({ COSELL_DEMO: "0" });
    expect(server.stdout()).not.toContain("Created the demo organisation");
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
    expect(await counts()).toEqual({ organizations: 0, users: 0, deals: 0 });
  });

  it("takes the admin from COSELL_ADMIN_EMAIL and COSELL_ADMIN_PASSWORD, and never prints that password", async () => {
    const password = "correct-horse-battery";
    const { server, url } = await serve({
      COSELL_ADMIN_EMAIL: "boss@partner.example",
      COSELL_ADMIN_PASSWORD: password,
    });
    expect(server.stdout()).toContain("boss@partner.example");
    expect(server.stdout()).not.toContain(password);
    expect((await signIn(url, "boss@partner.example", password)).status).toBe(200);
  });

  it("listens on PORT and HOST from the environment, and --port wins over PORT", async () => {
    const fromEnv = await freePort();
    const { url } = await serve({ PORT: String(fromEnv), HOST: "127.0.0.1", COSELL_DEMO: "0" }, []);
    expect(url).toBe(`http://127.0.0.1:${fromEnv}`);

    const fromFlag = await freePort();
    const other = await serve({ PORT: String(fromEnv), COSELL_DEMO: "0" }, [
      "--port",
      String(fromFlag),
    ]);
    expect(other.url).toBe(`http://127.0.0.1:${fromFlag}`);
  });

  it("says so and exits 3 when the port is taken", async () => {
    const { url } = await serve({ COSELL_DEMO: "0" });
    const port = new URL(url).port;
    const second = spawnCosell(["serve", "--port", port], { ...world().env, COSELL_DEMO: "0" });
    expect(await second.exited).toEqual({ code: 3, signal: null });
    expect(second.stderr()).toContain(`127.0.0.1:${port} is already in use`);
  });

  it("applies the limits of the environment, and shows them at start and on /api/limits and /api/health", async () => {
    const { server, url } = await serve({
      COSELL_IMPORT_MAX_ROWS: "5",
      COSELL_EXPORT_MAX_RECORDS: "3",
      COSELL_UPLOAD_MAX_BYTES: "64KiB",
    });
    expect(server.stdout()).toContain(
      "Limits: imports 5 rows, exports 3 deals, uploads 64 KiB, 50 solutions and 50 team members per deal, 32,000 characters per cell.",
    );
    const limits = {
      importRows: 5,
      exportRecords: 3,
      uploadBytes: 65_536,
      solutionsPerDeal: 50,
      teamMembersPerDeal: 50,
      cellChars: 32_000,
    };
    expect(await (await fetch(`${url}/api/limits`)).json()).toEqual(limits);
    expect(await (await fetch(`${url}/api/health`)).json()).toMatchObject({ status: "ok", limits });

    const admin = await signIn(
      url,
      DEMO_ADMIN_EMAIL,
      passwordOf(server.stdout(), DEMO_ADMIN_EMAIL),
    );
    const csrf = typeof admin.body === "object" && admin.body ? admin.body.csrfToken : "";
    const headers = { cookie: admin.cookie, "x-csrf-token": csrf };
    // create-en.csv has 12 rows: over this server's limit of 5, refused whole.
    const tooMany = await fetch(`${url}/api/imports?fileName=create-en.csv`, {
      method: "POST",
      headers: { ...headers, "content-type": "text/csv" },
      body: await readFile(path.join(FIXTURES_DIR, "create-en.csv")),
    });
    expect(tooMany.status).toBe(422);
    expect((await tooMany.json()).error).toMatchObject({ code: "too_many_rows" });
    const tooLarge = await fetch(`${url}/api/imports?fileName=big.csv`, {
      method: "POST",
      headers: { ...headers, "content-type": "text/csv" },
      body: "x".repeat(70_000),
    });
    expect(tooLarge.status).toBe(413);

    // The export job (run by the worker inside the server) stops at 3 deals of the 60.
    const submitted = await fetch(`${url}/api/exports`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({}),
    });
    expect(submitted.status).toBe(202);
    const { id } = await submitted.json();
    let job: { status?: string; count?: unknown; leftOut?: unknown } = {};
    for (let i = 0; i < 100 && job.status !== "succeeded" && job.status !== "failed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await (
        await fetch(`${url}/api/exports/${id}`, { headers: { cookie: admin.cookie } })
      ).json();
    }
    expect(job).toMatchObject({ status: "succeeded" });
    expect(JSON.stringify(job)).toContain('"leftOut":57');
  });

  it("refuses to start with a limit that is not one (exit 2), naming the variable", async () => {
    const r = await world().run(["serve", "--port", "0"], {
      env: { COSELL_IMPORT_MAX_ROWS: "a lot" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("COSELL_IMPORT_MAX_ROWS='a lot' is not a valid limit");
    const w = await world().run(["worker"], { env: { COSELL_UPLOAD_MAX_BYTES: "0" } });
    expect(w.code).toBe(2);
    expect(w.stderr).toContain("COSELL_UPLOAD_MAX_BYTES='0' is not a valid limit");
  });

  it("refuses a port that is not one (exit 2)", async () => {
    const r = await world().run(["serve", "--port", "http"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'http' is not a port number");
  });
});
