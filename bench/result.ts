/** One line of the benchmark table, and the verdict against the targets. */
import { type Sample, summarise } from "./stats.js";

export interface Target {
  /** The median must be under this (none: only the ratio counts). */
  maxMs?: number;
  /** The median must be within this many times its floor's median. */
  maxFloorRatio?: number;
}

export interface Result {
  scenario: string;
  store: string;
  sample: Sample;
  /** The floor this is compared with (a Result of the same store). */
  floor?: Result;
  target?: Target;
}

/**
 * The median, over rounds, of the scenario's time over its floor's time in the same round
 * (they run interleaved, so round i of both met the same load). Falls back to the ratio
 * of medians when the runs do not pair up.
 */
export const ratio = (r: Result): number | null => {
  if (!r.floor) return null;
  const mine = r.sample.runs;
  const floor = r.floor.sample.runs;
  if (mine.length === 0 || mine.length !== floor.length) {
    return r.sample.median / r.floor.sample.median;
  }
  return summarise(mine.map((x, i) => x / (floor[i] ?? Number.NaN))).median;
};

export type Verdict = "pass" | "FAIL" | "floor" | "info";

export const verdict = (r: Result, isFloor: boolean): Verdict => {
  if (isFloor) return "floor";
  if (!r.target) return "info";
  const within = ratio(r);
  const fast = r.target.maxMs === undefined || r.sample.median < r.target.maxMs;
  const close = r.target.maxFloorRatio === undefined || (within ?? 0) <= r.target.maxFloorRatio;
  return fast && close ? "pass" : "FAIL";
};

export const describeTarget = (t: Target | undefined): string => {
  if (!t) return "—";
  const parts = [
    ...(t.maxFloorRatio === undefined ? [] : [`≤ ${t.maxFloorRatio}× floor`]),
    ...(t.maxMs === undefined ? [] : [`< ${t.maxMs} ms`]),
  ];
  return parts.join(", ") || "—";
};
