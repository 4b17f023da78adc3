import type { JobsOptions } from "bullmq";
import type { z } from "zod";
import { domainCheckJob, domainCheckJobOptions } from "./domain-check-job.ts";
import { inferenceJob, inferenceJobOptions } from "./inference-job.ts";
import { maintenanceJob, maintenanceJobOptions } from "./maintenance-job.ts";
import { modelPullJob, modelPullJobOptions } from "./model-pull-job.ts";

interface QueueDefinition {
  /** The BullMQ queue name (no ':'; BullMQ uses it as a key separator). */
  name: (...args: string[]) => string;
  payload: z.ZodType;
  options: JobsOptions;
}

/** Every queue of the platform: name, payload contract and job options, in one place. */
export const queues = {
  /** One queue per model, so that workers can serve (and scale) some models only. */
  inference: { name: (model: string) => `inference-${model}`, payload: inferenceJob, options: inferenceJobOptions },
  /** Scheduled chores (retention purge); every worker consumes it, one takes each tick. */
  maintenance: { name: () => "maintenance", payload: maintenanceJob, options: maintenanceJobOptions },
  /** Pulls asked for in the console: a worker (which has the model store) fetches, checks and registers. */
  modelPulls: { name: () => "model-pulls", payload: modelPullJob, options: modelPullJobOptions },
  /** Domains claimed for single sign-on: a worker looks for their DNS TXT record, retrying. */
  domainChecks: { name: () => "domain-checks", payload: domainCheckJob, options: domainCheckJobOptions },
} as const satisfies Record<string, QueueDefinition>;

/** The key prefix of BullMQ and of our own keys (token streams, cancels, heartbeats). */
export const DEFAULT_QUEUE_PREFIX = "aiaas";
