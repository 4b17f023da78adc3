import { loadEnvOrExit } from "@aiaas/config";
import { createPrismaClient } from "@aiaas/db";
import { createRedis } from "@aiaas/core/server";
import { gatewayEnvSchema } from "./env.ts";
import { buildGateway } from "./server.ts";

const env = loadEnvOrExit("gateway", gatewayEnvSchema, process.env);
const db = createPrismaClient({ databaseUrl: env.DATABASE_URL });
const redis = createRedis(env.REDIS_URL, "producer", "gateway");
const app = buildGateway({
  db,
  redis,
  logger: { level: env.LOG_LEVEL, redact: ["req.headers.authorization", "req.headers.cookie"] },
});

// Connect in the background: /readyz reports what is missing meanwhile.
redis.connect().catch((error: Error) => app.log.warn(`redis: ${error.message}`));
await app.listen({ host: env.GATEWAY_HOST, port: env.GATEWAY_PORT });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  app.log.info(`${signal}: stopping`);
  await app.close(); // stop accepting, let in-flight requests finish
  redis.disconnect();
  await db.$disconnect();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
