/**
 * No upload can hold up the server: while files no co-sell export could be (a 4.9 MB body with
 * no line break, a 200,000-column header) are being refused by `cosell serve`, `GET /api/health`
 * still answers within 200 ms. A bound on starvation, not a speed figure (the event-loop stalls
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

const singleLine = (): Uint8Array => new TextEncoder().encode("a,".repeat(2_450_000));
const wideHeader = (): Uint8Array =>
  new TextEncoder().encode(
    `${Array.from({ length: 200_000 }, (_, i) => `Column ${i}`).join(",")}\r\nx\r\n`,
  );

const PASSWORD = "a long enough password for the stall test";

describe("an upload no co-sell file could be", () => {
  const world = setupCliWorld();
  const cosell = setupCosellProcesses();
  const server = setupTestServer();

  it("is refused with its line number while the server goes on answering", async () => {
    // The server is `cosell serve` in its own process, as deployed (its Node flags included).
    const serve = cosell(["serve", "--port", "0"], {
      ...world().env,
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
    const dir = await mkdtemp(path.join(tmpdir(), "cosell-stall-"));
    const files = [path.join(dir, "single-line.csv"), path.join(dir, "wide-header.csv")];
    await writeFile(files[0] ?? "", singleLine());
    await writeFile(files[1] ?? "", wideHeader());
    // The uploads come from a third process, as from another person: the server runs only its
    // own work.
    const uploader = spawn(
      process.execPath,
      ["--input-type=module", "-e", UPLOADER, url, cookie, csrfToken, ...files],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    uploader.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    let pending = true;
    const exited = new Promise<number | null>((resolve) => {
      uploader.on("exit", (code) => {
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
    await rm(dir, { recursive: true, force: true });

    const answers: { status: number; body: { error: { code: string; message: string } } }[] =
      JSON.parse(output);
    console.info(
      `health answered ${waits.length} times, worst ${Math.round(Math.max(...waits))} ms`,
    );
    expect(answers.map((a) => [a.status, a.body.error.code])).toEqual([
      [422, "too_many_columns"],
      [422, "too_many_columns"],
    ]);
    for (const a of answers) expect(a.body.error.message).toMatch(/^Line 1 /);
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
