import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { InferenceEngine } from "@aiaas/inference";
import type { JobCounters } from "./job-counters.ts";

/** A model queue's model id (`inference-<model>`). */
const modelOf = (queueName: string) => queueName.replace(/^inference-/, "");

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
  // The engine counts since it started; the counters report its totals at each scrape.
  const batchItems = new Counter({
    name: "aiaas_worker_batched_items_total",
    help: "Items (sequences, images, decode steps) run in batches, by model",
    labelNames: ["model"],
    registers,
  });
  new Counter({
    name: "aiaas_worker_batches_total",
    help: "Batched model runs, by model (rate of items / rate of batches = mean batch size)",
    labelNames: ["model"],
    registers,
    async collect() {
      this.reset();
      batchItems.reset();
      for (const [model, stats] of Object.entries(await engine.stats())) {
        this.inc({ model }, stats.batches);
        batchItems.inc({ model }, stats.items);
      }
    },
  });
  /** Runs a job, counting and timing it under its model. */
  return async <R>(queueName: string, run: () => Promise<R>): Promise<R> => {
    const model = modelOf(queueName);
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
