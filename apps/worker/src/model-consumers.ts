import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { publishReply, queues, type InferenceResult } from "@aiaas/core/server";
import type { JobCounters } from "./job-counters.ts";

const replyChannelOf = (job: Job): string | undefined => {
  const replyTo: unknown = (job.data as { replyTo?: unknown } | undefined)?.replyTo;
  return typeof replyTo === "string" ? replyTo : undefined;
};

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
  /**
   * The waiting gateway hears of a result as soon as it exists: BullMQ records the job's end (its
   * costliest script) after the answer is on its way, not before it.
   */
  const run = async (job: Job) => {
    const returnvalue = await counters.track(() => processor(job));
    publishReply(options.connection, replyChannelOf(job), { id: job.id ?? "", returnvalue });
    return returnvalue;
  };
  const workers = models.map((model) => {
    const worker = new Worker(queues.inference.name(model), run, {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // A job whose worker died is retried; twice stalled, it fails.
      maxStalledCount: 2,
    });
    worker.on("failed", (job: Job | undefined, error: Error) => {
      // A failure is heard once BullMQ has recorded it, and only a final one: a job to be retried has not ended.
      if (job?.finishedOn)
        publishReply(options.connection, replyChannelOf(job), { id: job.id ?? "", failedReason: error.message });
      events.onFailed(job, error);
    });
    worker.on("error", events.onError);
    return worker;
  });
  return {
    workers,
    /** Stop taking jobs and wait for the running ones to finish. */
    close: () => Promise.all(workers.map((worker) => worker.close())).then(() => undefined),
  };
}
