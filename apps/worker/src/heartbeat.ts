import { hostname } from "node:os";
import type { Db } from "@aiaas/db";
import workerPackage from "../package.json" with { type: "json" };

export interface WorkerIdentity {
  id: string;
  provider: string;
  providerNote: string;
  models: string[];
  concurrency: number;
}

export const defaultWorkerId = () => `${hostname()}-${process.pid}`;

/**
 * Keeps this worker's row in worker_heartbeats fresh, so operators see which
 * workers are alive, on which provider, serving which models.
 */
export function startHeartbeat(db: Db, worker: WorkerIdentity, intervalMs: number, onError: (error: Error) => void) {
  const startedAt = new Date();
  const beat = async () => {
    const now = new Date();
    const fields = { ...worker, hostname: hostname(), pid: process.pid, version: workerPackage.version };
    await db.workerHeartbeat.upsert({
      where: { id: worker.id },
      create: { ...fields, startedAt, lastSeenAt: now },
      update: { ...fields, startedAt, lastSeenAt: now, stoppedAt: null },
    });
  };
  const timer = setInterval(() => void beat().catch(onError), intervalMs);
  timer.unref();
  return {
    first: beat(),
    async stop() {
      clearInterval(timer);
      await db.workerHeartbeat.update({ where: { id: worker.id }, data: { stoppedAt: new Date() } });
    },
  };
}
