import { loadEnvOrExit } from "@aiaas/config";
import { createPrismaClient } from "@aiaas/db";
import { createRedis, loggerOptions, onShutdown } from "@aiaas/core/server";
import { gatewayEnvSchema } from "./env.ts";
import { buildGateway } from "./server.ts";

const env = loadEnvOrExit("gateway", gatewayEnvSchema, process.env);
const db = createPrismaClient({ databaseUrl: env.DATABASE_URL });
const redis = createRedis(env.REDIS_URL, "producer", "gateway");
const app = buildGateway({ db, redis, logger: loggerOptions(env.LOG_LEVEL, env.LOG_FORMAT) });

// Connect in the background: /readyz reports what is missing meanwhile.
redis.connect().catch((error: Error) => app.log.warn(`redis: ${error.message}`));
await app.listen({ host: env.GATEWAY_HOST, port: env.GATEWAY_PORT });

onShutdown(app.log, async () => {
  await app.close(); // stop accepting, let in-flight requests finish
  redis.disconnect();
  await db.$disconnect();
});
