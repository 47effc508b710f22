/**
 * The hostile-input suite's bookkeeping (`npm run test:hostile`, vitest.hostile.config.ts).
 * Each hostile file counts what it tried and reports it with `recordHostileFigures`; the
 * suite's globalSetup (this file's `setup`/`teardown`) adds them up and prints the totals:
 * cases, crashes, 5xx answers, the worst event-loop stall seen.
 *
 * To add a case: write `something.hostile.ts` beside the code it attacks, count with a
 * `HostileTally` (`tally.case()`, `tally.response(status)`, `tally.crash(error)`), and call
 * `tally.report()` in an afterAll. A plain test file that already holds hostile cases goes in
 * the config's EXISTING list instead.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The JSON-lines file the hostile files append their figures to. */
    hostileFigures: string;
  }
}

export interface HostileFigures {
  name: string;
  cases: number;
  crashes: number;
  serverErrors: number;
  worstStallMs: number;
}

/** Counts one hostile file's cases and watches this process's event loop while it runs. */
export class HostileTally {
  cases = 0;
  crashes = 0;
  serverErrors = 0;
  readonly #examples: string[] = [];
  readonly #loop = monitorEventLoopDelay({ resolution: 10 });
  #observedStallMs = 0;

  constructor(readonly name: string) {
    this.#loop.enable();
  }

  /** Forgets the stalls seen so far (a server's start-up is not a hostile case). */
  watchFromNow(): void {
    this.#loop.reset();
  }

  case(n = 1): void {
    this.cases += n;
  }

  /** An HTTP answer: a 5xx is counted (and its example kept). */
  response(status: number, what: string): void {
    this.cases += 1;
    if (status >= 500) {
      this.serverErrors += 1;
      if (this.#examples.length < 10) this.#examples.push(`${status}: ${what}`);
    }
  }

  /**
   * A stall measured elsewhere: another process's (a `cosell serve` child's), seen as how long a
   * request it should answer at once waited. Counted with this process's own.
   */
  observeStall(ms: number): void {
    this.#observedStallMs = Math.max(this.#observedStallMs, ms);
  }

  crash(error: unknown, what: string): void {
    this.crashes += 1;
    if (this.#examples.length < 5) this.#examples.push(`crash: ${what}: ${String(error)}`);
  }

  get examples(): readonly string[] {
    return this.#examples;
  }

  get worstStallMs(): number {
    return Math.round(Math.max(this.#loop.max / 1e6, this.#observedStallMs));
  }

  /** Writes the figures for the suite's totals (a no-op outside `npm run test:hostile`). */
  report(): HostileFigures {
    this.#loop.disable();
    const figures: HostileFigures = {
      name: this.name,
      cases: this.cases,
      crashes: this.crashes,
      serverErrors: this.serverErrors,
      worstStallMs: this.worstStallMs,
    };
    let file: string | undefined;
    try {
      file = inject("hostileFigures");
    } catch {
      file = undefined;
    }
    if (file) appendFileSync(file, `${JSON.stringify(figures)}\n`);
    return figures;
  }
}

let figuresDir: string | undefined;

/** globalSetup of the hostile suite: a fresh figures file. */
export function setup(project: { provide(key: "hostileFigures", value: string): void }): void {
  figuresDir = mkdtempSync(path.join(tmpdir(), "cosell-hostile-"));
  project.provide("hostileFigures", path.join(figuresDir, "figures.jsonl"));
}

/** Prints each file's figures and the totals once every file has run. */
export function teardown(): void {
  if (!figuresDir) return;
  let lines: string[] = [];
  try {
    lines = readFileSync(path.join(figuresDir, "figures.jsonl"), "utf8").split("\n");
  } catch {
    lines = [];
  }
  const all = lines.filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as HostileFigures);
  const total = all.reduce(
    (t, f) => ({
      cases: t.cases + f.cases,
      crashes: t.crashes + f.crashes,
      serverErrors: t.serverErrors + f.serverErrors,
      worstStallMs: Math.max(t.worstStallMs, f.worstStallMs),
    }),
    { cases: 0, crashes: 0, serverErrors: 0, worstStallMs: 0 },
  );
  const rows = all.map(
    (f) =>
      `  ${f.name}: ${f.cases.toLocaleString("en-US")} cases, ${f.crashes} crashes, ${f.serverErrors} 5xx, worst event-loop stall ${f.worstStallMs} ms`,
  );
  process.stdout.write(
    [
      "",
      "Hostile-input figures:",
      ...rows,
      `  TOTAL: ${total.cases.toLocaleString("en-US")} cases, crashes: ${total.crashes}, 5xx: ${total.serverErrors}, worst event-loop stall: ${total.worstStallMs} ms`,
      "",
    ].join("\n"),
  );
  rmSync(figuresDir, { recursive: true, force: true });
}
