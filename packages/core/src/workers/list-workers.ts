import type { Redis } from "ioredis";
import type { Db } from "@aiaas/db";
import { listLiveWorkers } from "../queue/worker-registry.ts";

export type WorkerState = "live" | "stopped" | "lost";

export interface WorkerRow {
  id: string;
  /** live: heartbeat in Redis; stopped: said goodbye; lost: neither (killed, or cut off). */
  state: WorkerState;
  host: string | null;
  provider: string | null;
  providerNote: string | null;
  models: string[];
  concurrency: number | null;
  inFlight: number;
  jobsDone: number;
  jobsFailed: number;
  lastSeen: Date | null;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The workers of an installation: those whose heartbeat is live in Redis,
 * and those the table saw in the last day. For operators (CLI and console).
 */
export async function listWorkers(db: Db, redis: Redis, prefix: string): Promise<WorkerRow[]> {
  const live = new Map((await listLiveWorkers(redis, prefix)).map((status) => [status.id, status]));
  const recent = await db.workerHeartbeat.findMany({
    where: { lastSeenAt: { gte: new Date(Date.now() - DAY_MS) } },
    orderBy: { lastSeenAt: "desc" },
  });
  const rows = new Map(recent.map((row) => [row.id, row]));
  const ids = [...new Set([...live.keys(), ...rows.keys()])];
  return ids.map((id) => {
    const now = live.get(id);
    const row = rows.get(id);
    return {
      id,
      state: now ? "live" : row?.stoppedAt ? "stopped" : "lost",
      host: now?.hostname ?? row?.hostname ?? null,
      provider: now?.provider ?? row?.provider ?? null,
      providerNote: now?.providerNote ?? row?.providerNote ?? null,
      models: now?.models ?? row?.models ?? [],
      concurrency: now?.concurrency ?? row?.concurrency ?? null,
      inFlight: now?.inFlight ?? 0,
      jobsDone: now?.jobsDone ?? row?.jobsDone ?? 0,
      jobsFailed: now?.jobsFailed ?? row?.jobsFailed ?? 0,
      lastSeen: now ? new Date(now.lastSeenAt) : (row?.lastSeenAt ?? null),
    };
  });
}
