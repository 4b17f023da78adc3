import { appendTo, median } from "./bench-stack.ts";
import { load, type LoadResult } from "./load.ts";

export type Runs = Record<string, () => Promise<number>>;

/**
 * Measures every run at every concurrency, `rounds` times, interleaved (the
 * order flips each round, so drift on a noisy machine spreads over all), after
 * `warmUp` calls of each; returns the median of any figure over the rounds.
 * `watch`: by run, pids whose CPU time per request to measure.
 */
export async function interleavedRounds(
  runs: Runs,
  concurrencies: number[],
  seconds: number,
  rounds: number,
  { warmUp = 50, watch = {} }: { warmUp?: number; watch?: Record<string, readonly number[]> } = {},
) {
  const results = new Map<string, LoadResult[]>();
  for (const run of Object.values(runs)) for (let i = 0; i < warmUp; i++) await run();
  for (let round = 0; round < rounds; round++) {
    for (const concurrency of concurrencies) {
      const names = round % 2 === 0 ? Object.keys(runs) : Object.keys(runs).reverse();
      for (const name of names) {
        const run = runs[name];
        const key = `${concurrency}|${name}`;
        if (run) appendTo(results, key, await load(run, concurrency, seconds, watch[name]));
      }
    }
  }
  return {
    /** The median over rounds of one figure of a run at a concurrency. */
    figure: (concurrency: number, name: string, pick: (result: LoadResult) => number) =>
      median((results.get(`${concurrency}|${name}`) ?? []).map(pick)),
  };
}

export const ms = (value: number) => value.toFixed(2).padStart(7);
export const perSecond = (value: number) => value.toFixed(0).padStart(7);
