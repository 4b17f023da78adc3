import cluster from "node:cluster";
import { loadEnvOrExit } from "@aiaas/config";
import { createPrismaClient } from "@aiaas/db";
import { TenantKeyring, dataKeyLimits, guardMasterKeys, parseMasterKeys } from "@aiaas/core/crypto";
import { ApiKeyVerifier, followTenantInvalidations } from "@aiaas/core/keys";
import { createRedis, loggerOptions, onShutdown } from "@aiaas/core/platform";
import { startTelemetry } from "@aiaas/core/telemetry";
import { gatewayEnvSchema } from "./env.ts";
import { buildGateway } from "./server.ts";
import { answerClusterProbes } from "./cluster/cluster-probes.ts";

const env = loadEnvOrExit("gateway", gatewayEnvSchema, process.env);
const telemetry = startTelemetry("aiaas-gateway");
const db = createPrismaClient({ databaseUrl: env.DATABASE_URL });
// Key lookups by hash, usage batches and the master-key check span tenants: the platform role (docs/database.md).
const platformDb = createPrismaClient({ databaseUrl: env.DATABASE_URL, role: "platform", maxConnections: 4 });
const redis = createRedis(env.REDIS_URL, "producer", "gateway", { autoPipelining: true });
const queueRedis = createRedis(env.REDIS_URL, "producer", "gateway-queues");
const subscriber = createRedis(env.REDIS_URL, "consumer", "gateway-invalidations");
const verifier = new ApiKeyVerifier({ db: platformDb, redis, subscriber, pepper: env.API_KEY_PEPPER });
const masterKeys = parseMasterKeys(env.MASTER_KEYS);
const keyring = new TenantKeyring(platformDb, masterKeys, dataKeyLimits(env));
// Serving with keys that cannot open the stored data keys would fail every request: stop instead, saying why.
const keysChecked = guardMasterKeys(platformDb, masterKeys, {
  refuse: (refusal) => {
    app.log.fatal(refusal);
    process.exit(1);
  },
  complain: (complaint) => app.log.error(complaint),
});
const { app, internal, registry } = buildGateway({
  db,
  platformDb,
  redis,
  queueRedis,
  verifier,
  keyring,
  pepper: env.API_KEY_PEPPER,
  queuePrefix: env.QUEUE_PREFIX,
  logger: loggerOptions(env.LOG_LEVEL, env.LOG_FORMAT),
  trustedProxies: env.TRUSTED_PROXIES,
  requestTimeoutMs: env.GATEWAY_REQUEST_TIMEOUT_MS,
  streamKeepAliveMs: env.GATEWAY_STREAM_KEEPALIVE_MS,
  usageFlushMs: env.USAGE_FLUSH_MS,
  usageOrphanMs: env.USAGE_ORPHAN_MS,
  limitsRebuildMs: env.LIMITS_REBUILD_MS,
  budgetReconcileMs: env.BUDGET_RECONCILE_MS,
  checks: [{ name: "master_keys", check: keysChecked.ready }],
  tracing: telemetry.enabled,
  keyLookupsPerMinute: env.GATEWAY_KEY_LOOKUPS_PER_MINUTE,
  coalesce: { maxMembers: env.GATEWAY_COALESCE_MAX, windowMs: env.GATEWAY_COALESCE_WINDOW_MS },
  batchConcurrency: env.GATEWAY_BATCH_CONCURRENCY,
  batchLeaseMs: env.GATEWAY_BATCH_LEASE_MS,
  files: { maxBytes: env.GATEWAY_FILE_MAX_BYTES, perTenant: env.GATEWAY_FILES_PER_TENANT },
  http: {
    requestTimeoutMs: env.GATEWAY_BODY_TIMEOUT_MS,
    headersTimeoutMs: env.GATEWAY_HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs: env.GATEWAY_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: env.GATEWAY_MAX_CONNECTIONS,
    maxRequestsPerSocket: env.GATEWAY_MAX_REQUESTS_PER_CONNECTION,
  },
});

// Connect in the background: /readyz reports what is missing meanwhile.
for (const connection of [redis, queueRedis])
  connection.connect().catch((error: Error) => app.log.warn(`redis: ${error.message}`));
verifier.start().catch((error: Error) => app.log.warn(`key invalidations: ${error.message}`));
// A suspended or deleted (crypto-shredded) tenant's data keys leave memory at once.
followTenantInvalidations(subscriber, (tenantId) => keyring.forget(tenantId)).catch((error: Error) =>
  app.log.warn(`tenant invalidations: ${error.message}`),
);
// A deep accept queue: bursts of thousands of connections are normal for a public API (Node's default is 511).
await app.listen({ host: env.GATEWAY_HOST, port: env.GATEWAY_PORT, backlog: 4096 });
// One of several processes (GATEWAY_PROCESSES): the primary serves the probes, asking each process over IPC.
if (cluster.isWorker) answerClusterProbes(internal, registry);
else await internal.listen({ host: env.GATEWAY_INTERNAL_HOST, port: env.GATEWAY_INTERNAL_PORT });

onShutdown(app.log, async () => {
  await app.close(); // stop accepting, let in-flight requests finish, flush usage
  subscriber.disconnect();
  redis.disconnect();
  queueRedis.disconnect();
  await Promise.all([db.$disconnect(), platformDb.$disconnect()]);
  await telemetry.shutdown();
});
