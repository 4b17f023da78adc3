import { Gauge, type Registry } from "prom-client";
import type { FailureReporter } from "@aiaas/core/platform";
import type { InferenceClient } from "@aiaas/core/queue";
import type { ModelDirectory } from "../directory/model-directory.ts";

/** The states of a model queue on /metrics: waiting and prioritized are its backlog. */
const QUEUE_STATES = ["waiting", "prioritized", "active", "delayed"] as const;

/**
 * `aiaas_queue_jobs{model,state}`: the jobs in each active model's queue, by
 * state, read from Redis at each scrape. BullMQ keeps prioritised jobs (ours
 * carry a fair-share priority) apart from the wait list, so a model's
 * backlog is `waiting + prioritized`: what KEDA scales a worker pool on
 * (infra/k8s). Every gateway reports the same figures: take `max by (model, state)`.
 */
export function registerQueueDepth(
  registry: Registry,
  client: InferenceClient,
  directory: ModelDirectory,
  failures: FailureReporter,
) {
  new Gauge({
    name: "aiaas_queue_jobs",
    help: "Jobs in each model's queue by state (waiting + prioritized: the backlog autoscaling reads)",
    labelNames: ["model", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const models = await directory.models().catch((error: unknown) => {
        failures.report("queue_depth_unavailable", "the model list could not be read for queue depths", {}, error);
        return new Map<string, unknown>();
      });
      await Promise.all(
        [...models.keys()].map(async (model) => {
          try {
            const counts = await client.queue(model).getJobCounts(...QUEUE_STATES);
            for (const state of QUEUE_STATES) this.set({ model, state }, counts[state] ?? 0);
          } catch (error) {
            failures.report(
              "queue_depth_unavailable",
              "a model queue's job counts could not be read",
              { model },
              error,
            );
          }
        }),
      );
    },
  });
}
