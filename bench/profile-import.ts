/**
 * Where an import's time goes: the real `importDeals`, with every statement timed by a
 * Kysely plugin, beside the pure steps (read and parse, plan, results file) timed on their
 * own; then the write experiments (write-experiments.ts).
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Deal } from "../src/core/deal.js";
import { planImport } from "../src/core/import/plan-import.js";
import { readImportFile } from "../src/core/import/read-import-file.js";
import { type RowReport, writeResultsFile } from "../src/core/import/results-file.js";
import { DEFAULT_LIMITS } from "../src/core/limits.js";
import type { UserActor } from "../src/core/actor.js";
import { importDeals } from "../src/server/commands/import-deals.js";
import { findDealsByIds } from "../src/server/db/deals-repo.js";
import { createRows, fileOf, freshOrg, IMPORT_ROWS, purgeOrg } from "./data.js";
import { createdWorld, expectCounts } from "./import-scenarios.js";
import { coveredMs, ownSpans, QueryTimer, type Span } from "./query-timer.js";
import { markdownTable, ms } from "./report.js";
import { just, measure, measureAll, type Repeat, type Sample, summarise, trial } from "./stats.js";
import type { BenchStore } from "./stores.js";
import { writeExperiments } from "./write-experiments.js";

const TABLE = /^(insert|update|delete|select) (\w+)$/;

/** Each statement's step, from its kind and table (see QueryTimer's labels). */
const stepOf = (label: string): string => {
  const [, kind = "", table = ""] = TABLE.exec(label) ?? [];
  if (kind === "select" && /^deal(s|_solutions|_team_members)$/.test(table)) {
    return "DB: look-ups (SELECT deals, solutions, team)";
  }
  if (kind === "insert" && table === "deals") return "DB: INSERT deals";
  if (kind === "update" && table === "deals") return "DB: UPDATE deals";
  if (/^deal_(solutions|team_members)$/.test(table)) {
    return "DB: children (DELETE + INSERT solutions, team)";
  }
  if (table === "imports" || table === "import_rows") {
    return "DB: import record and row results (imports, import_rows)";
  }
  if (table === "audit_events") return "DB: INSERT audit_events";
  return "DB: other statements";
};

const DB_STEPS = [
  "DB: look-ups (SELECT deals, solutions, team)",
  "DB: INSERT deals",
  "DB: UPDATE deals",
  "DB: children (DELETE + INSERT solutions, team)",
  "DB: import record and row results (imports, import_rows)",
  "DB: INSERT audit_events",
  "DB: other statements",
];

interface Breakdown {
  total: Sample;
  /** Per step: median wall time and statements per import. */
  steps: Map<string, { ms: number; statements: number }>;
  /** From the end of the last statement to importDeals returning: the COMMIT. */
  commit: number;
  db: number;
}

/** Runs the real import with the timer plugin on, after `setup` each time. */
async function timedImport(
  store: BenchStore,
  repeat: Repeat,
  setup: () => Promise<{ actor: UserActor; bytes: Uint8Array }>,
  want: { created?: number; updated?: number },
): Promise<Breakdown> {
  const timer = new QueryTimer();
  const timed = { ...store, db: store.db.withPlugin(timer) };
  const perRun: { spans: Span[]; returned: number }[] = [];
  timer.start();
  const total = await measure(
    repeat,
    trial(
      setup,
      async ({ actor, bytes }) => {
        timer.reset();
        expectCounts(await importDeals(timed, { actor, bytes }), want);
        perRun.push({ spans: timer.spans, returned: performance.now() });
        // The next run's set-up (and this run's clean-up) must not land in this run's spans.
        timer.reset();
      },
      ({ actor }) => purgeOrg(store, actor.orgId),
    ),
  ).finally(() => timer.stop());
  const kept = perRun.slice(repeat.warmup);
  const runs = kept.map((r) => ownSpans(r.spans));
  const steps = new Map<string, { ms: number; statements: number }>();
  for (const step of DB_STEPS) {
    const mine = (spans: readonly Span[]) => spans.filter((s) => stepOf(s.label) === step);
    const statements = mine(runs[0] ?? []).length;
    if (statements === 0) continue;
    steps.set(step, { ms: summarise(runs.map((r) => coveredMs(mine(r)))).median, statements });
  }
  // The last statement is the last of the transaction; what follows it is COMMIT.
  const commit = kept.map((r) => r.returned - Math.max(...r.spans.map((x) => x.end)));
  return {
    total,
    steps,
    db: summarise(runs.map(coveredMs)).median,
    commit: summarise(commit).median,
  };
}

interface PureSteps {
  parse: number;
  plan: number;
  results: number;
}

/** The pure steps on their own: read + parse, plan, and writing the results file. */
async function pureSteps(
  repeat: Repeat,
  bytes: Uint8Array,
  visible: ReadonlyMap<string, Deal>,
): Promise<PureSteps> {
  const file = readImportFile(bytes, DEFAULT_LIMITS);
  const ctx = {
    map: file.map,
    limits: DEFAULT_LIMITS,
    mode: "import" as const,
    requiredMember: null,
  };
  const lookups = { visible, byCrmId: new Map() };
  const planned = planImport(file, lookups, ctx, { upsertByCrmId: false });
  const now = new Date().toISOString();
  const reports: RowReport[] = planned.map((p) => ({
    row: p.parsed.row,
    result: p.outcome.result,
    referralId: p.deal?.id ?? randomUUID(),
    engagementId: p.deal?.engagementId ?? randomUUID(),
    errors: [],
    updatedAt: now,
    version: (p.deal?.version ?? 0) + 1,
  }));
  const [parse, plan, results] = await measureAll(repeat, [
    just(async () => readImportFile(bytes, DEFAULT_LIMITS)),
    just(async () => planImport(file, lookups, ctx, { upsertByCrmId: false })),
    just(async () => writeResultsFile(file, reports)),
  ]);
  if (!parse || !plan || !results) throw new Error("a trial has no sample");
  return { parse: parse.median, plan: plan.median, results: results.median };
}

const breakdownTable = (
  runs: { create: Breakdown; update: Breakdown },
  pure: { create: PureSteps; update: PureSteps },
): string => {
  const kinds = ["create", "update"] as const;
  const line = (name: string, value: (k: "create" | "update") => [number, string]): string[] => [
    name,
    ...kinds.flatMap((k) => {
      const [x, statements] = value(k);
      const share = Number.isFinite(x) ? `${Math.round((100 * x) / runs[k].total.median)} %` : "";
      return [ms(x), share, statements];
    }),
  ];
  const pureLine = (name: string, key: keyof PureSteps) => line(name, (k) => [pure[k][key], ""]);
  const rest = (k: "create" | "update") =>
    runs[k].total.median -
    runs[k].db -
    runs[k].commit -
    pure[k].parse -
    pure[k].plan -
    pure[k].results;
  return markdownTable(
    ["step", "create ms", "share", "statements", "update ms", "share", "statements"],
    [
      pureLine("JS: read + parse the file (readImportFile)", "parse"),
      pureLine("JS: plan the rows (planImport)", "plan"),
      ...DB_STEPS.filter((n) => runs.create.steps.has(n) || runs.update.steps.has(n)).map((n) =>
        line(n, (k) => {
          const s = runs[k].steps.get(n);
          return s ? [s.ms, String(s.statements)] : [Number.NaN, "0"];
        }),
      ),
      line("DB: COMMIT (from the last statement until importDeals returns)", (k) => [
        runs[k].commit,
        "",
      ]),
      pureLine("JS: results file (writeResultsFile)", "results"),
      line("rest: JS the statements did not hide (rows, JSON, BEGIN, GC)", (k) => [rest(k), ""]),
      line("total importDeals (median of the profiled runs)", (k) => [runs[k].total.median, ""]),
      line("of which statements, COMMIT excluded (wall time)", (k) => [runs[k].db, ""]),
    ],
  );
};

export async function profileImport(
  store: BenchStore,
  repeat: Repeat,
  log: (message: string) => void,
): Promise<string> {
  log(`${store.label}: profiling the import`);
  const rows = createRows();
  const createFile = fileOf(rows);
  const create = await timedImport(
    store,
    repeat,
    async () => ({ actor: await freshOrg(store), bytes: createFile }),
    { created: IMPORT_ROWS },
  );
  const update = await timedImport(
    store,
    repeat,
    async () => {
      const w = await createdWorld(store);
      return { actor: w.actor, bytes: w.updateFile };
    },
    { updated: IMPORT_ROWS },
  );
  const world = await createdWorld(store);
  const deals = await findDealsByIds(store.db, world.actor.orgId, world.ids);
  const pure = {
    create: await pureSteps(repeat, createFile, new Map()),
    update: await pureSteps(repeat, world.updateFile, new Map(deals.map((d) => [d.id, d]))),
  };
  log(`${store.label}: write experiments`);
  const experiments = await writeExperiments(store, repeat);
  return [breakdownTable({ create, update }, pure), "", experiments].join("\n");
}
