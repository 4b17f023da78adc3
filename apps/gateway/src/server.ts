import { FastifyOtelInstrumentation } from "@fastify/otel";
import Fastify, { type FastifyServerOptions } from "fastify";
import cors from "@fastify/cors";
import multipart from "@fastify/multipart";
import type { Redis } from "ioredis";
import { pingDatabase, type Db } from "@aiaas/db";
import { type TenantKeyring } from "@aiaas/core/crypto";
import { type ApiKeyVerifier } from "@aiaas/core/keys";
import { FailureReporter, registerHealthRoutes, type ReadinessCheck } from "@aiaas/core/platform";
import { FairShare, TokenStreamReader, InferenceClient } from "@aiaas/core/queue";
import { BudgetAlerts, QuotaGate } from "@aiaas/core/quota";
import { registerRequestGuard } from "./auth/authenticate.ts";
import { DenialAuditor } from "./auth/denial-auditor.ts";
import { KeyLookupLimit } from "./auth/key-lookup-limit.ts";
import { ApiMetrics } from "./metrics/api-metrics.ts";
import { registerQueueDepth } from "./metrics/queue-depth.ts";
import { ModelDirectory } from "./directory/model-directory.ts";
import { answerFrameworkError, registerOpenAIErrors } from "./openai-error.ts";
import { registerOpenApiRoutes } from "./openapi/openapi-routes.ts";
import type { Admission } from "./pipeline/admission.ts";
import { IdempotencyStore } from "./pipeline/idempotency.ts";
import { BudgetLedger } from "./pipeline/budget-ledger.ts";
import { InferenceHttp } from "./pipeline/inference-http.ts";
import { LiveModels } from "./pipeline/live-models.ts";
import { RequestLifecycle } from "./pipeline/request-lifecycle.ts";
import { QuotaAdmission } from "./pipeline/quota-admission.ts";
import { rateLimitHeaderNames } from "./pipeline/rate-limit-headers.ts";
import { registerChatCompletionRoutes } from "./routes/chat-completions.ts";
import { registerCompletionRoutes } from "./routes/completions.ts";
import { registerEmbeddingRoutes } from "./routes/embeddings.ts";
import { registerGenerateRoutes } from "./routes/generate.ts";
import { registerModelRoutes } from "./routes/models.ts";
import { registerOcrRoutes } from "./routes/ocr.ts";
import { routeContext } from "./routes/route-context.ts";
import { UsageLog } from "./usage/usage-log.ts";
import { UsageRecorder } from "./usage/usage-recorder.ts";
import { UsageWriter } from "./usage/usage-writer.ts";
import { defaultHttpLimits, type HttpLimits } from "./http-limits.ts";
import { BatchRunner } from "./batches/batch-runner.ts";
import { registerBatchRoutes } from "./routes/batches.ts";
import { registerFileRoutes, type FileLimits } from "./routes/files.ts";

export interface GatewayDeps {
  /** The application's client: a tenant's rows only inside that tenant's transaction (`withTenant`). */
  db: Db;
  /** The platform role's client (`role: "platform"`), for what spans tenants by nature: usage batches. */
  platformDb: Db;
  /** The fail-fast producer connection (admission, caches, idempotency, token streams). */
  redis: Redis;
  /** The queues' own fail-fast connection (BullMQ defines its scripts on it); `redis` when not given. */
  queueRedis?: Redis;
  verifier: ApiKeyVerifier;
  /** API_KEY_PEPPER: also keys the idempotency body HMACs. */
  pepper: string;
  keyring: TenantKeyring;
  queuePrefix: string;
  logger: FastifyServerOptions["logger"];
  /** TRUSTED_PROXIES: whose X-Forwarded-For names the client (request.ip); none by default. */
  trustedProxies?: string[];
  requestTimeoutMs?: number;
  /** How long a streamed answer may be silent before an SSE comment keeps the connection (15 s). */
  streamKeepAliveMs?: number;
  usageFlushMs?: number;
  /** Usage log entries older than this belonged to a gateway that died: the sweep writes them. */
  usageOrphanMs?: number;
  /** After Redis lost its data, how long budget-bound requests wait for the ledger to catch up. */
  limitsRebuildMs?: number;
  /** How often budgets in use are reconciled with the ledger. */
  budgetReconcileMs?: number;
  /** Key lookups that reach Postgres, per client address and minute (GATEWAY_KEY_LOOKUPS_PER_MINUTE). */
  keyLookupsPerMinute?: number;
  /** Admission; by default the key's and tenant's limits, checked in Redis. */
  admission?: Admission;
  /** Readiness beyond Postgres and Redis answering (main.ts: the master keys have been checked). */
  checks?: ReadinessCheck[];
  /** Connection limits of the public port; `defaultHttpLimits` when not given. */
  http?: Partial<HttpLimits>;
  /** A span per request (@fastify/otel), whose context the jobs carry to the workers (startTelemetry is on). */
  tracing?: boolean;
  /** Batch lines this gateway runs at once (GATEWAY_BATCH_CONCURRENCY, 8); 0 runs no batches here. */
  batchConcurrency?: number;
  /** Requests coalesced into one job while their model is busy (decision 0019): at most this many, within this window. */
  coalesce?: { maxMembers: number; windowMs: number };
  /** How often an idle batch runner looks for work (1 s). */
  batchPollMs?: number;
  /** How long a batch's claim lasts unrenewed (30 s). */
  batchLeaseMs?: number;
  /** Uploads to /v1/files: the largest, and how many an organization keeps. */
  files?: Partial<FileLimits>;
}

/** Liveness probes are not traced. */
const isProbe = ({ url }: { url: string }) => url === "/healthz";

/** Request bodies: OCR images as base64 are the largest. */
const BODY_LIMIT = 16 * 1024 * 1024;

/**
 * The public API server and its internal one (`/readyz`, `/metrics`), without
 * listening: tests inject requests into them.
 */
export function buildGateway(deps: GatewayDeps) {
  const { db, redis, keyring, queuePrefix } = deps;
  const limits = { ...defaultHttpLimits, ...deps.http };
  const app = Fastify({
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    logger: deps.logger,
    // Ids are always ours: they become job ids, so a client must not choose them.
    requestIdHeader: false,
    genReqId: () => `req_${crypto.randomUUID().replaceAll("-", "")}`,
    bodyLimit: BODY_LIMIT,
    frameworkErrors: answerFrameworkError,
    // X-Forwarded-For read from the right past trusted proxies only (proxy-addr, as the console's server).
    trustProxy: deps.trustedProxies?.length ? deps.trustedProxies : false,
  });
  // First, so that it wraps every route and hook defined after it.
  // Spans for the request and its handler (not each hook); an error's message is not recorded (it may quote input).
  if (deps.tracing)
    void app.register(
      new FastifyOtelInstrumentation({
        ignorePaths: isProbe,
        instrumentHooks: false,
        recordExceptions: false,
      }).plugin(),
    );
  app.addHook("onSend", async (request, reply) => {
    if (!reply.hasHeader("x-request-id")) reply.header("x-request-id", request.id);
  });
  // Browsers (the console's playground, customers' apps) call with a bearer key, never cookies.
  void app.register(cors, {
    origin: true,
    credentials: false,
    // Request headers are reflected: the openai client sends its own x-stainless-* ones.
    exposedHeaders: ["x-request-id", "idempotent-replayed", ...rateLimitHeaderNames],
    maxAge: 600,
  });
  app.server.headersTimeout = limits.headersTimeoutMs;
  app.server.maxConnections = limits.maxConnections;
  void app.register(multipart, { limits: { fileSize: BODY_LIMIT, files: 1 } });
  const internal = Fastify({ logger: false });
  app.addHook("onClose", () => internal.close());
  const registry = registerHealthRoutes(app, {
    probesOn: internal,
    metricsPrefix: "aiaas_gateway_",
    checks: [
      { name: "postgres", check: () => pingDatabase(db) },
      { name: "redis", check: () => redis.ping() },
      ...(deps.checks ?? []),
    ],
  });

  const failures = new FailureReporter(app.log, registry, "aiaas_gateway_");
  registerOpenAIErrors(app, failures);
  const recorder = new UsageRecorder(new UsageLog(redis, queuePrefix), new UsageWriter(deps.platformDb), failures, {
    flushMs: deps.usageFlushMs ?? 250,
    orphanAgeMs: deps.usageOrphanMs ?? 10_000,
    sweepEveryMs: Math.min(5_000, Math.max(500, (deps.usageOrphanMs ?? 10_000) / 2)),
  });
  recorder.start(registry, "aiaas_gateway_");
  const liveModels = new LiveModels(redis, queuePrefix);
  const directory = new ModelDirectory(db);
  const metrics = new ApiMetrics(registry, directory);
  const client = new InferenceClient(deps.queueRedis ?? redis, queuePrefix, keyring, {
    maxMembers: deps.coalesce?.maxMembers ?? 32,
    windowMs: deps.coalesce?.windowMs ?? 0,
    accepted: (model) => liveModels.acceptsGroups(model),
    added: (model, requests) => metrics.jobAdded(model, requests),
  });
  registerQueueDepth(registry, client, directory, failures);
  metrics.countRequests(app);
  const timeoutMs = deps.requestTimeoutMs ?? 60_000;
  // A reservation outlives any request by a minute: one that never settles is released then.
  const quotas = new QuotaGate(redis, queuePrefix, timeoutMs + 60_000);
  const budgets = new BudgetLedger(quotas, db, redis, queuePrefix, failures, {
    graceMs: deps.limitsRebuildMs ?? 3_000,
    reconcileEveryMs: deps.budgetReconcileMs ?? 60_000,
    // Get this gateway's finished requests to the ledger now: budgets are seeded from it after the grace.
    onLoss: () => {
      app.log.error("Redis lost its data: budgets are rebuilt from the ledger");
      void recorder.flush();
    },
  });
  budgets.start();
  // Blocking reads need a connection of their own; they start when the first stream is followed.
  const streamReader = redis.duplicate({ enableAutoPipelining: false });
  const admission =
    deps.admission ??
    new QuotaAdmission(quotas, budgets, directory, new BudgetAlerts(redis, queuePrefix, db), app.log, failures);
  const lifecycle = new RequestLifecycle({
    redis,
    streams: new TokenStreamReader(streamReader, redis, queuePrefix),
    prefix: queuePrefix,
    keyring,
    client,
    directory,
    admission,
    failures,
    idempotency: new IdempotencyStore(redis, queuePrefix, deps.pepper),
    recorder,
    liveModels,
    fairShare: new FairShare(),
    metrics,
    timeoutMs,
    keepAliveMs: deps.streamKeepAliveMs,
  });
  registerRequestGuard(app, {
    verifier: deps.verifier,
    auditor: new DenialAuditor(db, redis, queuePrefix),
    lookups: new KeyLookupLimit(redis, queuePrefix, deps.keyLookupsPerMinute ?? 100, failures, registry),
    failures,
    bodyLimit: BODY_LIMIT,
  });
  const ctx = routeContext(directory, admission, new InferenceHttp(lifecycle));
  // Routes load after the plugins registered above (tracing wraps each handler as it is added).
  void app.register(async function publicApi(routes) {
    registerModelRoutes(routes, ctx);
    registerChatCompletionRoutes(routes, ctx);
    registerCompletionRoutes(routes, ctx);
    registerEmbeddingRoutes(routes, ctx);
    registerOcrRoutes(routes, ctx);
    registerGenerateRoutes(routes, ctx);
    registerFileRoutes(routes, {
      db,
      keyring,
      limits: { maxBytes: 64 * 1024 * 1024, perTenant: 1_000, ...deps.files },
    });
    registerBatchRoutes(routes, { db });
    registerOpenApiRoutes(routes);
  });
  const batches =
    deps.batchConcurrency === 0
      ? undefined
      : new BatchRunner({
          platformDb: deps.platformDb,
          keyring,
          lifecycle,
          directory,
          failures,
          log: app.log,
          concurrency: deps.batchConcurrency ?? 8,
          pollMs: deps.batchPollMs,
          leaseMs: deps.batchLeaseMs,
        });
  app.addHook("onReady", async () => batches?.start());

  // In-flight requests have finished when onClose runs: write their usage, then close the queues.
  const stopSealReports = deps.keyring.startReporting(failures);
  app.addHook("onClose", async () => {
    await batches?.stop();
    budgets.stop();
    await stopSealReports();
    await recorder.close();
    await client.close();
    streamReader.disconnect();
  });
  return { app, internal, registry };
}
