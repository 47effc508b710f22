/**
 * No upload can hold up the server: while files no co-sell export could be (a 4.9 MB body with
 * no line break, a 200,000-column header) are being refused by `cosell serve`, and while a large
 * valid file is imported (streamed: checked at submission, then planned and applied by the
 * server's worker chunk after chunk), `GET /api/health` still answers within 200 ms. A bound on starvation, not a speed figure (the event-loop stalls
 * measured are in docs/BENCHMARKS.md).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setupTestServer, withToken } from "../../../test-support/http.js";
import { setupCosellProcesses } from "../../../test-support/child.js";
import { setupCliWorld } from "../../../test-support/cli.js";
import { csvBytes, newDealRow } from "../../../test-support/deals.js";
import { STREAM_FROM_BYTES } from "../../commands/import-stream.js";
import { HostileTally } from "../../../test-support/hostile.js";

const STARVATION_BOUND_MS = 200;

/** Posts each file (argv: url, token, files…) as a dry-run import at once; prints the answers as JSON. */
const UPLOADER = `
import { readFile } from "node:fs/promises";
const [url, cookie, csrf, ...files] = process.argv.slice(1);
const answers = await Promise.all(files.map(async (file) => {
  const res = await fetch(url + "/api/imports?dryRun=true", {
    method: "POST",
    headers: { cookie, "x-csrf-token": csrf, "content-type": "text/csv" },
    body: await readFile(file),
  });
  return { status: res.status, body: await res.json() };
}));
process.stdout.write(JSON.stringify(answers));
`;

/** Imports the file (argv: url, cookie, csrf, file) and follows its job to the end; prints the job as JSON. */
const IMPORTER = `
import { readFile } from "node:fs/promises";
const [url, cookie, csrf, file] = process.argv.slice(1);
const headers = { cookie, "x-csrf-token": csrf };
const res = await fetch(url + "/api/imports", {
  method: "POST",
  headers: { ...headers, "content-type": "text/csv" },
  body: await readFile(file),
});
const { id } = await res.json();
for (;;) {
  const job = await (await fetch(url + "/api/imports/" + id, { headers })).json();
  if (job.status !== "queued" && job.status !== "running") {
    process.stdout.write(JSON.stringify(job));
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
`;

const singleLine = (): Uint8Array => new TextEncoder().encode("a,".repeat(2_450_000));
const wideHeader = (): Uint8Array =>
  new TextEncoder().encode(
    `${Array.from({ length: 200_000 }, (_, i) => `Column ${i}`).join(",")}\r\nx\r\n`,
  );

const PASSWORD = "a long enough password for the stall test";

/** `cosell serve` in its own process, as deployed (its Node flags included), signed in as its admin. */
const startServe = async (
  cosell: ReturnType<typeof setupCosellProcesses>,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; cookie: string; csrfToken: string }> => {
  const serve = cosell(["serve", "--port", "0"], {
    ...env,
    COSELL_ADMIN_EMAIL: "admin@stall.example",
    COSELL_ADMIN_PASSWORD: PASSWORD,
  });
  const [, url = ""] = await serve.waitFor(/cosell is running at (http:\/\/\S+)/);
  await serve.waitFor(/Press Ctrl-C to stop\./);
  const signIn = await fetch(`${url}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@stall.example", password: PASSWORD }),
  });
  expect(signIn.status).toBe(200);
  const { csrfToken }: { csrfToken: string } = await signIn.json();
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { url, cookie, csrfToken };
};

/** Runs `script` in a third process, as another person would, asking for /api/health until it ends. */
const healthWhile = async (
  url: string,
  script: string,
  args: readonly string[],
): Promise<{ waits: number[]; output: string }> => {
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, url, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  let pending = true;
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      pending = false;
      resolve(code);
    });
  });
  const waits: number[] = [];
  while (pending) {
    const started = performance.now();
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    waits.push(performance.now() - started);
  }
  expect(await exited).toBe(0);
  console.info(`health answered ${waits.length} times, worst ${Math.round(Math.max(...waits))} ms`);
  return { waits, output };
};

describe("an upload no co-sell file could be", () => {
  const world = setupCliWorld();
  const cosell = setupCosellProcesses();
  const server = setupTestServer();

  it("is refused with its line number while the server goes on answering", async () => {
    const { url, cookie, csrfToken } = await startServe(cosell, world().env);
    const dir = await mkdtemp(path.join(tmpdir(), "cosell-stall-"));
    const files = [path.join(dir, "single-line.csv"), path.join(dir, "wide-header.csv")];
    await writeFile(files[0] ?? "", singleLine());
    await writeFile(files[1] ?? "", wideHeader());
    // The uploads come from a third process, as from another person: the server runs only its
    // own work.
    const { waits, output } = await healthWhile(url, UPLOADER, [cookie, csrfToken, ...files]);
    await rm(dir, { recursive: true, force: true });

    const answers: { status: number; body: { error: { code: string; message: string } } }[] =
      JSON.parse(output);
    // The hostile suite's figures: two refused uploads, the health checks, the worst wait.
    const tally = new HostileTally("uploads that would stall the server (GET /api/health waits)");
    for (const a of answers) tally.response(a.status, "stalling upload");
    tally.case(waits.length);
    tally.observeStall(Math.max(...waits));
    tally.report();
    expect(answers.map((a) => [a.status, a.body.error.code])).toEqual([
      [422, "too_many_columns"],
      [422, "too_many_columns"],
    ]);
    for (const a of answers) expect(a.body.error.message).toMatch(/^Line 1 /);
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThan(STARVATION_BOUND_MS);
  });

  it("nor does a large valid import: streamed, checked, planned and applied while the server answers", async () => {
    const rows = 9000; // ~5 MB: streamed (STREAM_FROM_BYTES)
    const { url, cookie, csrfToken } = await startServe(cosell, {
      ...world().env,
      COSELL_IMPORT_MAX_ROWS: String(rows),
      COSELL_UPLOAD_MAX_BYTES: "32MiB",
    });
    const dir = await mkdtemp(path.join(tmpdir(), "cosell-stall-"));
    const file = path.join(dir, "large.csv");
    const bytes = csvBytes(
      Array.from({ length: rows }, (_, i) =>
        newDealRow({
          "Deal Name": `Large import ${i}`,
          "CRM ID": `LARGE-${i}`,
          Notes: "n".repeat(350),
        }),
      ),
    );
    expect(bytes.length).toBeGreaterThan(STREAM_FROM_BYTES);
    await writeFile(file, bytes);
    const { waits, output } = await healthWhile(url, IMPORTER, [cookie, csrfToken, file]);
    await rm(dir, { recursive: true, force: true });
    const job: { status: string; summary: { created: number } | null } = JSON.parse(output);
    expect([job.status, job.summary?.created]).toEqual(["succeeded", rows]);
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThan(STARVATION_BOUND_MS);
  });

  it("refuses a line longer than its columns could make at the cell limit, naming the line", async () => {
    const s = server();
    const admin = await withToken(s, s.admin);
    const header = "Deal Name,Notes";
    const body = `${header}\r\nshort,row\r\n${"x".repeat(200_000)}\r\n`;
    const res = await admin.json<{ error: { code: string; message: string } }>(
      "/api/imports?dryRun=true",
      { method: "POST", headers: { "content-type": "text/csv" }, body },
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("line_too_long");
    expect(res.body.error.message).toMatch(/^Line 3 is more than 128,006 characters long/);
  });
});
