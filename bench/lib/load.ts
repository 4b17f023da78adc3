import { median } from "./bench-stack.ts";

export interface LoadResult {
  requests: number;
  /** Requests per second. */
  rps: number;
  /** Work units (e.g. tokens) per second, as `run` counts them. */
  ups: number;
  p50: number;
  p90: number;
  p99: number;
}

/**
 * Keeps `concurrency` calls of `run` in flight for `seconds`; `run` returns
 * how many units of work it did (1 per request, or tokens).
 */
export async function load(run: () => Promise<number>, concurrency: number, seconds: number): Promise<LoadResult> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const latencies: number[] = [];
  let units = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const begun = performance.now();
        // Not `units += await run()`: that reads `units` before awaiting and loses the others' updates.
        const done = await run();
        units += done;
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    ups: units / elapsed,
    p50: median(latencies),
    p90: latencies[Math.floor(latencies.length * 0.9)] ?? NaN,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN,
  };
}
