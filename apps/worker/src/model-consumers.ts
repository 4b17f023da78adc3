import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { type FailureReporter } from "@aiaas/core/platform";
import {
  inferenceJob,
  jobReceipt,
  publishReply,
  queues,
  withoutInput,
  type InferenceResult,
  type JobReceipt,
} from "@aiaas/core/queue";
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
 * Drops a finished job's sealed input from its record in Redis (it has been
 * run, or has failed for good): BullMQ keeps ids, states and errors only.
 * Not awaited: a job that keeps its input is logged and counted, and goes
 * with its record when BullMQ trims finished jobs by count and age.
 */
function dropInput(job: Job, failures: FailureReporter) {
  const parsed = inferenceJob.safeParse(job.data);
  if (!parsed.success) return;
  job
    .updateData(withoutInput(parsed.data))
    .catch((error: unknown) =>
      failures.report(
        "job_cleanup_failed",
        "a finished job's sealed input could not be dropped from Redis; it goes when the job's record is trimmed",
        { requestId: job.id, tenantId: parsed.data.tenantId },
        error,
      ),
    );
}

/**
 * One BullMQ Worker per served model's queue. Jobs of a queue run
 * concurrently, which is what lets the engine batch them; the lock is
 * renewed on this event loop, which inference never blocks (it has a
 * thread of its own).
 */
export function startModelConsumers(
  models: readonly string[],
  /** Runs a job of `model`'s queue. */
  processor: (job: Job, model: string) => Promise<InferenceResult>,
  counters: JobCounters,
  options: ConsumerOptions,
  events: ConsumerEvents,
  failures: FailureReporter,
) {
  /**
   * The waiting gateway hears of a result as soon as it exists: BullMQ records the job's end (its
   * costliest script) after the answer is on its way, not before it. It records a receipt: the
   * sealed output is the gateway's alone.
   */
  const lost = (job: Job) => (error: unknown) =>
    failures.report("reply_lost", "a job's reply could not be published", { requestId: job.id }, error);
  const run =
    (model: string) =>
    async (job: Job): Promise<JobReceipt> => {
      const result = await counters.track(() => processor(job, model));
      publishReply(options.connection, replyChannelOf(job), { id: job.id ?? "", returnvalue: result }, lost(job));
      return jobReceipt(result);
    };
  const workers = models.map((model) => {
    const worker = new Worker(queues.inference.name(model), run(model), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // A job whose worker died is retried; twice stalled, it fails.
      maxStalledCount: 2,
    });
    worker.on("completed", (job: Job) => dropInput(job, failures));
    worker.on("failed", (job: Job | undefined, error: Error) => {
      // A failure is heard once BullMQ has recorded it, and only a final one: a job to be retried has not ended.
      if (job?.finishedOn) {
        publishReply(
          options.connection,
          replyChannelOf(job),
          { id: job.id ?? "", failedReason: error.message },
          lost(job),
        );
        dropInput(job, failures);
      }
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
