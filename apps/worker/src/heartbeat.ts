import { hostname } from "node:os";
import type { Redis } from "ioredis";
import type { Db } from "@aiaas/db";
import { publishWorkerStatus, removeWorkerStatus, type WorkerStatus } from "@aiaas/core/queue";
import workerPackage from "../package.json" with { type: "json" };
import type { JobCounters } from "./job-counters.ts";

export interface WorkerIdentity {
  id: string;
  provider: string;
  providerNote: string;
  models: string[];
  /** Per model, the digests of the versions it holds. */
  versions: Record<string, string[]>;
  concurrency: number;
}

export const defaultWorkerId = () => `${hostname()}-${process.pid}`;

/**
 * Says every interval that this worker is alive, on which provider, serving
 * which models, with how many jobs in flight and done: in Redis with a TTL
 * of three intervals (`npm run aiaas -- workers list`), mirrored to
 * worker_heartbeats for history.
 */
export function startHeartbeat(
  db: Db,
  redis: Redis,
  prefix: string,
  worker: WorkerIdentity,
  counters: JobCounters,
  intervalMs: number,
  onError: (error: Error) => void,
) {
  const startedAt = new Date();
  const ttlSeconds = Math.ceil((3 * intervalMs) / 1000);
  const beat = async () => {
    const now = new Date();
    const { versions, ...identity } = worker;
    const fields = {
      ...identity,
      hostname: hostname(),
      pid: process.pid,
      version: workerPackage.version,
      inFlight: counters.inFlight,
      jobsDone: counters.done,
      jobsFailed: counters.failed,
    };
    const status: WorkerStatus = {
      ...fields,
      versions,
      jobGroups: true,
      startedAt: startedAt.toISOString(),
      lastSeenAt: now.toISOString(),
    };
    await Promise.all([
      publishWorkerStatus(redis, prefix, status, ttlSeconds),
      db.workerHeartbeat.upsert({
        where: { id: worker.id },
        create: { ...fields, startedAt, lastSeenAt: now },
        update: { ...fields, startedAt, lastSeenAt: now, stoppedAt: null },
      }),
    ]);
  };
  const timer = setInterval(() => void beat().catch(onError), intervalMs);
  timer.unref();
  return {
    first: beat(),
    async stop() {
      clearInterval(timer);
      await removeWorkerStatus(redis, prefix, worker.id);
      await db.workerHeartbeat.update({
        where: { id: worker.id },
        data: { stoppedAt: new Date(), inFlight: 0, jobsDone: counters.done, jobsFailed: counters.failed },
      });
    },
  };
}
