import Fastify from "fastify";
import { createTransport } from "nodemailer";
import { loadEnvOrExit } from "@aiaas/config";
import { createPrismaClient, pingDatabase } from "@aiaas/db";
import { AuditCheckpointer, auditSigningKeys, CheckpointDirectory } from "@aiaas/core/audit";
import { dataKeyLimits, guardMasterKeys, parseMasterKeys, TenantKeyring } from "@aiaas/core/crypto";
import { followTenantInvalidations, isKeyRevoked } from "@aiaas/core/keys";
import { createRedis, FailureReporter, loggerOptions, onShutdown, registerHealthRoutes } from "@aiaas/core/platform";
import { CancelWatcher, queues } from "@aiaas/core/queue";
import { createStripe } from "@aiaas/core/stripe";
import { startTelemetry } from "@aiaas/core/telemetry";
import { createServingEngine } from "@aiaas/inference";
import { workerEnvSchema } from "./env.ts";
import { defaultWorkerId, startHeartbeat } from "./heartbeat.ts";
import { JobCounters } from "./job-counters.ts";
import { startMaintenance } from "./maintenance.ts";
import { startDomainChecks } from "./domain-checks.ts";
import { startOutboxSender } from "./outbox/outbox-sender.ts";
import { startModelConsumers } from "./model-consumers.ts";
import { startModelPulls } from "./model-pulls.ts";
import { createInferenceProcessor } from "./process-inference-job.ts";
import { BatchGate } from "./batch-gate.ts";
import { servedModelFolders, servedVersions, versionRouter, type ServedVersion } from "./served-models.ts";
import { registerWorkerMetrics } from "./worker-metrics.ts";

const env = loadEnvOrExit("worker", workerEnvSchema, process.env);
const telemetry = startTelemetry("aiaas-worker");
const health = Fastify({ logger: loggerOptions(env.LOG_LEVEL, env.LOG_FORMAT) });
const log = health.log;
const workerId = env.WORKER_ID ?? defaultWorkerId();

let versions: ServedVersion[];
try {
  const modelDirs = servedModelFolders(env.WORKER_MODELS, env.MODEL_STORE);
  if (modelDirs.length === 0)
    throw new Error(`there are no models to serve (model zoo and ${env.MODEL_STORE} are empty)`);
  // Every version in the folders, main graphs and variants, each known by the digest of its files.
  versions = await servedVersions(modelDirs);
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(1);
}
const router = versionRouter(versions);

const db = createPrismaClient({ databaseUrl: env.DATABASE_URL, maxConnections: 2 });
// Data keys (seal counts span tenants), mail, retention, billing runs and audit checkpoints: the platform role (docs/database.md).
const platformDb = createPrismaClient({ databaseUrl: env.DATABASE_URL, role: "platform", maxConnections: 4 });
// BullMQ consumers and subscribers need connections that wait for Redis rather than failing.
const redis = createRedis(env.REDIS_URL, "consumer", `worker:${workerId}`);
const subscriber = createRedis(env.REDIS_URL, "consumer", `worker:${workerId}:cancels`);

let stopping: Promise<void> | undefined;
const engine = await createServingEngine(
  {
    modelDirs: versions.map(({ dir, variant, key }) => ({ dir, variant, key })),
    device: env.INFERENCE_DEVICE,
    threads: env.INFERENCE_THREADS,
    batching: { maxBatchSize: env.BATCH_MAX_SIZE, maxWaitMs: env.BATCH_MAX_WAIT_MS },
    batchingByModel: env.MODEL_BATCHING,
  },
  (error) => {
    log.fatal(`inference thread failed: ${error.message}; stopping so that other workers take the jobs`);
    void stop().finally(() => process.exit(1));
  },
).catch((error: Error) => {
  log.fatal(`models did not load: ${error.message}`);
  process.exit(1);
});
const { provider, providerNote, models } = engine.describe();
log.info(
  `inference on ${providerNote}; serving ${models.map((m) => `${m.id} (${m.task}, batch ${m.batching.maxBatchSize})`).join(", ")}`,
);

const masterKeys = parseMasterKeys(env.MASTER_KEYS);
// Jobs sealed with keys this worker cannot open would all fail: stop instead, saying why.
const keysChecked = guardMasterKeys(platformDb, masterKeys, {
  refuse: (refusal) => {
    log.fatal(refusal);
    process.exit(1);
  },
  complain: (complaint) => log.error(complaint),
});
const registry = registerHealthRoutes(health, {
  metricsPrefix: "aiaas_worker_",
  checks: [
    { name: "postgres", check: () => pingDatabase(db) },
    { name: "redis", check: () => redis.ping() },
    { name: "master_keys", check: keysChecked.ready },
  ],
});
const failures = new FailureReporter(log, registry, "aiaas_worker_");
const counters = new JobCounters();
const measured = registerWorkerMetrics(registry, engine, counters);

await Promise.all([redis.connect(), subscriber.connect()]).catch((error: Error) => {
  log.fatal(`cannot reach Redis (${error.message}): jobs come from there`);
  process.exit(1);
});
const cancels = await CancelWatcher.start(subscriber, redis, env.QUEUE_PREFIX);
const keyring = new TenantKeyring(platformDb, masterKeys, dataKeyLimits(env));
const stopSealReports = keyring.startReporting(failures);
// A suspended or deleted (crypto-shredded) tenant's data keys leave memory at once.
const tenantInvalidations = createRedis(env.REDIS_URL, "consumer", "worker-tenant-invalidations");
await tenantInvalidations.connect();
await followTenantInvalidations(tenantInvalidations, (tenantId) => keyring.forget(tenantId));
const processor = createInferenceProcessor({
  engine,
  engineModel: router.keyOf,
  keyring,
  redis,
  prefix: env.QUEUE_PREFIX,
  cancels,
  workerId,
  // A request whose key was revoked while it waited is refused, not run.
  keyRevoked: (keyHash) => isKeyRevoked(redis, keyHash),
  // Batch lines after interactive work: held while a model's interactive jobs run, never holding half the slots.
  gate: new BatchGate({
    maxBatch: 8,
    quietMs: 50,
    starvationMs: 1_000,
    maxWaiting: Math.max(1, Math.floor(env.WORKER_CONCURRENCY / 2)),
  }),
});
const modelIds = [...new Set(models.map((model) => model.model))];
const consumers = startModelConsumers(
  modelIds,
  (payload, attempt, model) => measured(model, () => processor(payload, attempt)),
  counters,
  { connection: redis, prefix: env.QUEUE_PREFIX, concurrency: env.WORKER_CONCURRENCY, lockMs: env.JOB_LOCK_MS },
  {
    onFailed: (job, error) => {
      log.warn({ jobId: job?.id, queue: job?.queueName, attempt: job?.attemptsMade }, `job failed: ${error.message}`);
    },
    onError: (error) => log.error(`queue: ${error.message}`),
  },
  failures,
);
const heartbeat = startHeartbeat(
  db,
  redis,
  env.QUEUE_PREFIX,
  {
    id: workerId,
    provider,
    providerNote,
    models: modelIds,
    versions: router.digests(),
    concurrency: env.WORKER_CONCURRENCY,
  },
  counters,
  env.HEARTBEAT_INTERVAL_MS,
  (error) => log.warn(`heartbeat: ${error.message}`),
);
heartbeat.first.catch((error: Error) => log.warn(`heartbeat: ${error.message}`));
const stripe = createStripe({ secretKey: env.STRIPE_SECRET_KEY, apiBase: env.STRIPE_API_BASE });
const maintenance = await startMaintenance({
  db: platformDb,
  connection: redis,
  prefix: env.QUEUE_PREFIX,
  purgeEveryMs: env.PURGE_EVERY_MS,
  stripe: stripe ? { client: stripe, reportEveryMs: env.METER_REPORT_EVERY_MS } : undefined,
  onDone: (task, count) =>
    log[count ? "info" : "debug"](
      { task },
      {
        "purge-expired-prompts": `retention purge: cleared the prompts of ${count} requests`,
        "report-usage-to-stripe": `usage reported to Stripe: ${count} meter events`,
        "charge-subscriptions": `subscriptions charged: ${count} monthly fees`,
      }[task],
    ),
  onFailed: (job, error) => log.warn({ jobId: job?.id, task: job?.name }, `maintenance failed: ${error.message}`),
  onError: (error) => log.error(`maintenance queue: ${error.message}`),
});
// Pulls asked for in /admin/models: any worker may take one (they share the model store).
const pulls = startModelPulls({
  db: platformDb,
  connection: redis,
  prefix: env.QUEUE_PREFIX,
  env,
  onDone: (job, result) =>
    log.info(
      { jobId: job.id },
      `model pull: registered ${result.slug} version ${result.version} (${result.outcome}); workers serve it once started with it`,
    ),
  onFailed: (job, error) => log.warn({ jobId: job?.id }, `model pull failed: ${error.message}`),
  onError: (error) => log.error(`model pulls: ${error.message}`),
});
// Domains claimed for single sign-on: any worker looks for their TXT records.
const domainChecks = startDomainChecks({
  db: platformDb,
  connection: redis,
  prefix: env.QUEUE_PREFIX,
  dnsServers: env.DNS_SERVERS,
  onDone: (job, outcome) => log.info({ jobId: job.id }, `domain check: ${outcome}`),
  onFailed: (job, error) =>
    log.info({ jobId: job?.id, attempt: job?.attemptsMade }, `domain check: not yet (${error.message})`),
  onError: (error) => log.error(`domain checks: ${error.message}`),
});
// Every worker sends: a mail is claimed by one sender at a time (outbox-sender.ts).
const mail = env.SMTP_URL
  ? startOutboxSender(platformDb, createTransport(env.SMTP_URL), {
      from: env.MAIL_FROM,
      everyMs: env.OUTBOX_SEND_EVERY_MS,
      claimMs: env.OUTBOX_CLAIM_MS,
      onFailed: ({ id, kind, attempts, gaveUp }, error) =>
        failures.report(
          "mail_failed",
          gaveUp ? "a mail was given up after its last attempt" : "a mail could not be sent; it is tried again",
          { emailId: id, kind, attempts },
          error,
        ),
      onError: (error) => log.warn(`outbox: ${(error as Error).message}`),
    })
  : undefined;
// The audit log's chain heads, signed outside the database's reach every minute (docs/security.md).
const checkpointer = env.AUDIT_SIGNING_KEY
  ? new AuditCheckpointer(
      platformDb,
      new CheckpointDirectory(env.AUDIT_CHECKPOINT_DIR),
      auditSigningKeys(env.AUDIT_SIGNING_KEY).privateKey,
      workerId,
      log,
    )
  : undefined;
if (checkpointer) checkpointer.start(env.AUDIT_CHECKPOINT_MS);
else
  log.warn("AUDIT_SIGNING_KEY is not set: no audit checkpoints are written, so a rewritten audit log would go unseen");
if (!mail) log.info("SMTP_URL is not set: mail stays in the outbox (the console shows it at /dev/mail with DEV_MAIL)");
await health.listen({ host: env.WORKER_HOST, port: env.WORKER_PORT });
log.info(`worker ${workerId} consuming ${modelIds.map((id) => queues.inference.name(id)).join(", ")}`);

/** In order: stop taking jobs and finish the running ones, then say goodbye, then let go of everything. */
function stop() {
  stopping ??= (async () => {
    await Promise.all([consumers.close(), maintenance.close(), pulls.close(), domainChecks.close(), mail?.stop()]);
    await stopSealReports();
    await checkpointer?.stop().catch((error: Error) => log.error(`audit checkpoint: ${error.message}`));
    await heartbeat.stop().catch((error: Error) => log.warn(`heartbeat: ${error.message}`));
    await engine.close().catch((error: Error) => log.warn(`inference thread: ${error.message}`));
    subscriber.disconnect();
    tenantInvalidations.disconnect();
    await redis.quit();
    await Promise.all([db.$disconnect(), platformDb.$disconnect()]);
    await health.close();
    await telemetry.shutdown();
  })();
  return stopping;
}
onShutdown(log, stop);
