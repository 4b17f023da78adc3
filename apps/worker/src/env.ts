import { z } from "zod";
import { envFields } from "@aiaas/config";

export const workerEnvSchema = z.object({
  NODE_ENV: envFields.nodeEnv,
  DATABASE_URL: envFields.databaseUrl,
  REDIS_URL: envFields.redisUrl,
  WORKER_HOST: envFields.host,
  /** Health and metrics port of this worker process. */
  WORKER_PORT: envFields.port(8081),
  /** Stable id of this worker in worker_heartbeats; hostname-pid by default. */
  WORKER_ID: z.string().trim().min(1).optional(),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(1000).max(300_000).default(10_000),
  LOG_LEVEL: envFields.logLevel,
  LOG_FORMAT: envFields.logFormat,
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;
