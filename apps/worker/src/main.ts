import Fastify from "fastify";
import { loadEnvOrExit } from "@aiaas/config";
import { createPrismaClient, pingDatabase } from "@aiaas/db";
import { createRedis, loggerOptions, onShutdown, registerHealthRoutes } from "@aiaas/core/server";
import { workerEnvSchema } from "./env.ts";
import { defaultWorkerId, startHeartbeat } from "./heartbeat.ts";

const env = loadEnvOrExit("worker", workerEnvSchema, process.env);
const db = createPrismaClient({ databaseUrl: env.DATABASE_URL, maxConnections: 4 });
// BullMQ consumers need a connection that waits for Redis rather than failing.
const redis = createRedis(env.REDIS_URL, "consumer", "worker");

/** Health and metrics of this worker, on its own small port. */
const health = Fastify({ logger: loggerOptions(env.LOG_LEVEL, env.LOG_FORMAT) });
registerHealthRoutes(health, {
  metricsPrefix: "aiaas_worker_",
  checks: [
    { name: "postgres", check: () => pingDatabase(db) },
    { name: "redis", check: () => redis.ping() },
  ],
});
const log = health.log;

redis.connect().catch((error: Error) => log.warn(`redis: ${error.message}`));
const heartbeat = startHeartbeat(
  db,
  { id: env.WORKER_ID ?? defaultWorkerId(), provider: "cpu", providerNote: "CPU", models: [], concurrency: 1 },
  env.HEARTBEAT_INTERVAL_MS,
  (error) => log.warn(`heartbeat: ${error.message}`),
);
heartbeat.first.catch((error: Error) => log.warn(`heartbeat: ${error.message}`));
await health.listen({ host: env.WORKER_HOST, port: env.WORKER_PORT });

onShutdown(log, async () => {
  await health.close();
  await heartbeat.stop();
  redis.disconnect();
  await db.$disconnect();
});
