import { median } from "./bench-stack.ts";
import { cpuMs, machineCpuMs } from "./proc-cpu.ts";

export interface LoadResult {
  requests: number;
  /** Requests per second. */
  rps: number;
  /** Work units (e.g. tokens) per second, as `run` counts them. */
  ups: number;
  p50: number;
  p90: number;
  p99: number;
  /** The whole machine's CPU time per request (ms, all cores, this load generator included). */
  cpuPerRequest: number;
  /** How busy the machine's cores were meanwhile (0 to 1). */
  busy: number;
  /** The CPU time per request (ms) of the processes `load` was asked to watch. */
  watchedCpuPerRequest: number;
}

/**
 * Keeps `concurrency` calls of `run` in flight for `seconds`; `run` returns
 * how many units of work it did (1 per request, or tokens). `watch`: pids
 * whose CPU time per request to report.
 */
export async function load(
  run: () => Promise<number>,
  concurrency: number,
  seconds: number,
  watch: readonly number[] = [],
): Promise<LoadResult> {
  const watchedCpu = () => watch.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const watchedBefore = watchedCpu();
  const cpuBefore = machineCpuMs();
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
  const cpuAfter = machineCpuMs();
  const watchedAfter = watchedCpu();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    ups: units / elapsed,
    p50: median(latencies),
    p90: latencies[Math.floor(latencies.length * 0.9)] ?? NaN,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN,
    cpuPerRequest: (cpuAfter.busy - cpuBefore.busy) / latencies.length,
    busy: (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total),
    watchedCpuPerRequest: (watchedAfter - watchedBefore) / latencies.length,
  };
}
