import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { queues } from "../queue/queues.ts";

/**
 * Asks a worker to look for a domain's TXT record (retrying for about two
 * hours). One check per domain at a time: its job id is the domain's id, and
 * a finished one is replaced, so asking again after it gave up starts over.
 */
export async function requestDomainCheck(
  redis: Redis,
  prefix: string,
  domainId: string,
  /** Tests: a shorter wait between tries than queues.domainChecks' minute. */
  retryDelayMs?: number,
) {
  const queue = new Queue(queues.domainChecks.name(), { connection: redis, prefix });
  try {
    const previous = await queue.getJob(domainId);
    if (previous && ((await previous.isCompleted()) || (await previous.isFailed()))) await previous.remove();
    const backoff = { type: "exponential", delay: retryDelayMs ?? queues.domainChecks.options.backoff.delay };
    await queue.add("check", { v: 1, domainId }, { ...queues.domainChecks.options, backoff, jobId: domainId });
  } finally {
    await queue.close();
  }
}
