import { z } from "zod";
import type { JobsOptions } from "bullmq";

/** A check of one claimed domain's DNS TXT record (sso/sso-domains.ts). Fields added later must be optional. */
export const domainCheckJob = z.object({ v: z.literal(1), domainId: z.string().min(1) });
export type DomainCheckJob = z.infer<typeof domainCheckJob>;

/** A record just added may take minutes to be seen: retried for about two hours, then the owner asks again. */
export const domainCheckJobOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 60_000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const satisfies JobsOptions;
