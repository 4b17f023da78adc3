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
 * backlog is `waiting + prioritized`. Every gateway reports the same
 * figures: take `max by (model, state)`. A group of coalesced requests is
 * one job (decision 0019), so the requests a worker pool must serve are
 * `aiaas_gateway_requests_in_flight{model}`, this gateway's requests queued
 * or running, summed over gateways: what KEDA scales a pool on (infra/k8s).
 */
export function registerQueueDepth(
  registry: Registry,
  client: InferenceClient,
  directory: ModelDirectory,
  failures: FailureReporter,
) {
  const models = () =>
    directory.models().catch((error: unknown) => {
      failures.report("queue_depth_unavailable", "the model list could not be read for queue depths", {}, error);
      return new Map<string, unknown>();
    });
  new Gauge({
    name: "aiaas_gateway_requests_in_flight",
    help: "This gateway's requests queued or running, by model (summed over gateways: what autoscaling reads)",
    labelNames: ["model"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const model of (await models()).keys()) this.set({ model }, client.requestsInFlight(model));
    },
  });
  new Gauge({
    name: "aiaas_queue_jobs",
    help: "Jobs in each model's queue by state (waiting + prioritized: the backlog autoscaling reads)",
    labelNames: ["model", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        [...(await models()).keys()].map(async (model) => {
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
