import type { WorkerStatusInput } from "../queue/worker-registry.ts";

/** A live worker's heartbeat as a worker publishes it, serving `models` (and taking groups when `jobGroups`). */
export const testWorkerStatus = (id: string, models: string[] = ["echo"], jobGroups?: boolean): WorkerStatusInput => ({
  id,
  hostname: "h",
  pid: 1,
  version: "0",
  provider: "cpu",
  providerNote: "CPU",
  models,
  concurrency: 1,
  inFlight: 0,
  jobsDone: 0,
  jobsFailed: 0,
  startedAt: new Date().toISOString(),
  lastSeenAt: new Date().toISOString(),
  ...(jobGroups !== undefined && { jobGroups }),
});
