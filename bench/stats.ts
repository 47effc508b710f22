/**
 * Timing. A trial is one run that reports its own duration (setup and teardown untimed);
 * trials that are compared with each other run interleaved, round after round, so that a
 * burst of load on this shared, noisy machine hits all of them rather than one.
 */
import { performance } from "node:perf_hooks";

export interface Sample {
  median: number;
  min: number;
  p90: number;
  /** Every timed run, in ms, in the order they ran. */
  runs: number[];
}

export interface Repeat {
  warmup: number;
  runs: number;
}

/** One run: does its untimed setup, times its work, cleans up, and returns the ms. */
export type Trial = () => Promise<number>;

/** Linear interpolation between closest ranks (what numpy and spreadsheets call PERCENTILE). */
export const percentile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (at - lo);
};

export const summarise = (runs: readonly number[]): Sample => {
  const sorted = [...runs].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    p90: percentile(sorted, 0.9),
    runs: [...runs],
  };
};

/** Collect garbage before a timed run (node --expose-gc), so one run's garbage is not timed in the next. */
export const collectGarbage = (): void => {
  if (typeof globalThis.gc === "function") globalThis.gc();
};

/** A trial made of an untimed `setup`, the timed `run` and an untimed `teardown`. */
export const trial =
  <S>(
    setup: () => Promise<S>,
    run: (state: S) => Promise<unknown>,
    teardown: (state: S) => Promise<void> = async () => {},
  ): Trial =>
  async () => {
    const state = await setup();
    collectGarbage();
    const start = performance.now();
    await run(state);
    const ms = performance.now() - start;
    await teardown(state);
    return ms;
  };

/** A trial of `run` alone. */
export const just = (run: () => Promise<unknown>): Trial => trial(async () => undefined, run);

/** Runs the trials round-robin: `warmup` rounds discarded, then `runs` rounds kept. */
export async function measureAll(repeat: Repeat, trials: readonly Trial[]): Promise<Sample[]> {
  const times = trials.map((): number[] => []);
  for (let round = 0; round < repeat.warmup + repeat.runs; round++) {
    for (const [i, t] of trials.entries()) {
      collectGarbage();
      const ms = await t();
      if (round >= repeat.warmup) times[i]?.push(ms);
    }
  }
  return times.map(summarise);
}

export async function measure(repeat: Repeat, t: Trial): Promise<Sample> {
  const [sample] = await measureAll(repeat, [t]);
  if (!sample) throw new Error("no sample");
  return sample;
}

/** Times one call. */
export async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}
