/** The benchmark table, as Markdown (readable in a terminal, pasteable into docs/BENCHMARKS.md). */
import { describeTarget, type Result, ratio, verdict } from "./result.js";

export const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : "—");

export const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
};

export const resultsTable = (results: readonly Result[]): string => {
  const floors = new Set(results.flatMap((r) => (r.floor ? [r.floor] : [])));
  return markdownTable(
    [
      "scenario",
      "store",
      "median ms",
      "min ms",
      "p90 ms",
      "ratio to its floor",
      "target",
      "verdict",
    ],
    results.map((r) => {
      const x = ratio(r);
      return [
        r.scenario,
        r.store,
        ms(r.sample.median),
        ms(r.sample.min),
        ms(r.sample.p90),
        x === null ? "—" : `${x.toFixed(2)}×`,
        describeTarget(r.target),
        verdict(r, floors.has(r)),
      ];
    }),
  );
};
