import { z } from "zod";
import type { JobsOptions } from "bullmq";

/** Periodic platform chores, run by whichever worker takes the job of each tick. */
export const maintenanceTasks = ["purge-expired-prompts", "report-usage-to-stripe", "charge-subscriptions"] as const;
export type MaintenanceTask = (typeof maintenanceTasks)[number];

/** The job payload on the maintenance queue. Fields added later must be optional. */
export const maintenanceJob = z.object({
  v: z.literal(1),
  task: z.enum(maintenanceTasks),
});
export type MaintenanceJob = z.infer<typeof maintenanceJob>;

export const maintenanceJobOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 5000 },
  removeOnComplete: { count: 100 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const satisfies JobsOptions;
