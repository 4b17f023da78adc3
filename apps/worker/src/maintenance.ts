import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Db } from "@aiaas/db";
import { chargeSubscriptions } from "@aiaas/core/billing";
import { destroyRetiredDataKeys } from "@aiaas/core/crypto";
import { maintenanceJob, queues, type MaintenanceTask } from "@aiaas/core/queue";
import { reportUsageToStripe, type StripeClient } from "@aiaas/core/stripe";
import { purgeExpiredPrompts } from "@aiaas/core/tenants";
import { purgeExpiredFiles } from "@aiaas/core/batches";
import { purgeExpiredSignIns } from "@aiaas/core/sso";

export interface MaintenanceOptions {
  db: Db;
  connection: Redis;
  prefix: string;
  /** How often the retention purge runs, platform-wide. */
  purgeEveryMs: number;
  /** With Stripe configured: how often usage is reported to Billing Meters. */
  stripe?: { client: StripeClient; reportEveryMs: number };
  onDone?: (task: MaintenanceTask, result: number) => void;
  onFailed?: (job: Job | undefined, error: Error) => void;
  onError?: (error: Error) => void;
}

const PURGE_SCHEDULER = "purge-expired-prompts";
const METER_SCHEDULER = "report-usage-to-stripe";
const SUBSCRIPTION_SCHEDULER = "charge-subscriptions";
/** Monthly fees are charged on the first run of each period: hourly is soon enough. */
const SUBSCRIPTIONS_EVERY_MS = 3_600_000;

/**
 * The maintenance queue: every worker upserts the same job scheduler (so
 * its interval follows the last deploy) and consumes the queue, one job at a
 * time. A scheduler makes one job per tick, so only one worker of many runs
 * each purge, and each report of usage to Stripe (when Stripe is configured).
 */
export async function startMaintenance(options: MaintenanceOptions) {
  const name = queues.maintenance.name();
  const queue = new Queue(name, { connection: options.connection, prefix: options.prefix });
  await queue.upsertJobScheduler(
    PURGE_SCHEDULER,
    { every: options.purgeEveryMs },
    { name: PURGE_SCHEDULER, data: { v: 1, task: "purge-expired-prompts" }, opts: queues.maintenance.options },
  );
  await queue.upsertJobScheduler(
    SUBSCRIPTION_SCHEDULER,
    { every: SUBSCRIPTIONS_EVERY_MS },
    { name: SUBSCRIPTION_SCHEDULER, data: { v: 1, task: "charge-subscriptions" }, opts: queues.maintenance.options },
  );
  if (options.stripe) {
    await queue.upsertJobScheduler(
      METER_SCHEDULER,
      { every: options.stripe.reportEveryMs },
      { name: METER_SCHEDULER, data: { v: 1, task: "report-usage-to-stripe" }, opts: queues.maintenance.options },
    );
  } else {
    await queue.removeJobScheduler(METER_SCHEDULER);
  }
  const run = async (task: MaintenanceTask): Promise<number> => {
    if (task === "purge-expired-prompts") {
      // Once retention has cleared what a retired data key sealed, the key goes too.
      const purged = await purgeExpiredPrompts(options.db, new Date());
      await destroyRetiredDataKeys(options.db, new Date());
      // Single sign-ons started and abandoned at the IdP expire after ten minutes.
      const abandoned = await purgeExpiredSignIns(options.db, new Date());
      // Files have their own time (a batch's output and errors: 30 days).
      return purged + abandoned + (await purgeExpiredFiles(options.db, new Date()));
    }
    if (task === "charge-subscriptions") return chargeSubscriptions(options.db, new Date());
    // A run cut short resumes where it stopped: its reports carry their own identifiers.
    if (!options.stripe) return 0;
    return (await reportUsageToStripe(options.db, options.stripe.client)).reports;
  };
  const worker = new Worker(
    name,
    async (job: Job) => {
      const parsed = maintenanceJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad maintenance job: ${parsed.error.message}`);
      const result = await run(parsed.data.task);
      options.onDone?.(parsed.data.task, result);
      return { result };
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
