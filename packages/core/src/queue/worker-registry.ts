import type { Redis } from "ioredis";
import { z } from "zod";

/** What a worker says of itself every heartbeat (kept in Redis with a TTL, mirrored to worker_heartbeats). */
export const workerStatus = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  version: z.string(),
  provider: z.string(),
  providerNote: z.string(),
  models: z.array(z.string()),
  /** Per model, the versions it holds (the SHA-256 of each version's files); none from workers before versions. */
  versions: z.record(z.string(), z.array(z.string())).default({}),
  concurrency: z.number().int(),
  /** Runs group jobs (coalesced requests, decision 0019); a gateway sends none to a model any worker without it serves. */
  jobGroups: z.boolean().default(false),
  inFlight: z.number().int(),
  jobsDone: z.number().int(),
  jobsFailed: z.number().int(),
  startedAt: z.string(),
  lastSeenAt: z.string(),
});
export type WorkerStatus = z.infer<typeof workerStatus>;
export type WorkerStatusInput = z.input<typeof workerStatus>;

/**
 * One hash per prefix holds every worker's status with the time it expires:
 * reading them is one command whatever else Redis holds (a SCAN for per-worker
 * keys walks the whole keyspace, every job included). Expired entries are
 * skipped, and removed by whoever reads them.
 */
const registryKey = (prefix: string) => `${prefix}:workers`;

export async function publishWorkerStatus(redis: Redis, prefix: string, status: WorkerStatusInput, ttlSeconds: number) {
  const entry = JSON.stringify({ status, expiresAt: Date.now() + ttlSeconds * 1000 });
  await redis.hset(registryKey(prefix), status.id, entry);
}

export async function removeWorkerStatus(redis: Redis, prefix: string, workerId: string) {
  await redis.hdel(registryKey(prefix), workerId);
}

const registryEntry = z.object({ status: workerStatus, expiresAt: z.number() });

/** The workers whose heartbeat has not expired. */
export async function listLiveWorkers(redis: Redis, prefix: string, now = Date.now()): Promise<WorkerStatus[]> {
  const entries = await redis.hgetall(registryKey(prefix));
  const live: WorkerStatus[] = [];
  const expired: string[] = [];
  for (const [id, value] of Object.entries(entries)) {
    const parsed = registryEntry.safeParse(JSON.parse(value));
    if (parsed.success && parsed.data.expiresAt > now) live.push(parsed.data.status);
    else expired.push(id);
  }
  if (expired.length > 0) await redis.hdel(registryKey(prefix), ...expired);
  return live.sort((a, b) => a.id.localeCompare(b.id));
}
