import Fastify from "fastify";
import { loadEnvOrExit } from "@aiaas/config";
import { createPrismaClient, pingDatabase } from "@aiaas/db";
import { createRedis, registerHealthRoutes } from "@aiaas/core/server";
import { workerEnvSchema } from "./env.ts";
import { defaultWorkerId, startHeartbeat } from "./heartbeat.ts";

const env = loadEnvOrExit("worker", workerEnvSchema, process.env);
const db = createPrismaClient({ databaseUrl: env.DATABASE_URL, maxConnections: 4 });
// BullMQ consumers need a connection that waits for Redis rather than failing.
const redis = createRedis(env.REDIS_URL, "consumer", "worker");

const health = Fastify({ logger: { level: env.LOG_LEVEL } });
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

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info(`${signal}: stopping`);
  await health.close();
  await heartbeat.stop().catch((error: Error) => log.warn(`heartbeat: ${error.message}`));
  redis.disconnect();
  await db.$disconnect();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
