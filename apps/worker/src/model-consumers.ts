import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { queues, type InferenceResult } from "@aiaas/core/server";
import type { JobCounters } from "./job-counters.ts";

export interface ConsumerOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** How long a job's lock lasts without renewal; a dead worker's jobs move on after it. */
  lockMs: number;
}

export interface ConsumerEvents {
  onFailed: (job: Job | undefined, error: Error) => void;
  onError: (error: Error) => void;
}

/**
 * One BullMQ Worker per served model's queue. Jobs of a queue run
 * concurrently, which is what lets the engine batch them; the lock is
 * renewed on this event loop, which inference never blocks (it has a
 * thread of its own).
 */
export function startModelConsumers(
  models: readonly string[],
  processor: (job: Job) => Promise<InferenceResult>,
  counters: JobCounters,
  options: ConsumerOptions,
  events: ConsumerEvents,
) {
  const workers = models.map((model) => {
    const worker = new Worker(queues.inference.name(model), (job: Job) => counters.track(() => processor(job)), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // A job whose worker died is retried; twice stalled, it fails.
      maxStalledCount: 2,
    });
    worker.on("failed", events.onFailed);
    worker.on("error", events.onError);
    return worker;
  });
  return {
    workers,
    /** Stop taking jobs and wait for the running ones to finish. */
    close: () => Promise.all(workers.map((worker) => worker.close())).then(() => undefined),
  };
}
