import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Db } from "@aiaas/db";
import { queues } from "@aiaas/core/queue";
import { domainResolver, findChallenge, recordDomainCheck } from "@aiaas/core/sso";

export interface DomainCheckOptions {
  db: Db;
  connection: Redis;
  prefix: string;
  /** DNS_SERVERS: the servers asked (empty: the system's). */
  dnsServers: readonly string[];
  onDone?: (job: Job, outcome: string) => void;
  onFailed?: (job: Job | undefined, error: Error) => void;
  onError?: (error: Error) => void;
}

/**
 * Looks for the TXT records that prove tenants own the domains they claimed
 * (sso/sso-domains.ts): found, the domain is verified; not yet, the job fails
 * and BullMQ tries again later (the last try is audited as given up).
 */
export function startDomainChecks(options: DomainCheckOptions) {
  const resolver = domainResolver(options.dnsServers);
  const worker = new Worker(
    queues.domainChecks.name(),
    async (job: Job) => {
      const parsed = queues.domainChecks.payload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad domain check: ${parsed.error.message}`);
      const { domainId } = parsed.data;
      const domain = await options.db.ssoDomain.findUnique({ where: { id: domainId } });
      if (!domain || domain.verifiedAt) return { outcome: domain ? "verified" : "gone" };
      const check = await findChallenge(resolver, domain.domain, domain.token);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = await recordDomainCheck(options.db, {
        domainId,
        found: check.found,
        lastAttempt,
        ...(!check.found && { reason: check.reason }),
      });
      if (outcome === "not_found" && !check.found) throw new Error(check.reason);
      options.onDone?.(job, outcome);
      return { outcome };
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 4 },
  );
  if (options.onFailed) worker.on("failed", options.onFailed);
  if (options.onError) worker.on("error", options.onError);
  return { worker, close: () => worker.close() };
}
