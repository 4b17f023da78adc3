import type { Redis } from "ioredis";
import { z } from "zod";

export const workerKey = (prefix: string, workerId: string) => `${prefix}:workers:${workerId}`;

/** What a worker says of itself every heartbeat (kept in Redis with a TTL, mirrored to worker_heartbeats). */
export const workerStatus = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  version: z.string(),
  provider: z.string(),
  providerNote: z.string(),
  models: z.array(z.string()),
  concurrency: z.number().int(),
  inFlight: z.number().int(),
  jobsDone: z.number().int(),
  jobsFailed: z.number().int(),
  startedAt: z.string(),
  lastSeenAt: z.string(),
});
export type WorkerStatus = z.infer<typeof workerStatus>;

export async function publishWorkerStatus(redis: Redis, prefix: string, status: WorkerStatus, ttlSeconds: number) {
  await redis.set(workerKey(prefix, status.id), JSON.stringify(status), "EX", ttlSeconds);
}

export async function removeWorkerStatus(redis: Redis, prefix: string, workerId: string) {
  await redis.del(workerKey(prefix, workerId));
}

/** The workers whose heartbeat has not expired. */
export async function listLiveWorkers(redis: Redis, prefix: string): Promise<WorkerStatus[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", workerKey(prefix, "*"), "COUNT", 200);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values
    .flatMap((value) => {
      const parsed = workerStatus.safeParse(value ? JSON.parse(value) : undefined);
      return parsed.success ? [parsed.data] : [];
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}
