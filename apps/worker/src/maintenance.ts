import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Db } from "@aiaas/db";
import { maintenanceJob, purgeExpiredPrompts, queues, type MaintenanceTask } from "@aiaas/core/server";

export interface MaintenanceOptions {
  db: Db;
  connection: Redis;
  prefix: string;
  /** How often the retention purge runs, platform-wide. */
  purgeEveryMs: number;
  onDone?: (task: MaintenanceTask, result: number) => void;
  onFailed?: (job: Job | undefined, error: Error) => void;
  onError?: (error: Error) => void;
}

const PURGE_SCHEDULER = "purge-expired-prompts";

/**
 * The maintenance queue: every worker upserts the same job scheduler (so
 * its interval follows the last deploy) and consumes the queue, one job at a
 * time. A scheduler makes one job per tick, so only one worker of many runs
 * each purge.
 */
export async function startMaintenance(options: MaintenanceOptions) {
  const name = queues.maintenance.name();
  const queue = new Queue(name, { connection: options.connection, prefix: options.prefix });
  await queue.upsertJobScheduler(
    PURGE_SCHEDULER,
    { every: options.purgeEveryMs },
    { name: PURGE_SCHEDULER, data: { v: 1, task: "purge-expired-prompts" }, opts: queues.maintenance.options },
  );
  const worker = new Worker(
    name,
    async (job: Job) => {
      const parsed = maintenanceJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad maintenance job: ${parsed.error.message}`);
      const purged = await purgeExpiredPrompts(options.db, new Date());
      options.onDone?.(parsed.data.task, purged);
      return { purged };
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  if (options.onFailed) worker.on("failed", options.onFailed);
  if (options.onError) worker.on("error", options.onError);
  return {
    queue,
    worker,
    /** Lets a running purge batch finish. */
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
