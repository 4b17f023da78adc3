import { Counter, Gauge, type Registry } from "prom-client";
import type { InferenceEngine } from "@aiaas/inference";
import type { JobCounters } from "./job-counters.ts";

/** Jobs and batches on /metrics: what autoscaling and dashboards read. */
export function registerWorkerMetrics(registry: Registry, engine: InferenceEngine, counters: JobCounters) {
  const jobs = new Counter({
    name: "aiaas_worker_jobs_total",
    help: "Inference jobs finished by this worker, by model and outcome",
    labelNames: ["model", "outcome"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "aiaas_worker_jobs_in_flight",
    help: "Inference jobs running now",
    registers: [registry],
    collect() {
      this.set(counters.inFlight);
    },
  });
  const batchItems = new Gauge({
    name: "aiaas_worker_batched_items_total",
    help: "Items (sequences, images, decode steps) run in batches, by model",
    labelNames: ["model"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "aiaas_worker_batches_total",
    help: "Batched model runs, by model (items / batches = mean batch size)",
    labelNames: ["model"] as const,
    registers: [registry],
    async collect() {
      for (const [model, stats] of Object.entries(await engine.stats())) {
        this.set({ model }, stats.batches);
        batchItems.set({ model }, stats.items);
      }
    },
  });
  return {
    completed: (model: string) => jobs.inc({ model, outcome: "completed" }),
    failed: (model: string) => jobs.inc({ model, outcome: "failed" }),
  };
}
