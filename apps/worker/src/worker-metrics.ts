import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { EngineStats, InferenceEngine } from "@aiaas/inference";
import type { JobCounters } from "./job-counters.ts";

/**
 * Jobs, inference time and batches on /metrics, labelled by model id (e.g.
 * kjv-gpt-mini) and by the device this worker runs on (cpu or cuda): what
 * autoscaling and dashboards read.
 */
export function registerWorkerMetrics(registry: Registry, engine: InferenceEngine, counters: JobCounters) {
  const registers = [registry];
  const device = engine.describe().provider;
  new Gauge({
    name: "aiaas_worker_device_info",
    help: "The execution provider this worker runs its models on (1)",
    labelNames: ["device"],
    registers,
  }).set({ device }, 1);
  const jobs = new Counter({
    name: "aiaas_worker_jobs_total",
    help: "Inference jobs finished by this worker, by model, outcome and device",
    labelNames: ["model", "outcome", "device"],
    registers,
  });
  const duration = new Histogram({
    name: "aiaas_worker_inference_duration_seconds",
    help: "A job's time in this worker (decrypt, run the model, seal), by model and outcome",
    labelNames: ["model", "outcome"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  new Gauge({
    name: "aiaas_worker_jobs_in_flight",
    help: "Inference jobs running now",
    registers,
    collect() {
      this.set(counters.inFlight);
    },
  });
  // The engine counts since it started, in its own thread. A scrape collects these three at once (concurrently):
  // they share one read of its totals per scrape. The counters take the totals; the histogram the batches run
  // since the last scrape, by size (exact: the engine counts batches by size).
  // Labelled by model: the versions a worker holds of one model add up.
  const modelOf = new Map(engine.describe().models.map((loaded) => [loaded.id, loaded.model]));
  let reading: Promise<EngineStats> | undefined;
  const totals = () => {
    reading ??= engine
      .stats()
      .then((stats) => byModel(stats, (key) => modelOf.get(key) ?? key))
      .finally(() => setTimeout(() => (reading = undefined), 0));
    return reading;
  };
  new Counter({
    name: "aiaas_worker_batches_total",
    help: "Batched model runs, by model (rate of items / rate of batches = mean batch size)",
    labelNames: ["model"],
    registers,
    async collect() {
      this.reset();
      for (const [model, stats] of Object.entries(await totals())) this.inc({ model }, stats.batches);
    },
  });
  new Counter({
    name: "aiaas_worker_batched_items_total",
    help: "Items (sequences, images, decode steps) run in batches, by model",
    labelNames: ["model"],
    registers,
    async collect() {
      this.reset();
      for (const [model, stats] of Object.entries(await totals())) this.inc({ model }, stats.items);
    },
  });
  const observed = new Map<string, Record<number, number>>();
  new Histogram({
    name: "aiaas_worker_batch_size",
    help: "Items per batched model run (sequences, images, decode steps), by model",
    labelNames: ["model"],
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers,
    async collect() {
      for (const [model, stats] of Object.entries(await totals())) {
        const before = observed.get(model) ?? {};
        for (const [size, count] of Object.entries(stats.sizes))
          for (let n = before[Number(size)] ?? 0; n < count; n++) this.observe({ model }, Number(size));
        observed.set(model, stats.sizes);
      }
    },
  });
  /** Runs a job of `model`, counting and timing it. */
  return async <R>(model: string, run: () => Promise<R>): Promise<R> => {
    const end = duration.startTimer({ model });
    try {
      const result = await run();
      end({ outcome: "completed" });
      jobs.inc({ model, outcome: "completed", device });
      return result;
    } catch (error) {
      end({ outcome: "failed" });
      jobs.inc({ model, outcome: "failed", device });
      throw error;
    }
  };
}

/** Engine totals per model: the batches of each of its versions, summed. */
function byModel(stats: EngineStats, modelOf: (key: string) => string): EngineStats {
  const merged: EngineStats = {};
  for (const [key, totals] of Object.entries(stats)) {
    const into = (merged[modelOf(key)] ??= { batches: 0, items: 0, largest: 0, sizes: {} });
    into.batches += totals.batches;
    into.items += totals.items;
    into.largest = Math.max(into.largest, totals.largest);
    for (const [size, count] of Object.entries(totals.sizes))
      into.sizes[Number(size)] = (into.sizes[Number(size)] ?? 0) + count;
  }
  return merged;
}
