import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { type FailureReporter } from "@aiaas/core/platform";
import {
  GROUP_JOB_NAME,
  groupWithoutInputs,
  groupEnvelope,
  inferenceJob,
  jobReceipt,
  memberIdsOf,
  publishReply,
  queues,
  ReplyBatcher,
  withoutInput,
  type GroupReceipt,
  type JobReceipt,
} from "@aiaas/core/queue";
import type { JobCounters } from "./job-counters.ts";
import { GroupRunner, replyLost, type RequestProcessor } from "./group-runner.ts";
import { readPayload } from "./job-payload.ts";

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
  const single = inferenceJob.safeParse(job.data);
  const group = single.success ? undefined : groupEnvelope.safeParse(job.data);
  const kept = single.success ? withoutInput(single.data) : group?.success ? groupWithoutInputs(group.data) : undefined;
  if (!kept) return;
  job
    .updateData(kept)
    .catch((error: unknown) =>
      failures.report(
        "job_cleanup_failed",
        "a finished job's sealed input could not be dropped from Redis; it goes when the job's record is trimmed",
        { requestId: job.id, tenantId: single.data?.tenantId },
        error,
      ),
    );
}

/** Tells the waiting gateways of a job that failed for good: the job's own, or each member of its group. */
function publishFailure(connection: Redis, job: Job, reason: string, lost: (error: unknown) => void) {
  const ended =
    job.name === GROUP_JOB_NAME ? memberIdsOf(job.data) : [{ id: job.id ?? "", replyTo: replyChannelOf(job) }];
  for (const { id, replyTo } of ended) publishReply(connection, replyTo, { id, failedReason: reason }, lost);
}

/**
 * One BullMQ Worker per served model's queue. Jobs of a queue run
 * concurrently, which is what lets the engine batch them; the lock is
 * renewed on this event loop, which inference never blocks (it has a
 * thread of its own).
 */
export function startModelConsumers(
  models: readonly string[],
  /** Runs one request of `model`'s queue (a job's, or a group member's). */
  processor: RequestProcessor,
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
  const lost = (job: Job) => replyLost(failures, job.id);
  const groups = new GroupRunner(processor, counters, new ReplyBatcher(options.connection), options, failures);
  const run =
    (model: string) =>
    async (job: Job): Promise<JobReceipt | GroupReceipt> => {
      if (job.name === GROUP_JOB_NAME) return groups.run(job, model);
      const payload = readPayload(inferenceJob, job.data);
      const attempt = Math.max(1, job.attemptsStarted) + (payload.attemptsBefore ?? 0);
      const result = await counters.track(() => processor(payload, attempt, model));
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
        publishFailure(options.connection, job, error.message, lost(job));
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
    close: () =>
      Promise.all(workers.map((worker) => worker.close()))
        .then(() => groups.close())
        .then(() => undefined),
  };
}
